/**
 * The lock step of the transactions (Ansible netconf_config's `lock` setting): `always` locks
 * and fails when the lock fails, `if-supported` goes on unlocked when the device does not
 * implement <lock> (operation-not-supported), `never` does not lock. A `lock-denied` (another
 * session holds the lock, or has uncommitted changes in the candidate) is retried
 * `lockRetries` times, `lockRetryDelay` ms apart, and then fails with the holder's session-id.
 */
import { RpcError } from './errors';
import type { RpcReply } from './session/reply';

export type LockPolicy = 'always' | 'if-supported' | 'never';
export const LOCK_POLICIES: readonly LockPolicy[] = ['always', 'if-supported', 'never'];

export interface LockOptions {
  /** When to lock the datastore the transaction edits. Default `always`. */
  lock?: LockPolicy;
  /** How many times a `lock-denied` lock is tried again. Default 0. */
  lockRetries?: number;
  /** Milliseconds between those tries. Default 1000. */
  lockRetryDelay?: number;
}

interface Lockable {
  lock(target: string, options?: { timeout?: number; signal?: AbortSignal }): Promise<RpcReply>;
}

/**
 * The lock was denied on every try. Still an RpcError with code `lock-denied` (and the device's
 * error fields); the message names the session that holds the lock.
 */
export class LockDeniedError extends RpcError {
  /** The session holding the lock (or the candidate's changes), from the error-info. */
  readonly holderSessionId?: number;
  readonly attempts: number;
  /** The message itself: it already says what the Catch node and logs need (holder, tries, the device's text). */
  override readonly detail: string;

  constructor(cause: RpcError, datastore: string, attempts: number) {
    super(cause.errors, cause.replyXml, cause.messageId);
    const id = cause.info?.['session-id'];
    this.holderSessionId = id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
    this.attempts = attempts;
    const holder = id === undefined ? 'another session' : id === '0' ? 'a non-NETCONF entity' : `session ${id}`;
    const tries = attempts === 1 ? '1 try' : `${attempts} tries`;
    this.message = `the ${datastore} datastore is locked by ${holder} (lock denied, ${tries}): ${cause.message}`;
    this.detail = this.message;
    this.name = 'LockDeniedError';
  }
}

function isTag(err: unknown, tag: string): err is RpcError {
  return err instanceof RpcError && err.errors.some((e) => e.tag === tag);
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      if (signal?.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      else resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Locks `datastore` as the policy says; true when it is now locked (and must be unlocked). */
export async function lockDatastore(
  manager: Lockable,
  datastore: string,
  options: LockOptions,
  call: { timeout?: number; signal?: AbortSignal },
): Promise<boolean> {
  const policy = options.lock ?? 'always';
  if (policy === 'never') return false;
  const retries = Math.max(0, Math.floor(options.lockRetries ?? 0));
  for (let attempt = 1; ; attempt++) {
    try {
      await manager.lock(datastore, call);
      return true;
    } catch (err) {
      if (policy === 'if-supported' && isTag(err, 'operation-not-supported')) return false;
      if (!isTag(err, 'lock-denied')) throw err;
      if (attempt > retries) throw new LockDeniedError(err, datastore, attempt);
      await sleep(options.lockRetryDelay ?? 1000, call.signal);
    }
  }
}
