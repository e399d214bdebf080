/** Whether the event loop keeps turning while some work runs (for large-reply tests). */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Counts the turns of a 10 ms timer on this loop while `work` runs. How late the timer may be
 * (100 ms) is a benchmark figure (bench/worker-large.ts, bench/worker-json.ts); tests check only
 * that the loop keeps turning, which a blocking parse or conversion would stop. `worstMs` is for
 * failure messages.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number; worstMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let turns = 0;
  const timer = setInterval(() => turns++, 10);
  histogram.enable();
  try {
    const result = await work();
    // Let a timer due during the last stretch of synchronous work fire (and be recorded).
    await new Promise((r) => setTimeout(r, 20));
    return { result, turns, worstMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
    clearInterval(timer);
  }
}
