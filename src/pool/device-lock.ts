/**
 * The turns on one device's session: any number of shared users at once (their RPCs pipeline on
 * the one session), or one exclusive user alone (a lock / edit / commit / unlock sequence must
 * not interleave with other users' edits). FIFO, so a waiting exclusive user is not starved by
 * a stream of shared ones: shared users arriving behind it wait too.
 */
import { WaitQueue } from './wait-queue';

export class DeviceLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting = new WaitQueue<boolean>();

  /** Users holding a turn now. */
  get holders(): number {
    return this.shared + (this.exclusive ? 1 : 0);
  }

  get waiters(): number {
    return this.waiting.size;
  }

  async acquire(exclusive: boolean, timeoutMs: number, signal: AbortSignal | undefined, onTimeout: () => Error) {
    if (this.waiting.size === 0 && this.canEnter(exclusive)) return this.enter(exclusive);
    await this.waiting.wait(exclusive, timeoutMs, signal, onTimeout);
    // released by grant(), which already counted this user in
  }

  release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    this.grant();
  }

  /** Callers waiting for a turn. */
  get queued(): number {
    return this.waiting.size;
  }

  rejectAll(err: Error): void {
    this.waiting.rejectAll(err);
  }

  private canEnter(exclusive: boolean): boolean {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private enter(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  /** Lets in, from the front, every waiter that fits: one exclusive, or a run of shared ones. */
  private grant(): void {
    for (let next = this.waiting.first(); next !== undefined && this.canEnter(next); next = this.waiting.first()) {
      this.enter(next);
      this.waiting.releaseFirst();
    }
  }
}
