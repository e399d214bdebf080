/**
 * The wiring every operation node shares: find the device, register for its session state,
 * and run each message through prepare (read settings and input; bad input fails here, before
 * anything is sent or queued) and execute (the Manager call), then send or fail.
 */
import { InvalidInputError, type Manager } from '../../src/index';
import type { ConnectionUser, YangState } from './connection';
import { isDeviceApi, type DeviceApi } from './device-api';
import { failMessage, netconfMeta, type OperationResult } from './message';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './red-types';
import { connectionBadge, missingDevice } from './status';

export interface OperationDef extends NodeDef {
  device?: string;
}

/** One message's work, split so input errors come before any waiting or sending. */
export interface PreparedOperation {
  /** The operation name reported in msg.netconf.operation (and in errors). */
  operation: string;
  /**
   * Dry-runs the library's input checks. Called only when the message would wait for a session:
   * with a live session the Manager call checks the same input before sending anyway.
   */
  check?(): void;
  /** True when the device's YANG must be loaded first (output `json`, or RFC 7951 input). */
  needsYang?: boolean;
  /** What is given as RFC 7951 JSON (e.g. "msg.payload"), which cannot be sent without the YANG. */
  rfc7951Input?: string;
  /** The Manager call; `yang` is the session's YANG state when `needsYang` was set. */
  execute(manager: Manager, yang: YangState | undefined): Promise<OperationResult>;
}

/** Reads one message's settings and input; may throw (or reject) for bad input. */
export type Prepare = (msg: NodeMessage) => PreparedOperation | Promise<PreparedOperation>;

/** Looks up the device config node; reports a missing one on the node and returns undefined. */
export function findDevice(RED: NodeAPI, node: Node, deviceId: string | undefined): DeviceApi | undefined {
  const device = deviceId ? RED.nodes.getNode(deviceId) : undefined;
  if (isDeviceApi(device)) return device;
  node.status(missingDevice(RED));
  node.error(RED._('netconf.errors.missing-device'));
  return undefined;
}

export function setupOperationNode(
  RED: NodeAPI,
  node: Node,
  def: OperationDef,
  fallbackOperation: string,
  prepare: Prepare,
): void {
  const device = findDevice(RED, node, def.device);
  if (!device) {
    // Still answer every message, so a flow never hangs on a misconfigured node.
    node.on('input', (msg: NodeMessage, _send: SendFn, done: DoneFn) => {
      done(failMessage(msg, new Error(RED._('netconf.errors.missing-device')), '', fallbackOperation));
    });
    return;
  }
  const user: ConnectionUser = { onStatus: (status) => node.status(connectionBadge(RED, status)) };
  device.connection.register(user);

  node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
    let operation = fallbackOperation;
    const run = async (): Promise<void> => {
      const prepared = await prepare(msg);
      operation = prepared.operation;
      if (device.connection.state.state !== 'connected') prepared.check?.();
      const manager = await device.connection.acquire();
      // Loaded once per session, by the first message that needs it; never fails the session.
      const yang = prepared.needsYang || prepared.rfc7951Input ? await device.connection.yang(manager) : undefined;
      if (prepared.rfc7951Input && !yang?.schema) {
        throw new InvalidInputError(
          `${prepared.rfc7951Input} is RFC 7951 JSON, which needs the device's YANG modules, and they could not be loaded (${yang?.error ?? 'unknown reason'})`,
        );
      }
      const result = await prepared.execute(manager, yang);
      msg.payload = result.payload;
      msg.netconf = { ...netconfMeta(result, device.label, manager), deviceId: def.device };
    };
    run().then(
      () => {
        send(msg);
        done();
      },
      (err: unknown) => done(failMessage(msg, err, device.label, operation)),
    );
  });

  node.on('close', (removed: boolean, done: () => void) => {
    device.connection.deregister(user, removed).then(done, done);
  });
}
