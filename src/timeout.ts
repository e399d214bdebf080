/**
 * The one rule for every timeout the library takes (RPCs, hello, close, connect, call home, pool
 * waits): a timeout is a finite number of seconds above 0. Anything else (0, a negative number,
 * NaN, Infinity, not a number) would mean "no timer", i.e. wait forever, so it is replaced by
 * that timeout's default and a warning is logged. netconf_client does the same for values below
 * 1; fractions of a second are kept here (JavaScript callers and tests use them).
 */
import type { Logger } from './logger';

/** setTimeout's limit (2^31 - 1 ms, about 24.8 days): above it Node fires the timer at once. */
export const MAX_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);

/** RPC and connect timeouts' default, as in netconf_client. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * `value` when it is a usable timeout, `fallback` when it is undefined; otherwise `fallback` with
 * a warning naming `what`. Values above MAX_TIMEOUT_SECONDS are capped.
 */
export function timeoutSeconds(value: unknown, fallback: number, what: string, logger?: Logger): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.min(value, MAX_TIMEOUT_SECONDS);
  logger?.debug(
    `WARNING: ${what} ${typeof value === 'number' ? String(value) : typeof value} is not a positive number of seconds: using ${fallback} s instead ` +
      '(a timeout never means "wait forever")',
  );
  return fallback;
}
