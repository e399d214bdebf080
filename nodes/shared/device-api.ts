/** What a netconf-device config node offers the nodes that use it. */
import type { SessionSource } from './session-source';

export interface DeviceApi {
  /** Name, or host:port: used in messages and msg.netconf.device. */
  readonly label: string;
  /** The sessions shared by the operation nodes. */
  readonly connection: SessionSource;
  /**
   * A session of its own for a notification subscription (RFC 5277 allows one subscription per
   * session, and without :interleave the session can do nothing else). For call home, where the
   * device dials one session, this is the shared connection.
   */
  dedicatedConnection(purpose: string): { connection: SessionSource; release(): Promise<void> };
}

export function isDeviceApi(value: unknown): value is DeviceApi {
  return typeof value === 'object' && value !== null && 'connection' in value && 'dedicatedConnection' in value;
}
