/** Unified diff output (`diff -u` layout) from a line alignment (line-diff.ts). */
import type { Clock, Sliced } from './slicer';

export interface UnifiedOptions {
  /** Names on the `---` and `+++` lines. */
  beforeLabel: string;
  afterLabel: string;
  /** Unchanged lines shown around each change. */
  context: number;
}

type Op = 0 | 1 | 2; // equal, removed, added

/** The unified diff of `a` and `b`; '' when they are equal. */
export function* unifiedDiff(
  a: readonly string[],
  b: readonly string[],
  match: Int32Array,
  options: UnifiedOptions,
  clock: Clock,
): Sliced<string> {
  // The edit script as parallel arrays: operation, line of a, line of b.
  const ops: Op[] = [];
  const ai: number[] = [];
  const bi: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const m = match[i];
    if (m < 0) {
      ops.push(1);
      ai.push(i);
      bi.push(j);
      continue;
    }
    for (; j < m; j++) {
      ops.push(2);
      ai.push(i);
      bi.push(j);
    }
    ops.push(0);
    ai.push(i);
    bi.push(j++);
    if (clock.due()) yield;
  }
  for (; j < b.length; j++) {
    ops.push(2);
    ai.push(a.length);
    bi.push(j);
  }
  const out: string[] = [];
  const ctx = options.context;
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k] === 0) k++;
    if (k === ops.length) break;
    // A hunk: from `context` lines before this change to `context` after the last change that
    // is at most 2 * context equal lines from the next one.
    const start = Math.max(0, k - ctx);
    let end = k;
    for (let equal = 0; end < ops.length && equal <= 2 * ctx; end++) equal = ops[end] === 0 ? equal + 1 : 0;
    end = Math.min(ops.length, trimTrailingEqual(ops, end) + ctx);
    out.push(hunk(a, b, ops, ai, bi, start, end));
    k = end;
    if (clock.due()) yield;
  }
  if (out.length === 0) return '';
  return `--- ${options.beforeLabel}\n+++ ${options.afterLabel}\n${out.join('')}`;
}

/** Index just past the last change before `end`. */
function trimTrailingEqual(ops: Op[], end: number): number {
  let e = end;
  while (e > 0 && ops[e - 1] === 0) e--;
  return e;
}

function hunk(
  a: readonly string[],
  b: readonly string[],
  ops: Op[],
  ai: number[],
  bi: number[],
  start: number,
  end: number,
): string {
  let aCount = 0;
  let bCount = 0;
  const lines: string[] = [];
  for (let k = start; k < end; k++) {
    if (ops[k] === 0) {
      lines.push(` ${a[ai[k]]}`);
      aCount++;
      bCount++;
    } else if (ops[k] === 1) {
      lines.push(`-${a[ai[k]]}`);
      aCount++;
    } else {
      lines.push(`+${b[bi[k]]}`);
      bCount++;
    }
  }
  const aStart = aCount === 0 ? ai[start] : ai[start] + 1;
  const bStart = bCount === 0 ? bi[start] : bi[start] + 1;
  return `@@ -${aStart},${aCount} +${bStart},${bCount} @@\n${lines.join('\n')}\n`;
}
