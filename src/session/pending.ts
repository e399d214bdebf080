/**
 * The RPCs of a session waiting for their reply, by message-id, with their timeouts and abort
 * signals; and the ids given up on (timed out, aborted, the no-op nudge), whose late replies
 * are dropped quietly instead of being reported as unknown.
 */
import { NetconfClientError } from '../errors';
import type { RpcReply } from './reply';

/** How many late message-ids are remembered. */
const TOMBSTONES = 1024;

export interface Waiter {
  resolve(reply: RpcReply): void;
  reject(err: Error): void;
}

export interface Pending extends Waiter {
  sentAt: number;
}

interface Entry extends Pending {
  cleanup(): void;
}

export interface WaitOptions {
  timeout?: { seconds: number; error(): Error };
  signal?: AbortSignal;
}

/** The rejection of an aborted RPC: the signal's reason when it is an Error. */
export function abortReason(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new NetconfClientError('the RPC was aborted');
}

export class PendingRpcs {
  private readonly entries = new Map<string, Entry>();
  private readonly tombstones = new Set<string>();

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Starts waiting for the reply to `id`; a timeout or abort gives up on it. */
  add(id: string, waiter: Waiter, options: WaitOptions): void {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => this.abandon(id, abortReason(options.signal));
    this.entries.set(id, {
      ...waiter,
      sentAt: performance.now(),
      cleanup: () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      },
    });
    const timeout = options.timeout;
    if (timeout) timer = setTimeout(() => this.abandon(id, timeout.error()), timeout.seconds * 1000);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  }

  /**
   * The waiter a reply answers, no longer pending: by message-id, or, for a reply without one
   * (RFC 6241 requires it; malformed-message errors come without), the only request in flight.
   * With several in flight an id-less reply is nobody's for sure: undefined (the caller drops
   * it) rather than handing one caller's reply to another.
   */
  answer(id: string | undefined): Pending | undefined {
    const key = id ?? (this.entries.size === 1 ? this.entries.keys().next().value : undefined);
    const entry = key === undefined ? undefined : this.entries.get(key);
    if (!entry || key === undefined) return undefined;
    this.entries.delete(key);
    entry.cleanup();
    return entry;
  }

  /** A reply to `id` will not be waited for: drop it quietly when it comes. */
  expectLate(id: string): void {
    this.tombstones.add(id);
    if (this.tombstones.size > TOMBSTONES) this.tombstones.delete(this.tombstones.values().next().value as string);
  }

  /** True (once) when `id` was given up on. */
  forgetLate(id: string): boolean {
    return this.tombstones.delete(id);
  }

  /** Gives up waiting for a reply; a reply that still comes is dropped quietly. */
  private abandon(id: string, reason: Error): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    entry.cleanup();
    this.expectLate(id);
    entry.reject(reason);
  }

  rejectAll(reason: Error): void {
    for (const entry of this.entries.values()) {
      entry.cleanup();
      entry.reject(reason);
    }
    this.entries.clear();
  }
}
