/**
 * The canonical text of a configuration for the line diff, with unchanged subtrees folded: a
 * member or keyed list entry that no change touches (its path is not on any change's path) is
 * one Block item standing for all its lines. Both sides fold the same subtrees under the same
 * path, so the line diff aligns a few thousand items instead of hundreds of thousands of lines,
 * and only the blocks next to a change are ever printed (unified.ts unfolds them).
 *
 * Entries of keyless lists and schema-less arrays are identified by position only, which does
 * not tell whether two entries are the same: they are never folded.
 */
import type { JsonObject, JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { DiffChange } from './change';
import { emit, lineCount } from './json-lines';
import type { MemberResolver } from './members';
import type { Clock, Sliced } from './slicer';
import { entryId, entryPath, onChangePath, type RunMarks } from './text-runs';

export interface Block {
  /** Same on both sides for the same unchanged subtree: path (and count of a run) and trailing comma. */
  id: string;
  lines: number;
  /** One member's value, or a run of list entries (text-runs.ts). */
  values: JsonValue[];
  indent: string;
  label: string;
  comma: string;
}

export type TextItem = string | Block;

/** Lines of the folded block. */
export function* unfold(block: Block, clock: Clock): Sliced<string[]> {
  const out: string[] = [];
  const n = block.values.length;
  for (let i = 0; i < n; i++)
    yield* emit(block.values[i], block.indent, block.label, i < n - 1 ? ',' : block.comma, out, clock);
  return out;
}

/** Every path that leads to a change (ancestors included), and the changed paths themselves. */
export function changePaths(changes: readonly DiffChange[]): { onPath: Set<string>; changed: Set<string> } {
  const onPath = new Set<string>();
  const changed = new Set<string>();
  for (const { path } of changes) {
    changed.add(path);
    let quote = '';
    for (let i = 1; i < path.length; i++) {
      const c = path[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '/' || c === '[') onPath.add(path.slice(0, i));
    }
    onPath.add(path);
  }
  return { onPath, changed };
}

interface RenderContext {
  members: MemberResolver;
  onPath: Set<string>;
  changed: Set<string>;
  marks: RunMarks;
  /** Lines the unified diff unfolds next to a change: a run's edges stay apart within them. */
  reach: number;
  clock: Clock;
  out: TextItem[];
}

export function* renderFolded(
  config: JsonObject,
  members: MemberResolver,
  paths: { onPath: Set<string>; changed: Set<string> },
  marks: RunMarks,
  reach: number,
  clock: Clock,
): Sliced<TextItem[]> {
  const ctx: RenderContext = { members, ...paths, marks, reach, clock, out: [] };
  yield* object(ctx, config, undefined, undefined, '', '', '', '');
  return ctx.out;
}

function fold(ctx: RenderContext, path: string, value: JsonValue, indent: string, label: string, comma: string): void {
  ctx.out.push({ id: `\u0000${path}\u0000${comma}`, lines: lineCount(value), values: [value], indent, label, comma });
}

/**
 * A run of unchanged entries in between changes: `lines.length` consecutive entries of `items`
 * from `from`. Paths are made only for the entries that need one (a block's first, singles).
 */
interface Run {
  items: JsonValue[];
  node: SchemaNode;
  path: string;
  from: number;
  lines: number[];
}

function runPath(run: Run, i: number): string {
  return entryPath(run.node, run.path, entryId(run.node, run.items[run.from + i] as JsonObject));
}

/**
 * A run as blocks: entries within `reach` lines of either end alone (the unified diff unfolds
 * those next to a change, and should not unfold the whole run for them), the rest as one block.
 */
function foldRun(ctx: RenderContext, run: Run, indent: string, comma: string): void {
  const n = run.lines.length;
  let head = 0;
  for (let seen = 0; head < n && seen < ctx.reach; head++) seen += run.lines[head];
  let tail = n;
  for (let seen = 0; tail > head && seen < ctx.reach; tail--) seen += run.lines[tail - 1];
  const single = (i: number): void =>
    fold(ctx, runPath(run, i), run.items[run.from + i], indent, '', i < n - 1 ? ',' : comma);
  for (let i = 0; i < head; i++) single(i);
  if (tail > head) {
    const c = tail < n ? ',' : comma;
    let lines = 0;
    for (let i = head; i < tail; i++) lines += run.lines[i];
    const id = `\u0000${runPath(run, head)}\u0000${tail - head}\u0000${c}`;
    const values = run.items.slice(run.from + head, run.from + tail);
    ctx.out.push({ id, lines, values, indent, label: '', comma: c });
  }
  for (let i = tail; i < n; i++) single(i);
}

function* object(
  ctx: RenderContext,
  obj: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
  path: string,
  indent: string,
  label: string,
  comma: string,
): Sliced<void> {
  const keys = Object.keys(obj);
  if (keys.length === 0) {
    ctx.out.push(`${indent}${label}{}${comma}`);
    return;
  }
  ctx.out.push(`${indent}${label}{`);
  const inner = `${indent}  `;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    const p = `${path}/${k}`;
    const c = i < keys.length - 1 ? ',' : '';
    const l = `${JSON.stringify(k)}: `;
    const resolved = ctx.members.resolve(k, parent, parentModule);
    const module = resolved.module || parentModule;
    if (typeof v !== 'object' || v === null || ctx.changed.has(p)) yield* emitLines(ctx, v, inner, l, c);
    else if (!ctx.onPath.has(p)) fold(ctx, p, v, inner, l, c);
    else if (Array.isArray(v)) yield* array(ctx, v, resolved.node, p, inner, l, c);
    else yield* object(ctx, v, resolved.node, module, p, inner, l, c);
  }
  ctx.out.push(`${indent}}${comma}`);
}

