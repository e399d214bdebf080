/**
 * Runs of unchanged keyed list entries, folded into one text block each (text-render.ts), so that
 * a 50,000-entry list with a few hundred changes is a few hundred items for the line diff rather
 * than 50,000 per side.
 *
 * Both sides must fold the same runs, or the line diff would see different blocks. The unchanged
 * entries of a list are the same on both sides and in the same order (keyed entries no change
 * touches; a user-ordered list whose order changed is one change of the whole list and not
 * folded). So a run may span two neighbouring unchanged entries unless an entry on the path of a
 * change stands between them on either side: `breaks` holds the entries right after such an
 * entry (or first in their list) on either side. An entry last in its list on either side
 * (`singles`) stands alone, since its comma differs when the other side has more after it.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { MemberResolver } from './members';
import { keyPredicates } from './path';
import type { Clock, Sliced } from './slicer';

export interface RunMarks {
  /** Entry paths that begin a run. */
  breaks: Set<string>;
  /** Entry paths that are a run of their own. */
  singles: Set<string>;
  /**
   * The same as flags (ON_PATH, BREAK, SINGLE) per entry of each list array walked (either
   * side), so that the text render of a 50,000-entry list neither builds every entry's path
   * again nor looks it up.
   */
  lists: Map<JsonValue[], Uint8Array>;
}

export const ON_PATH = 1;
export const BREAK = 2;
export const SINGLE = 4;

interface WalkContext {
  members: MemberResolver;
  onPath: Set<string>;
  changed: Set<string>;
  clock: Clock;
  marks: RunMarks;
}

/** The run marks of the two canonical configurations (walked only along the changes' paths). */
export function* runMarks(
  a: JsonObject,
  b: JsonObject,
  members: MemberResolver,
  paths: { onPath: Set<string>; changed: Set<string> },
  clock: Clock,
): Sliced<RunMarks> {
  const ctx: WalkContext = {
    members,
    ...paths,
    clock,
    marks: { breaks: new Set(), singles: new Set(), lists: new Map() },
  };
  yield* walkObject(ctx, a, b, undefined, undefined, '');
  return ctx.marks;
}

function* walkObject(
  ctx: WalkContext,
  a: JsonObject | undefined,
  b: JsonObject | undefined,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
  path: string,
): Sliced<void> {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  for (const k of keys) {
    const p = `${path}/${k}`;
    if (!ctx.onPath.has(p) || ctx.changed.has(p)) continue;
    const x = a?.[k];
    const y = b?.[k];
    const resolved = ctx.members.resolve(k, parent, parentModule);
    const node = resolved.node;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (node && node.kind === 'list' && node.keys.length > 0) yield* walkList(ctx, asArray(x), asArray(y), node, p);
    } else {
      yield* walkObject(ctx, asObject(x), asObject(y), node, resolved.module || parentModule, p);
    }
  }
}

function* walkList(ctx: WalkContext, a: JsonValue[], b: JsonValue[], node: SchemaNode, path: string): Sliced<void> {
  const pathsA: string[] = [];
  const pathsB: string[] = [];
  const onA = yield* markSide(ctx, a, node, path, pathsA);
  const onB = yield* markSide(ctx, b, node, path, pathsB);
  // The marks are final once both sides are marked: now each entry's flags.
  yield* listMarks(ctx, a, pathsA);
  yield* listMarks(ctx, b, pathsB);
  for (const [p, entry] of onA)
    if (!ctx.changed.has(p)) yield* walkObject(ctx, entry, onB.get(p), node, node.module, p);
  for (const [p, entry] of onB)
    if (!onA.has(p) && !ctx.changed.has(p)) yield* walkObject(ctx, undefined, entry, node, node.module, p);
}

/** Marks one side's unchanged entries; returns its entries on a change's path, by path. */
function* markSide(
  ctx: WalkContext,
  entries: JsonValue[],
  node: SchemaNode,
  path: string,
  paths: string[],
): Sliced<Map<string, JsonObject>> {
  const on = new Map<string, JsonObject>();
  let afterChange = true;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!isJsonObject(e)) {
      paths.push('');
      afterChange = true;
      continue;
    }
    const p = `${path}${keyPredicates(node, e)}`;
    paths.push(p);
    if (ctx.onPath.has(p)) {
      on.set(p, e);
      afterChange = true;
      continue;
    }
    if (afterChange) ctx.marks.breaks.add(p);
    if (i === entries.length - 1) {
      ctx.marks.breaks.add(p);
      ctx.marks.singles.add(p);
    }
    afterChange = false;
    if (ctx.clock.due()) yield;
  }
  return on;
}

function* listMarks(ctx: WalkContext, entries: JsonValue[], paths: string[]): Sliced<void> {
  // An array on both sides (the same list object given twice) keeps its first marks: they agree.
  if (ctx.marks.lists.has(entries)) return;
  const flags = new Uint8Array(paths.length);
  const { breaks, singles } = ctx.marks;
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i];
    if (p === '') continue;
    flags[i] = (ctx.onPath.has(p) ? ON_PATH : 0) | (breaks.has(p) ? BREAK : 0) | (singles.has(p) ? SINGLE : 0);
    if (ctx.clock.due()) yield;
  }
  ctx.marks.lists.set(entries, flags);
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}
