/**
 * Errors of the session pool. They extend the library's NetconfClientError and carry a stable
 * `code`, so callers route on the code (as on every library error) and never on the message.
 */
import { NetconfClientError } from '../errors';

/** The wait queue is full: the call is refused at once instead of piling up. */
export class PoolFullError extends NetconfClientError {
  override readonly code: string = 'NETCONF_POOL_FULL';
}

/** A call waited longer than `queueTimeout` for a session (capacity or an exclusive turn). */
export class PoolTimeoutError extends NetconfClientError {
  override readonly code: string = 'NETCONF_POOL_TIMEOUT';
}

/** The pool was closed (before or while the call waited). */
export class PoolClosedError extends NetconfClientError {
  override readonly code: string = 'NETCONF_POOL_CLOSED';
  constructor(message = 'the session pool is closed') {
    super(message);
  }
}

/** What a fail-fast error adds to the original connect error. */
export interface DeviceFailingInfo {
  /** The pool key, `user@host:port`. */
  device: string;
  /** When the current run of failures began. */
  failingSince: Date;
  /** When the pool will try to connect again. */
  retryAt: Date;
  /** Consecutive failed attempts. */
  failures: number;
}

/**
 * The error a call gets while its device is in backoff: the original error's class, code and
 * fields (e.g. ConnectError with `fingerprint`), so `instanceof` and `code` checks treat it like
 * the failure itself; the message says since when the device fails, and `cause` is the original.
 */
export function deviceFailingError(original: unknown, info: DeviceFailingInfo): Error & DeviceFailingInfo {
  const base = original instanceof Error ? original : new NetconfClientError(String(original));
  const label = `device ${info.device} failing since ${info.failingSince.toISOString()}`;
  const error = new Error(`${label} (retry after ${info.retryAt.toISOString()}): ${base.message}`, { cause: base });
  Object.setPrototypeOf(error, Object.getPrototypeOf(base) as object);
  for (const key of Object.keys(base)) {
    if (key !== 'message' && key !== 'stack' && key !== 'cause') {
      const value = (base as unknown as Record<string, unknown>)[key];
      Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (error.name !== base.name) error.name = base.name;
  return Object.assign(error, info);
}
