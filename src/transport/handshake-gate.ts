/**
 * A process-wide bound on TLS handshakes in flight. Node's TLS does a handshake's crypto (key
 * exchange, the server's certificate chain and signature checks) synchronously, on the main
 * thread, when the server's handshake records arrive; a fleet that starts 50 handshakes at once
 * gets their answers in one poll phase, and that one turn of the event loop delays every timer,
 * keepalive and other device. A slot per handshake bounds that crypto per turn, while the data
 * path stays native (no JavaScript stream under TLS, unlike SSH's paced socket).
 *
 * A slot is held at most `holdMs`: a device that accepts TCP and never answers the handshake
 * gives its slot back then and goes on unbounded (until its own connect timeout), so a few
 * silent devices cannot stall the rest. Waiting for a slot honours an AbortSignal, and the
 * caller bounds it by its connect timeout.
 */

export interface HandshakeGateOptions {
  /** Handshakes in flight at once (default 4). */
  limit?: number;
  /** Milliseconds one handshake may hold its slot (default 1000). */
  holdMs?: number;
}

export const DEFAULT_HANDSHAKE_LIMIT = 4;
export const DEFAULT_HANDSHAKE_HOLD_MS = 1000;

/** Gives the slot back; calling it again (or after the hold expired) does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: () => void;
}

export class HandshakeGate {
  /** Slots; a test or bench may change it (new waiters see the new value). */
  limit: number;
  readonly holdMs: number;
  private held = 0;
  private readonly waiters: Waiter[] = [];
  /** Most slots held at once since construction or resetPeak() (for tests and benches). */
  peak = 0;
  /** Slots given back by the hold bound rather than by their handshake (for tests and benches). */
  expired = 0;

  constructor(options: HandshakeGateOptions = {}) {
    this.limit = options.limit ?? DEFAULT_HANDSHAKE_LIMIT;
    this.holdMs = options.holdMs ?? DEFAULT_HANDSHAKE_HOLD_MS;
  }

  /** Slots held now. */
  get inFlight(): number {
    return this.held;
  }

  /** Callers waiting for a slot now. */
  get waiting(): number {
    return this.waiters.length;
  }

  resetPeak(): void {
    this.peak = this.held;
  }

  /**
   * Resolves with a slot once one is free (at once if one is); rejects with the signal's reason
   * if it aborts first, and then holds nothing.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.held < this.limit && this.waiters.length === 0) return Promise.resolve(this.take());
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take());
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private take(): ReleaseSlot {
    this.held++;
    this.peak = Math.max(this.peak, this.held);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      clearTimeout(hold);
      this.held--;
      this.grantNext();
    };
    const hold = setTimeout(() => {
      if (!released) this.expired++;
      release();
    }, this.holdMs);
    hold.unref(); // a slot never keeps the process alive
    return release;
  }

  private grantNext(): void {
    while (this.held < this.limit && this.waiters.length > 0) this.waiters.shift()?.grant();
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted while waiting for a TLS handshake slot');
}

/** The gate every TLS connection of this process shares. */
export const handshakeGate = new HandshakeGate();