function* array(
  ctx: RenderContext,
  items: JsonValue[],
  node: SchemaNode | undefined,
  path: string,
  indent: string,
  label: string,
  comma: string,
): Sliced<void> {
  if (!node || node.kind !== 'list' || node.keys.length === 0) {
    yield* emitLines(ctx, items, indent, label, comma);
    return;
  }
  ctx.out.push(`${indent}${label}[`);
  const inner = `${indent}  `;
  // Every keyed list on a change's path was marked (text-runs.ts); were one not, each of its
  // entries would stand alone: the same text, folded less.
  const marks = ctx.marks.lists.get(path) ?? { onIds: undefined, breaks: ALL, singles: ALL };
  let run: Run | undefined;
  const flush = (after: string): void => {
    if (run) foldRun(ctx, run, inner, after);
    run = undefined;
  };
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    const c = i < items.length - 1 ? ',' : '';
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      flush(',');
      yield* emitLines(ctx, e, inner, '', c);
      continue;
    }
    const id = entryId(node, e);
    if (!onChangePath(ctx.onPath, marks, node, path, id)) {
      if (marks.breaks.has(id)) flush(',');
      run ??= { items, node, path, from: i, lines: [] };
      run.lines.push(lineCount(e));
      if (marks.singles.has(id) || i === items.length - 1) flush(c);
    } else {
      flush(',');
      const p = entryPath(node, path, id);
      if (ctx.changed.has(p)) yield* emitLines(ctx, e, inner, '', c);
      else yield* object(ctx, e, node, node.module, p, inner, '', c);
    }
    if (ctx.clock.due()) yield;
  }
  flush('');
  ctx.out.push(`${indent}]${comma}`);
}

/** A set that has everything. */
const ALL: Set<string> = new (class extends Set<string> {
  override has(): boolean {
    return true;
  }
})();

function* emitLines(ctx: RenderContext, value: JsonValue, indent: string, label: string, comma: string): Sliced<void> {
  const lines: string[] = [];
  yield* emit(value, indent, label, comma, lines, ctx.clock);
  for (const line of lines) ctx.out.push(line);
}
