/** What the pool reports: per-device states and the totals, as values and as events. */

/**
 * - connecting: the factory is opening the session
 * - open: a session with at least one user
 * - idle: a session with no user, closed after idleTimeout (or earlier when capacity is needed)
 * - closing: `<close-session>` sent (idle, evicted, or pool closing)
 * - closed: the session ended (closed by us, or dead: dropped or killed); the device is forgotten
 * - failing: the last connect attempt failed; calls fail fast until the backoff delay ends
 */
export type DeviceState = 'connecting' | 'open' | 'idle' | 'closing' | 'closed' | 'failing';

export interface PoolCounts {
  /** Sessions with users. */
  open: number;
  connecting: number;
  idle: number;
  closing: number;
  /** Devices whose last connect attempt failed. */
  failing: number;
  /** Calls waiting for capacity. */
  queued: number;
  /** Sessions that exist now (connecting + open + idle + closing): what maxSessions bounds. */
  sessions: number;
}

export interface DeviceStateEvent {
  /** The pool key, `user@host:port`. */
  device: string;
  name?: string;
  state: DeviceState;
  previous?: DeviceState;
  /** For closed (a dead session) and failing: why. */
  error?: Error;
}

export interface SessionPoolEvents {
  /** A device changed state. */
  state: [DeviceStateEvent];
  /** The totals after any change (coalesced per tick). */
  counts: [PoolCounts];
}
