/**
 * Cooperative slicing for long computations: the diff's phases are generators that `yield`
 * whenever their Clock says the current slice has run long enough, and `runSliced` resumes them
 * from setImmediate. So a diff of two very large configurations never holds the event loop for
 * long (other sessions, timers and the rest of a Node-RED flow keep running), without paying a
 * promise per node as an all-async walk would.
 */
import { performance } from 'node:perf_hooks';

/** A phase of work: yields (nothing) to let the event loop run, returns its result. */
export type Sliced<T> = Generator<void, T, void>;

/** Milliseconds of work per slice; far below the 100 ms a caller may notice. */
const SLICE_MS = 8;
/** Checking the time is itself not free: look only every this many steps. */
const STEPS_PER_CHECK = 64;

export class Clock {
  private steps = 0;
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Counts one step; true when the slice is used up and the caller should `yield`. */
  due(): boolean {
    if (++this.steps < STEPS_PER_CHECK) return false;
    this.steps = 0;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Same as due() without the step counting, for callers whose steps are large (chunks of work). */
  dueNow(): boolean {
    this.steps = 0;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Starts a new slice (called after each yield to the event loop). */
  restart(): void {
    this.steps = 0;
    this.sliceStart = performance.now();
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs a generator to completion, giving the event loop a turn at each of its yields. */
export async function runSliced<T>(work: Sliced<T>, clock: Clock): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await yieldToEventLoop();
    clock.restart();
  }
}

/** Runs a generator synchronously (small inputs, tests): its yields are simply passed over. */
export function runNow<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
