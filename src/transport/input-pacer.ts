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
/** Chunks one check phase may take at most (each an immediate of its own). */
const MAX_BATCH = 32;

export class InputPacer {
  readonly budgetMs: number;
  /** Connections with chunks waiting, in the order they get their next turn. */
  private readonly ready: PacedInput[] = [];
  private readonly queued = new Set<PacedInput>();
  /** When the current turn's budget started; undefined between busy turns. */
  private turnStart: number | undefined;
  /**
   * A batch: setImmediate callbacks booked for one check phase, one chunk each. Node runs
   * process.nextTick callbacks and promise jobs between two immediates, so whatever a chunk
   * sets off there (a session's hello parse, a reply's continuation) counts against the budget
   * before the next chunk goes; a loop inside one callback would run it all after the budget.
   */
  private batchId = 0;
  private pending = 0;
  private batchStart: number | undefined;
  /** Turns the pacer has handed back to the loop with input still waiting (for tests and benches). */
  yields = 0;
  /** Chunks that could not go at once and waited for a later turn (for tests and benches). */
  deferred = 0;
  /** Bytes that came in through the sockets this pacer serves (for tests and benches). */
  received = 0;

  constructor(options: InputPacerOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_INPUT_BUDGET_MS;
  }

  /**
   * May a chunk arriving now be delivered at once? Yes while nobody else waits and this turn's
   * budget lasts; the first delivery of a turn books the immediate that ends the turn.
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

  /**
   * Resolves in a turn of its own, in line with the waiting input: for work that comes in bursts
   * and would otherwise fill one turn (50 connection set-ups started by one burst of messages).
   */
  turn(): Promise<void> {
    return new Promise((resolve) =>
      this.wake({
        deliverOne: () => {
          resolve();
          return false;
        },
      }),
    );
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

  /** Books the next check phase: a new batch, or more steps in the one not yet started. */
  private schedule(): void {
    if (this.pending > 0 && this.batchStart !== undefined) return; // running: it books the next one at its end
    if (this.pending === 0) {
      this.batchId++;
      this.batchStart = undefined;
    }
    const want = this.ready.length > 0 ? MAX_BATCH : 1;
    const id = this.batchId;
    while (this.pending < want) {
      this.pending++;
      setImmediate(() => this.step(id));
    }
  }

  /** One immediate of a batch: a new turn's start, one chunk, or standing down once the budget is used. */
  private step(id: number): void {
    if (id !== this.batchId) return; // a batch cut short by its budget
    this.pending--;
    const now = performance.now();
    if (this.batchStart === undefined) {
      this.batchStart = now;
      this.turnStart = now;
    } else if (now - this.batchStart >= this.budgetMs && this.ready.length > 0) {
      this.yields++;
      this.pending = 0;
      this.schedule(); // the next loop turn; this batch's remaining steps see a new id and do nothing
      return;
    }
    const input = this.ready.shift();
    let again = false;
    try {
      again = input?.deliverOne() ?? false;
    } finally {
      // Even if a consumer threw, the line stays consistent and the turn ends as it should.
      if (input && again)
        this.ready.push(input); // back in line behind the others
      else if (input) this.queued.delete(input);
      if (this.pending === 0 && this.ready.length > 0) this.schedule();
      else if (this.pending === 0) this.turnStart = undefined; // nothing waits: a later chunk starts afresh
    }
  }
}

/** The pacer every SSH connection of this process shares. */
export const inputPacer = new InputPacer();
