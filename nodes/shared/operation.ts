/**
 * The wiring every operation node shares: find the device, register for its session state,
 * and run each message through prepare (read settings and input; bad input fails here, before
 * anything is sent or queued) and execute (the Manager call), then send or fail.
 */
import { InvalidInputError, type Manager } from '../../src/index';
import type { ConnectionUser, YangState } from './connection';
import { isDeviceApi, type DeviceApi } from './device-api';
import { failMessage, netconfMeta, type OperationResult } from './message';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, NodeStatus, SendFn } from './red-types';
import { fleetTarget, ignoredHost, type FleetTarget } from './fleet-target';
import type { FleetUser, PoolSource } from './pool-source';
import { connectionBadge, fleetBadge, missingDevice } from './status';

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

/** A status shown over the connection badge (e.g. a pending confirmed commit's countdown). */
export interface StatusOverlay {
  /** The status to show given the connection's badge (undefined: the badge). */
  status(badge: NodeStatus): NodeStatus | undefined;
  /** Calls `changed` whenever status() may have changed; returns the unsubscribe function. */
  subscribe(changed: () => void): () => void;
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

/** Loads the YANG if needed, runs the Manager call and puts its result on the message. */
async function runPrepared(
  yangOf: (manager: Manager) => Promise<YangState>,
  manager: Manager,
  prepared: PreparedOperation,
  msg: NodeMessage,
  label: string,
): Promise<void> {
  // Loaded once per session, by the first message that needs it; never fails the session.
  const yang = prepared.needsYang || prepared.rfc7951Input ? await yangOf(manager) : undefined;
  if (prepared.rfc7951Input && !yang?.schema) {
    throw new InvalidInputError(
      `${prepared.rfc7951Input} is RFC 7951 JSON, which needs the device's YANG modules, and they could not be loaded (${yang?.error ?? 'unknown reason'})`,
    );
  }
  const result = await prepared.execute(manager, yang);
  msg.payload = result.payload;
  msg.netconf = netconfMeta(result, label, manager);
}

/**
 * How one node reaches its device: the single device's shared connection, or (fleet mode, Host
 * empty) the pool's session of the device msg.device names. `label` names the device in
 * msg.netconf.device and in errors.
 */
interface Route {
  label(msg: NodeMessage): string;
  run(msg: NodeMessage, prepared: PreparedOperation): Promise<void>;
  close(removed: boolean): Promise<void>;
}

function singleRoute(RED: NodeAPI, node: Node, device: DeviceApi, overlay?: StatusOverlay): Route {
  const connection = device.connection;
  let badge: NodeStatus = {};
  const show = (): void => node.status(overlay?.status(badge) ?? badge);
  const user: ConnectionUser = {
    onStatus: (status) => {
      badge = connectionBadge(RED, status);
      show();
    },
  };
  connection.register(user);
  const unsubscribe = overlay?.subscribe(show);
  let warned = false;
  return {
    label: () => device.label,
    run: async (msg, prepared) => {
      // The config wins (the core http request node's rule): say so once per node.
      const other = ignoredHost(msg.device, device.host);
      if (other !== undefined && !warned) {
        warned = true;
        node.warn(RED._('netconf.errors.fleet-host-ignored', { host: other, configured: device.host }));
      }
      if (connection.state.state !== 'connected') prepared.check?.();
      const manager = await connection.acquire();
      await runPrepared((m) => connection.yang(m), manager, prepared, msg, device.label);
    },
    close: (removed) => {
      unsubscribe?.();
      return connection.deregister(user, removed);
    },
  };
}

function fleetRoute(RED: NodeAPI, node: Node, fleet: PoolSource): Route {
  const user: FleetUser = { onCounts: (counts) => node.status(fleetBadge(RED, counts)) };
  fleet.register(user);
  const targetOf = (msg: NodeMessage): FleetTarget => fleetTarget(msg.device, fleet.settings.port);
  return {
    label: (msg) => {
      try {
        return targetOf(msg).name;
      } catch {
        return 'fleet';
      }
    },
    run: async (msg, prepared) => {
      const target = targetOf(msg);
      const state = fleet.pool.state(target);
      if (state !== 'open' && state !== 'idle') prepared.check?.();
      await fleet.use(target, (m) => runPrepared((mm) => fleet.yang(mm), m, prepared, msg, target.name));
    },
    close: () => {
      fleet.deregister(user);
      return Promise.resolve();
    },
  };
}

export function setupOperationNode(
  RED: NodeAPI,
  node: Node,
  def: OperationDef,
  fallbackOperation: string,
  prepare: Prepare,
  overlay?: StatusOverlay,
): void {
  const device = findDevice(RED, node, def.device);
  if (!device) {
    // Still answer every message, so a flow never hangs on a misconfigured node.
    node.on('input', (msg: NodeMessage, _send: SendFn, done: DoneFn) => {
      done(failMessage(msg, new Error(RED._('netconf.errors.missing-device')), '', fallbackOperation));
    });
    return;
  }
  // The overlay (a pending confirmed commit's countdown) is per device: a fleet's badge is its counts.
  const route = device.fleet ? fleetRoute(RED, node, device.fleet) : singleRoute(RED, node, device, overlay);

  node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
    let operation = fallbackOperation;
    const run = async (): Promise<void> => {
      const prepared = await prepare(msg);
      operation = prepared.operation;
      await route.run(msg, prepared);
      // which config node served it (the diff node asks it for the device's schema)
      msg.netconf = { ...(msg.netconf as Record<string, unknown>), deviceId: def.device };
    };
    run().then(
      () => {
        send(msg);
        done();
      },
      (err: unknown) => done(failMessage(msg, err, route.label(msg), operation)),
    );
  });

  node.on('close', (removed: boolean, done: () => void) => {
    route.close(removed).then(done, done);
  });
}
