/**
 * Per-device backoff: after a failed connect, calls for that device fail at once (with the
 * original reason) until the retry time, instead of each waiting a full connect timeout. The
 * delay doubles per consecutive failure up to a cap; a successful open forgets the device.
 */
import { deviceFailingError, type DeviceFailingInfo } from './errors';

export interface BackoffOptions {
  /** Seconds after the first failure (default 1). */
  initial?: number;
  /** Upper bound of the delay in seconds (default 60). */
  max?: number;
  /** Growth per consecutive failure (default 2). */
  factor?: number;
}

interface Failing {
  since: number;
  failures: number;
  retryAt: number;
  error: unknown;
}

export class DeviceBackoff {
  private readonly failing = new Map<string, Failing>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;

  constructor(
    options: BackoffOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.initialMs = (options.initial ?? 1) * 1000;
    this.maxMs = (options.max ?? 60) * 1000;
    this.factor = options.factor ?? 2;
  }

  /** Records a failed attempt; returns the delay in ms before the next one. */
  fail(key: string, error: unknown): number {
    const now = this.now();
    const prev = this.failing.get(key);
    const failures = (prev?.failures ?? 0) + 1;
    const delay = Math.min(this.maxMs, this.initialMs * this.factor ** (failures - 1));
    this.failing.set(key, { since: prev?.since ?? now, failures, retryAt: now + delay, error });
    return delay;
  }

  succeed(key: string): boolean {
    return this.failing.delete(key);
  }

  /** The fail-fast error when `key` is inside its backoff window, else undefined (an attempt may go out). */
  check(key: string): (Error & DeviceFailingInfo) | undefined {
    const entry = this.failing.get(key);
    if (!entry || this.now() >= entry.retryAt) return undefined;
    return deviceFailingError(entry.error, {
      device: key,
      failingSince: new Date(entry.since),
      retryAt: new Date(entry.retryAt),
      failures: entry.failures,
    });
  }

  isFailing(key: string): boolean {
    return this.failing.has(key);
  }

  /** Devices whose last attempt failed (in or past their window, not yet succeeded). */
  get size(): number {
    return this.failing.size;
  }
}
