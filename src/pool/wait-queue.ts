/**
 * A FIFO of callers waiting for a turn, each with its own deadline and AbortSignal. Bounded: when
 * `limit` callers already wait, the next one is refused at once (the caller decides the error),
 * so an overloaded pool answers "full" instead of growing an unbounded backlog of promises.
 */

interface Entry<T> {
  data: T;
  resolve: () => void;
  reject: (err: Error) => void;
  cleanup: () => void;
}

export class WaitQueue<T> {
  private entries: Entry<T>[] = [];

  constructor(readonly limit = Infinity) {}

  get size(): number {
    return this.entries.length;
  }

  get full(): boolean {
    return this.entries.length >= this.limit;
  }

  /** The data of the first waiter (e.g. what kind of turn it wants). */
  first(): T | undefined {
    return this.entries[0]?.data;
  }

  /**
   * Resolves when released; rejects with `onTimeout()` after `timeoutMs`, or with the signal's
   * reason when aborted. The caller checks `full` first.
   */
  wait(data: T, timeoutMs: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const leave = (err: Error): void => {
        this.remove(entry);
        reject(err);
      };
      const onAbort = (): void => leave(abortReason(signal));
      const timer = setTimeout(() => leave(onTimeout()), Math.max(0, timeoutMs));
      const entry: Entry<T> = {
        data,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.entries.push(entry);
    });
  }

  /** Lets the first waiter go; false when nobody waits. */
  releaseFirst(): boolean {
    const entry = this.entries.shift();
    if (!entry) return false;
    entry.cleanup();
    entry.resolve();
    return true;
  }

  /** Rejects every waiter (pool closing). */
  rejectAll(err: Error): void {
    for (const entry of this.entries.splice(0)) {
      entry.cleanup();
      entry.reject(err);
    }
  }

  private remove(entry: Entry<T>): void {
    entry.cleanup();
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }
}

/** The signal's reason when it is an Error (as AbortSignal.abort() and timeout() give), else an AbortError. */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
