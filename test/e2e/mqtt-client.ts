/**
 * An MQTT 5 client for tests: the `mqtt` package Node-RED's own mqtt nodes use (loaded from
 * Node-RED's tree, not a dependency of ours), typed by what the tests use.
 */
import { createRequire } from 'node:module';
import { NODE_RED_DIR, ROOT } from './harness';

export interface PublishProperties {
  correlationData?: Buffer;
  responseTopic?: string;
}
export interface MqttPacket {
  properties?: PublishProperties;
}
export interface MqttClientLike {
  on(event: 'message', fn: (topic: string, payload: Buffer, packet: MqttPacket) => void): void;
  on(event: 'connect' | 'error', fn: (arg?: unknown) => void): void;
  subscribeAsync(topic: string, opts: { qos: 0 | 1 | 2 }): Promise<unknown>;
  publishAsync(
    topic: string,
    payload: Buffer | string,
    opts: { qos: 0 | 1 | 2; properties?: PublishProperties },
  ): Promise<unknown>;
  endAsync(force?: boolean): Promise<void>;
}

export async function connectMqtt(url: string): Promise<MqttClientLike> {
  const load = createRequire(__filename);
  const mqtt = load(load.resolve('mqtt', { paths: [NODE_RED_DIR, ROOT] })) as {
    connectAsync(url: string, opts: Record<string, unknown>): Promise<MqttClientLike>;
  };
  return mqtt.connectAsync(url, { protocolVersion: 5, clean: true, reconnectPeriod: 0, connectTimeout: 5000 });
}
