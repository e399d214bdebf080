/**
 * A line diff for large texts: patience-style anchoring (lines that occur once in each side
 * of a range, chained by a longest increasing subsequence) splits the texts into small gaps,
 * and Myers' O(ND) algorithm aligns each gap. Canonical configurations have many unique lines
 * (every list key), so a 300,000-line text with a few hundred changes is aligned in one pass.
 * A gap with more than MAX_D differences and no anchors is shown as removed then added: the
 * output is then still a correct diff, only not a minimal one.
 */
import type { Clock, Sliced } from './slicer';

const MAX_D = 200;

/** For each line of `a`, the index of the line of `b` it is aligned with, or -1. */
export function* alignLines(a: readonly string[], b: readonly string[], clock: Clock): Sliced<Int32Array> {
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const x = new Int32Array(a.length);
  const y = new Int32Array(b.length);
  for (let i = 0; i < a.length; i++) {
    x[i] = intern(a[i]);
    if (clock.due()) yield;
  }
  for (let j = 0; j < b.length; j++) {
    y[j] = intern(b[j]);
    if (clock.due()) yield;
  }
  const aligner = new Aligner(x, y, ids.size);
  const ranges: number[][] = [[0, a.length, 0, b.length]];
  while (ranges.length > 0) {
    const [a0, a1, b0, b1] = ranges.pop() as number[];
    aligner.range(a0, a1, b0, b1, ranges);
    if (clock.due()) yield;
  }
  return aligner.match;
}

class Aligner {
  readonly match: Int32Array;
  private readonly countA: Int32Array;
  private readonly countB: Int32Array;
  private readonly posB: Int32Array;

  constructor(
    private readonly x: Int32Array,
    private readonly y: Int32Array,
    distinct: number,
  ) {
    this.match = new Int32Array(x.length).fill(-1);
    this.countA = new Int32Array(distinct);
    this.countB = new Int32Array(distinct);
    this.posB = new Int32Array(distinct);
  }

  /** Aligns one range; pushes the sub-ranges still to do onto `todo`. */
  range(a0: number, a1: number, b0: number, b1: number, todo: number[][]): void {
    const { x, y, match } = this;
    while (a0 < a1 && b0 < b1 && x[a0] === y[b0]) match[a0++] = b0++;
    while (a0 < a1 && b0 < b1 && x[a1 - 1] === y[b1 - 1]) match[--a1] = --b1;
    if (a0 === a1 || b0 === b1) return;
    const anchors = this.anchors(a0, a1, b0, b1);
    if (anchors.length === 0) {
      this.myers(a0, a1, b0, b1);
      return;
    }
    let pa = a0;
    let pb = b0;
    for (const [i, j] of anchors) {
      match[i] = j;
      if (i > pa && j > pb) todo.push([pa, i, pb, j]);
      pa = i + 1;
      pb = j + 1;
    }
    if (a1 > pa && b1 > pb) todo.push([pa, a1, pb, b1]);
  }

  /** Lines unique on both sides of the range, longest chain increasing on both sides. */
  private anchors(a0: number, a1: number, b0: number, b1: number): [number, number][] {
    const { x, y, countA, countB, posB } = this;
    for (let i = a0; i < a1; i++) countA[x[i]]++;
    for (let j = b0; j < b1; j++) {
      countB[y[j]]++;
      posB[y[j]] = j;
    }
    const candidates: [number, number][] = [];
    for (let i = a0; i < a1; i++) {
      const id = x[i];
      if (countA[id] === 1 && countB[id] === 1) candidates.push([i, posB[id]]);
    }
    for (let i = a0; i < a1; i++) countA[x[i]] = 0;
    for (let j = b0; j < b1; j++) countB[y[j]] = 0;
    return longestIncreasing(candidates);
  }

  /** Myers' greedy forward algorithm with the path kept, for one (small) gap. */
  private myers(a0: number, a1: number, b0: number, b1: number): void {
    const { x, y } = this;
    const n = a1 - a0;
    const m = b1 - b0;
    const maxD = Math.min(n + m, MAX_D);
    const offset = maxD + 1;
    let v = new Int32Array(2 * maxD + 3);
    const trace: Int32Array[] = [];
    for (let d = 0; d <= maxD; d++) {
      trace.push(v.slice());
      const next = v.slice();
      for (let k = -d; k <= d; k += 2) {
        let i =
          k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
        let j = i - k;
        while (i < n && j < m && x[a0 + i] === y[b0 + j]) {
          i++;
          j++;
        }
        next[offset + k] = i;
        if (i >= n && j >= m) {
          this.backtrack(trace, next, d, k, offset, a0, b0);
          return;
        }
      }
      v = next;
    }
    // Too different: no alignment in this gap (all of it removed, all of it added).
  }

  private backtrack(
    trace: Int32Array[],
    last: Int32Array,
    d: number,
    k: number,
    offset: number,
    a0: number,
    b0: number,
  ): void {
    let v = last;
    for (let step = d; step >= 0; step--) {
      const i = v[offset + k];
      const prev = trace[step];
      let startI = 0;
      let nextK = k;
      if (step > 0) {
        const down = k === -step || (k !== step && prev[offset + k - 1] < prev[offset + k + 1]);
        nextK = down ? k + 1 : k - 1;
        const pi = prev[offset + nextK];
        startI = down ? pi : pi + 1;
      }
      // The diagonal run from (startI, startI - k) to (i, i - k) is made of equal lines.
      for (let s = startI; s < i; s++) this.match[a0 + s] = b0 + s - k;
      v = prev;
      k = nextK;
    }
  }
}

/** Longest chain of pairs increasing in both coordinates (input sorted by the first). */
function longestIncreasing(pairs: [number, number][]): [number, number][] {
  const tails: number[] = [];
  const back = new Int32Array(pairs.length);
  for (let p = 0; p < pairs.length; p++) {
    const j = pairs[p][1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]][1] < j) lo = mid + 1;
      else hi = mid;
    }
    back[p] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = p;
  }
  const out: [number, number][] = [];
  for (let p = tails.length > 0 ? tails[tails.length - 1] : -1; p >= 0; p = back[p]) out.push(pairs[p]);
  return out.reverse();
}
