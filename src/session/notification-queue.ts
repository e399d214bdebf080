/**
 * A bounded FIFO of notifications with waiters, behind `takeNotification()` and the async
 * iterator. When full, the oldest notification is dropped and counted, so a flow that never reads
 * the queue cannot grow memory without bound; the drop is reported through `onDrop`.
 */
import { SessionClosedError } from '../errors';
import type { Notification } from './notification';

interface Waiter {
  resolve(n: Notification | undefined): void;
  reject(err: Error): void;
}

export interface TakeOptions {
  /** Wait for one (default true); without, resolve undefined at once when none is queued. */
  block?: boolean;
  /** Seconds to wait when blocking; undefined = forever. */
  timeout?: number;
  signal?: AbortSignal;
}

export class NotificationQueue {
  private readonly items: Notification[] = [];
  private readonly waiters: Waiter[] = [];
  private closedWith?: Error;
  dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly onDrop: (dropped: Notification, total: number) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  push(n: Notification): void {
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve(n);
    this.items.push(n);
    if (this.items.length > this.limit) {
      const old = this.items.shift();
      this.dropped++;
      if (old) this.onDrop(old, this.dropped);
    }
  }

  /** Next notification; undefined if none arrives within `timeoutMs` (or at once when 0). */
  take(timeoutMs?: number, signal?: AbortSignal): Promise<Notification | undefined> {
    const next = this.items.shift();
    if (next) return Promise.resolve(next);
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (timeoutMs === 0) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
      };
      const waiter: Waiter = {
        resolve: (n) => {
          finish();
          resolve(n);
        },
        reject: (e) => {
          finish();
          reject(e);
        },
      };
      const onAbort = (): void => waiter.reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** take() with the Manager's options (seconds, block). */
  takeNotification(options: TakeOptions = {}): Promise<Notification | undefined> {
    const block = options.block ?? true;
    const timeoutMs = !block ? 0 : options.timeout === undefined ? undefined : options.timeout * 1000;
    return this.take(timeoutMs, options.signal);
  }

  /** Every notification as it comes; ends when the queue is closed. */
  async *iterate(signal?: AbortSignal): AsyncGenerator<Notification, void, undefined> {
    for (;;) {
      let n: Notification | undefined;
      try {
        n = await this.take(undefined, signal);
      } catch (err) {
        if (err instanceof SessionClosedError) return;
        throw err;
      }
      if (n) yield n;
    }
  }

  /** Ends every waiter; queued notifications can still be taken, then take() rejects. */
  close(reason: Error = new SessionClosedError('session closed')): void {
    this.closedWith = reason;
    for (const w of this.waiters.splice(0)) w.reject(reason);
  }
}
