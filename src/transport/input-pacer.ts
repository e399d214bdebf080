/**
 * Input pacing for many connections in one process. When dozens of SSH connections receive at
 * once (a fleet's key exchanges, many replies), libuv runs all their 'data' callbacks in one
 * poll phase, and ssh2 parses each chunk synchronously (key exchange crypto, decryption, then
 * our framing, session and XML parser): one long turn of the event loop that delays timers,
 * keepalives and every other device. The pacer lets a turn deliver incoming chunks only until
 * its time budget is used; the rest wait, in arrival order per connection and round robin
 * between connections, for the next turn (setImmediate), so the loop gets a say between them.
 *
 * One process-wide pacer (`inputPacer`) serves every paced socket (src/transport/paced-socket.ts);
 * tests make their own with other budgets. The pacer never touches data: a chunk goes to its
 * connection whole and unchanged, and while nothing waits it goes at once, in the callback that
 * brought it (no copy, no extra turn: a lone big reply streams as before).
 */
import { performance } from 'node:perf_hooks';

/** A connection's input as the pacer sees it. */
export interface PacedInput {
  /** Delivers the oldest waiting chunk; true if another one can be delivered right away. */
  deliverOne(): boolean;
}

export interface InputPacerOptions {
  /** Milliseconds of a loop turn that may go to delivering input (default 10). */
  budgetMs?: number;
}

export const DEFAULT_INPUT_BUDGET_MS = 10;

export class InputPacer {
  readonly budgetMs: number;
  /** Connections with chunks waiting, in the order they get their next turn. */
  private readonly ready: PacedInput[] = [];
  private readonly queued = new Set<PacedInput>();
  /** When the current turn's budget started; undefined between busy turns. */
  private turnStart: number | undefined;
  private immediate = false;
  /** Turns the pacer has handed back to the loop with input still waiting (for tests and benches). */
  yields = 0;
  /** Chunks that could not go at once and waited for a later turn (for tests and benches). */
  deferred = 0;

  constructor(options: InputPacerOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_INPUT_BUDGET_MS;
  }

  /**
   * May a chunk arriving now be delivered at once? Yes while nobody else waits and this turn's
   * budget lasts; the first delivery of a turn books the setImmediate that ends the turn.
   */
  deliverNow(): boolean {
    const now = performance.now();
    if (this.ready.length === 0 && this.turnStart === undefined) {
      this.turnStart = now;
      this.schedule();
      return true;
    }
    if (this.ready.length === 0 && now - (this.turnStart ?? now) < this.budgetMs) return true;
    this.deferred++;
    return false;
  }

  /** `input` has chunks waiting: give it a turn (once; it stays in line until it has none). */
  wake(input: PacedInput): void {
    if (this.queued.has(input)) return;
    this.queued.add(input);
    this.ready.push(input);
    this.schedule();
  }

  /** `input` went away: drop it from the line. */
  forget(input: PacedInput): void {
    if (!this.queued.delete(input)) return;
    const i = this.ready.indexOf(input);
    if (i >= 0) this.ready.splice(i, 1);
  }

  /** Connections waiting for a turn (for tests and benches). */
  get waiting(): number {
    return this.ready.length;
  }

  private schedule(): void {
    if (this.immediate) return;
    this.immediate = true;
    setImmediate(() => this.run());
  }

  /** A new turn: deliver waiting chunks round robin until the budget is used, then yield again. */
  private run(): void {
    this.immediate = false;
    const start = performance.now();
    this.turnStart = start;
    // At least one chunk per turn, however small the budget.
    while (this.ready.length > 0) {
      const input = this.ready.shift() as PacedInput;
      if (input.deliverOne()) this.ready.push(input); // back in line behind the others
      else this.queued.delete(input);
      if (this.ready.length > 0 && performance.now() - start >= this.budgetMs) {
        this.yields++;
        this.schedule();
        return;
      }
    }
    // Nothing waits: the next chunk, in a later turn, starts a fresh budget.
    this.turnStart = undefined;
  }
}

/** The pacer every SSH connection of this process shares. */
export const inputPacer = new InputPacer();
