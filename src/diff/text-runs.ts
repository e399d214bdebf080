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
 * The marks are kept per list path and entry id (ListMarks), the same on both sides.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { MemberResolver } from './members';
import { keyPredicates, predicateText, quote } from './path';
import type { Clock, Sliced } from './slicer';

export interface RunMarks {
  /** The marks of each keyed list walked, by the list's path (the same on both sides). */
  lists: Map<string, ListMarks>;
}

/**
 * One list's marks, by entry id (entryId: the key value's text for a one-key list, which is
 * a string already there in the entry, so a 50,000-entry list is marked and rendered without
 * building 50,000 paths per side; the key predicates otherwise).
 */
export interface ListMarks {
  /** Ids of the entries on a change's path (one-key lists; others look their path up in onPath). */
  onIds: Set<string> | undefined;
  /** Entries that begin a run. */
  breaks: Set<string>;
  /** Entries that are a run of their own. */
  singles: Set<string>;
}

export function entryId(node: SchemaNode, entry: JsonObject): string {
  return node.keys.length === 1 ? predicateText(entry[node.keys[0]]) : keyPredicates(node, entry);
}

export function entryPath(node: SchemaNode, path: string, id: string): string {
  return node.keys.length === 1 ? `${path}[${node.keys[0]}=${quote(id)}]` : `${path}${id}`;
}

export function onChangePath(
  onPath: Set<string>,
  marks: ListMarks,
  node: SchemaNode,
  path: string,
  id: string,
): boolean {
  return marks.onIds ? marks.onIds.has(id) : onPath.has(entryPath(node, path, id));
}

interface WalkContext {
  members: MemberResolver;
  onPath: Set<string>;
  changed: Set<string>;
  clock: Clock;
  marks: RunMarks;
  /** On-path entry paths by their list's path: the predicate group after it (built once). */
  entriesOnPath: Map<string, string[]>;
}

/** The run marks of the two canonical configurations (walked only along the changes' paths). */
export function* runMarks(
  a: JsonObject,
  b: JsonObject,
  members: MemberResolver,
  paths: { onPath: Set<string>; changed: Set<string> },
  clock: Clock,
): Sliced<RunMarks> {
  const entriesOnPath = indexEntries(paths.onPath);
  const ctx: WalkContext = { members, ...paths, clock, marks: { lists: new Map() }, entriesOnPath };
  yield* walkObject(ctx, a, b, undefined, undefined, '');
  return ctx.marks;
}

/** Paths ending in predicates, split into the list's path and the predicates (quote-aware). */
function indexEntries(onPath: Set<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const p of onPath) {
    if (!p.endsWith(']')) continue;
    let quote = '';
    let bracket = -1;
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '/') bracket = -1;
      else if (c === '[' && bracket < 0) bracket = i;
    }
    if (bracket < 0) continue;
    const list = p.slice(0, bracket);
    const rests = index.get(list);
    if (rests) rests.push(p.slice(bracket));
    else index.set(list, [p.slice(bracket)]);
  }
  return index;
}

/** A one-key list's on-path entries as key texts: `[k='text']` groups whose quoting round-trips. */
function onPathIds(ctx: WalkContext, node: SchemaNode, path: string): Set<string> | undefined {
  if (node.keys.length !== 1) return undefined;
  const head = `[${node.keys[0]}=`;
  const ids = new Set<string>();
  for (const rest of ctx.entriesOnPath.get(path) ?? []) {
    if (!rest.startsWith(head)) continue;
    const literal = rest.slice(head.length, -1);
    const text = literal.slice(1, -1);
    if (literal.length >= 2 && quote(text) === literal) ids.add(text);
  }
  return ids;
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
  const marks: ListMarks = { onIds: onPathIds(ctx, node, path), breaks: new Set(), singles: new Set() };
  ctx.marks.lists.set(path, marks);
  const onA = yield* markSide(ctx, marks, a, node, path);
  const onB = yield* markSide(ctx, marks, b, node, path);
  for (const [p, entry] of onA)
    if (!ctx.changed.has(p)) yield* walkObject(ctx, entry, onB.get(p), node, node.module, p);
  for (const [p, entry] of onB)
    if (!onA.has(p) && !ctx.changed.has(p)) yield* walkObject(ctx, undefined, entry, node, node.module, p);
}

/** Marks one side's unchanged entries; returns its entries on a change's path, by path. */
function* markSide(
  ctx: WalkContext,
  marks: ListMarks,
  entries: JsonValue[],
  node: SchemaNode,
  path: string,
): Sliced<Map<string, JsonObject>> {
  const on = new Map<string, JsonObject>();
  let afterChange = true;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!isJsonObject(e)) {
      afterChange = true;
      continue;
    }
    const id = entryId(node, e);
    if (onChangePath(ctx.onPath, marks, node, path, id)) {
      on.set(entryPath(node, path, id), e);
      afterChange = true;
      continue;
    }
    if (afterChange) marks.breaks.add(id);
    if (i === entries.length - 1) {
      marks.breaks.add(id);
      marks.singles.add(id);
    }
    afterChange = false;
    if (ctx.clock.due()) yield;
  }
  return on;
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}
