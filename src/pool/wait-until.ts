/** Bounded waits of the pool on promises it shares: a session opening or closing, all sessions ending. */
import { abortReason } from './wait-queue';

/** Waits for `promise`, or rejects at `deadline` (ms since epoch) or when `signal` aborts. */
export function waitUntil<T>(
  promise: Promise<T>,
  deadline: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  if (deadline === Infinity && !signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = deadline === Infinity ? undefined : setTimeout(() => reject(onTimeout()), deadline - Date.now());
    const onAbort = (): void => reject(abortReason(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** Whether `promise` (one that never rejects) resolves within `ms`; false when the time ran out first. */
export async function endsWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), bound]);
  } finally {
    clearTimeout(timer);
  }
}
