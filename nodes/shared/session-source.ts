/**
 * The seam between the nodes and where their sessions come from.
 *
 * Two levels, each with one job:
 * - `SessionOpener` yields one new session: by dialling the device (SSH/TLS, device-settings.ts)
 *   or by waiting for the device to dial in (call home, callhome-source.ts).
 * - `SessionSource` is what the operation and notification nodes use: status for their badge, a
 *   session's Manager per message, the session's YANG. `DeviceConnection` implements it over one
 *   opener, with reconnect and a bounded queue. A later session source (e.g. a pool of
 *   connections keyed by host) implements the same interface beside it.
 */
import type { DeviceSchema, Manager, Session } from '../../src/index';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  sessionId?: number;
  /** Why the connection is down (the connect error, or why the session ended). */
  reason?: string;
  /** Milliseconds until the next attempt, when one is scheduled. */
  retryInMs?: number;
  /** While connecting: what we are waiting for (e.g. "waiting for call home"). */
  detail?: string;
  /** While connected, once the device's YANG is loaded: how many modules its schema has. */
  yangModules?: number;
}

/**
 * The device's YANG for one session, as the nodes need it: the schema, or why there is none.
 * Loading never fails a message: without a schema the nodes fall back to plain objects.
 */
export interface YangState {
  schema?: DeviceSchema;
  /** Why no schema could be loaded (set when `schema` is undefined). */
  error?: string;
}

export interface ConnectionUser {
  /** Called on every state change, and at once on register. */
  onStatus(status: ConnectionStatus): void;
  /** Called for each new session (first connect and every reconnect), e.g. to subscribe again. */
  onSession?(manager: Manager): void;
}

export interface SessionOpener {
  /** Opens (or waits for) one session; rejects when `signal` aborts. */
  open(signal: AbortSignal): Promise<Session>;
  /** Stops whatever open() relies on (e.g. detaches from the call-home listener). */
  close?(): void;
}

export interface SessionSource {
  /** Status now (the badge and whether input checks must run before waiting). */
  readonly state: ConnectionStatus;
  /** Adds a user, who gets every status change and each new session; the first user connects. */
  register(user: ConnectionUser): void;
  /** Removes a user; `removed` (not just redeployed) with no users left ends the session. */
  deregister(user: ConnectionUser, removed: boolean): Promise<void>;
  /** The live session's Manager, or a bounded wait for one. */
  acquire(): Promise<Manager>;
  /** The device's YANG for that session (loaded once per session; never rejects). */
  yang(manager: Manager): Promise<YangState>;
  /** Ends for good (the device node closes). */
  close(): Promise<void>;
}
