/**
 * Unified diff output (`diff -u` layout) from a line alignment (line-diff.ts) of two folded
 * texts (text-render.ts): folded blocks that changed, or that stand within reach of a change's
 * context, are unfolded into their lines; the others only count their lines.
 */
import { unfold, type TextItem } from './text-render';
import type { Clock, Sliced } from './slicer';

export interface UnifiedOptions {
  /** Names on the `---` and `+++` lines. */
  beforeLabel: string;
  afterLabel: string;
  /** Unchanged lines shown around each change. */
  context: number;
}

const EQUAL = 0;
const REMOVED = 1;
const ADDED = 2;

/** One line of the edit script, or a run of `lines` unchanged lines left folded. */
interface Entry {
  op: number;
  text: string;
  lines: number;
  /** Line numbers (0-based) in a and b where the entry starts. */
  at: number;
  bt: number;
}

/** The edit script over items: equal, removed and added items in order. */
function script(a: readonly TextItem[], b: readonly TextItem[], match: Int32Array): [number, TextItem][] {
  const ops: [number, TextItem][] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const m = match[i];
    if (m < 0) {
      ops.push([REMOVED, a[i]]);
      continue;
    }
    for (; j < m; j++) ops.push([ADDED, b[j]]);
    ops.push([EQUAL, a[i]]);
    j++;
  }
  for (; j < b.length; j++) ops.push([ADDED, b[j]]);
  return ops;
}

/** Which items to unfold: changed blocks, and equal ones within 2 * context + 1 lines of a change. */
function toUnfold(ops: [number, TextItem][], reach: number): boolean[] {
  const size = (item: TextItem): number => (typeof item === 'string' ? 1 : item.lines);
  const marks = ops.map(([op]) => op !== EQUAL);
  for (let k = 0; k < ops.length; k++) {
    if (ops[k][0] === EQUAL) continue;
    for (const dir of [-1, 1]) {
      let seen = 0;
      for (let n = k + dir; n >= 0 && n < ops.length && ops[n][0] === EQUAL && seen < reach; n += dir) {
        marks[n] = true;
        seen += size(ops[n][1]);
      }
    }
  }
  return marks;
}

function* entries(ops: [number, TextItem][], marks: boolean[], clock: Clock): Sliced<Entry[]> {
  const out: Entry[] = [];
  let at = 0;
  let bt = 0;
  const push = (op: number, text: string, lines: number): void => {
    out.push({ op, text, lines, at, bt });
    if (op !== ADDED) at += lines;
    if (op !== REMOVED) bt += lines;
  };
  for (let k = 0; k < ops.length; k++) {
    const [op, item] = ops[k];
    if (typeof item === 'string') push(op, item, 1);
    else if (!marks[k]) push(op, '', item.lines);
    else for (const line of yield* unfold(item, clock)) push(op, line, 1);
    if (clock.due()) yield;
  }
  return out;
}

/** The unified diff of the two texts; '' when they are equal. */
export function* unifiedDiff(
  a: readonly TextItem[],
  b: readonly TextItem[],
  match: Int32Array,
  options: UnifiedOptions,
  clock: Clock,
): Sliced<string> {
  const ctx = options.context;
  const ops = script(a, b, match);
  const list = yield* entries(ops, toUnfold(ops, 2 * ctx + 1), clock);
  const out: string[] = [];
  let k = 0;
  while (k < list.length) {
    while (k < list.length && list[k].op === EQUAL) k++;
    if (k === list.length) break;
    // A hunk: `context` lines before this change to `context` lines after the last change that
    // is at most 2 * context equal lines from the next one.
    const start = Math.max(0, k - ctx);
    let end = k;
    for (let equal = 0; end < list.length && equal <= 2 * ctx; end++) equal = list[end].op === EQUAL ? equal + 1 : 0;
    while (end > 0 && list[end - 1].op === EQUAL) end--;
    end = Math.min(list.length, end + ctx);
    out.push(hunk(list, start, end));
    k = end;
    if (clock.due()) yield;
  }
  if (out.length === 0) return '';
  return `--- ${options.beforeLabel}\n+++ ${options.afterLabel}\n${out.join('')}`;
}

function hunk(list: Entry[], start: number, end: number): string {
  let aCount = 0;
  let bCount = 0;
  const lines: string[] = [];
  for (let k = start; k < end; k++) {
    const { op, text } = list[k];
    lines.push(`${op === EQUAL ? ' ' : op === REMOVED ? '-' : '+'}${text}`);
    if (op !== ADDED) aCount++;
    if (op !== REMOVED) bCount++;
  }
  const aStart = aCount === 0 ? list[start].at : list[start].at + 1;
  const bStart = bCount === 0 ? list[start].bt : list[start].bt + 1;
  return `@@ -${aStart},${aCount} +${bStart},${bCount} @@\n${lines.join('\n')}\n`;
}
