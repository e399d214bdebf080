/** What a netconf-device config node offers the nodes that use it. */
import type { FleetTarget } from './fleet-target';
import type { PoolSource } from './pool-source';
import type { SessionSource } from './session-source';

/** A connection of its own, released when its user is done. */
export interface DedicatedConnection {
  connection: SessionSource;
  release(): Promise<void>;
}

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
  dedicatedConnection(purpose: string): DedicatedConnection;
  // fleet mode
  /** The configured Host ('' for a fleet): a single device warns when msg.device names another. */
  readonly host: string;
  /** Fleet mode (Host empty): the pool the operation nodes use, with msg.device as the target. */
  readonly fleet?: PoolSource;
  /** Fleet mode: a connection of its own to one device of the fleet (a notification subscription). */
  fleetConnection?(target: FleetTarget, purpose: string): DedicatedConnection;
}

export function isDeviceApi(value: unknown): value is DeviceApi {
  return typeof value === 'object' && value !== null && 'connection' in value && 'dedicatedConnection' in value;
}
