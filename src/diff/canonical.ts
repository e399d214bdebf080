/**
 * A configuration in canonical form, the common ground of the semantic diff, the text diff and
 * the edit-config: RFC 7951 JSON with
 *
 * - members in schema order (list keys first), qualified only where the module changes;
 * - `ordered-by system` lists sorted by their keys and leaf-lists by value, keyless lists by
 *   content (they are compared as sets); `ordered-by user` ones keep their order;
 * - leaf values in the canonical form of their type (canonical-value.ts);
 * - RFC 7952 metadata, empty non-presence containers and ignored nodes left out.
 *
 * Without a schema every object's members are sorted by name and arrays keep their order.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import { canonicalValue } from './canonical-value';
import { enterEntry, enterMember, positionMatters, type IgnoreState } from './ignore';
import { compareScalars, MemberResolver } from './members';
import { keyPredicates, predicateText } from './path';
import type { ReusedEntries } from './reused-entries';
import type { Clock, Sliced } from './slicer';

export interface CanonContext {
  members: MemberResolver;
  clock: Clock;
  warnings: string[];
  /**
   * The input is the diff's own (converted from XML, referenced by nobody else): objects and
   * list arrays already in canonical form are kept and their values replaced in place, so a
   * large configuration is not copied a second time (that copy was most of the pass's time).
   */
  owned?: boolean;
  /** Entries the XML pair conversion reused: the first's pass notes their form, the second's copies it. */
  reused?: ReusedEntries;
}

interface Member {
  name: string;
  rank: number;
  key: string;
  value: JsonValue;
}

/** The members of `obj` (children of `parent`, undefined at the top level) in canonical form. */
export function* canonicalObject(
  ctx: CanonContext,
  obj: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
  ignore: IgnoreState,
  path: string,
): Sliced<JsonObject> {
  // Members usually come in schema order already (converted XML, most JSON): they are written
  // straight to `out` (or kept in `obj` while it is owned and canonical: `out` undefined), and
  // only an object found out of order is rebuilt sorted.
  let out: JsonObject | undefined = ctx.owned ? undefined : {};
  let sorted = parent !== undefined;
  let lastRank = -1;
  const names = Object.keys(obj);
  for (let i = 0; i < names.length; i++) {
    const member = names[i];
    const resolved = member.startsWith('@') ? undefined : ctx.members.resolve(member, parent, parentModule);
    const inner = resolved ? enterMember(ignore, resolved.key) : 'drop';
    const raw = obj[member];
    const node = resolved?.node;
    // The member's path is only built where it may be needed (warnings, lists, containers).
    const value =
      !resolved || inner === 'drop'
        ? undefined
        : node?.kind === 'leaf'
          ? leafValue(ctx, node, raw, path, resolved.name)
          : node
            ? yield* canonicalNode(ctx, node, raw, inner, `${path}/${resolved.name}`)
            : yield* canonicalPlain(ctx, raw, resolved.module, inner, `${path}/${resolved.name}`);
    if (value === undefined || !resolved) {
      out ??= keptBefore(obj, names, i);
      continue;
    }
    if (sorted) {
      const rank = ctx.members.rank(parent, resolved.key);
      if (rank <= lastRank) sorted = false;
      lastRank = rank;
    }
    if (!out && resolved.name !== member) out = keptBefore(obj, names, i);
    if (out) out[resolved.name] = value;
    else if (value !== raw) obj[member] = value;
  }
  const result = out ?? obj;
  return sorted ? result : sortedMembers(ctx, result, parent, parentModule);
}

/** A new object with the first `n` members of an owned object (all kept so far, in place). */
function keptBefore(obj: JsonObject, names: string[], n: number): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < n; i++) out[names[i]] = obj[names[i]];
  return out;
}

/** `out`'s members in canonical order (schema rank, then qualified name). */
function sortedMembers(
  ctx: CanonContext,
  out: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
): JsonObject {
  const members: Member[] = Object.keys(out).map((name) => {
    const key = ctx.members.resolve(name, parent, parentModule).key;
    return { name, rank: ctx.members.rank(parent, key), key, value: out[name] };
  });
  members.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted: JsonObject = {};
  for (const m of members) sorted[m.name] = m.value;
  return sorted;
}

function* canonicalNode(
  ctx: CanonContext,
  node: SchemaNode,
  raw: JsonValue,
  ignore: IgnoreState,
  path: string,
): Sliced<JsonValue | undefined> {
  switch (node.kind) {
    case 'leaf':
      return leafValue(ctx, node, raw, path);
    case 'leaf-list':
      return canonicalLeafList(ctx, node, raw, ignore, path);
    case 'list':
      return yield* canonicalList(ctx, node, raw, ignore, path);
    case 'anydata':
    case 'anyxml':
      return yield* canonicalPlain(ctx, raw, node.module, ignore, path);
    default: {
      const obj = raw === null || (Array.isArray(raw) && raw.length === 1 && raw[0] === null) ? {} : raw;
      if (!isJsonObject(obj)) {
        ctx.warnings.push(`${path}: a ${node.kind} must be an object; compared as it is`);
        return raw;
      }
      const value = yield* canonicalObject(ctx, obj, node, node.module, ignore, path);
      // An empty non-presence container means nothing (RFC 7950 7.5.1): the same as none.
      return Object.keys(value).length === 0 && !node.presence && node.kind === 'container' ? undefined : value;
    }
  }
}

function leafValue(ctx: CanonContext, node: SchemaNode, raw: JsonValue, path: string, name = ''): JsonValue {
  if (!node.type) return raw;
  const value = canonicalValue(node.type, raw, node.module);
  if (value !== undefined) return value;
  ctx.warnings.push(
    `${path}${name ? `/${name}` : ''}: ${JSON.stringify(raw)} is not a valid ${node.type.name}; compared as it is`,
  );
  return raw;
}

function canonicalLeafList(
  ctx: CanonContext,
  node: SchemaNode,
  raw: JsonValue,
  ignore: IgnoreState,
  path: string,
): JsonValue[] | undefined {
  const items = Array.isArray(raw) ? raw : [raw];
  const values: JsonValue[] = [];
  items.forEach((item, i) => {
    const value = leafValue(ctx, node, item, path);
    if (enterEntry(ignore, value, i + 1) !== 'drop') values.push(value);
  });
  if (node.orderedBy === 'system') values.sort(compareScalars);
  return values.length === 0 ? undefined : values;
}

function* canonicalList(
  ctx: CanonContext,
  node: SchemaNode,
  raw: JsonValue,
  ignore: IgnoreState,
  path: string,
): Sliced<JsonValue[] | undefined> {
  const items = Array.isArray(raw) ? raw : [raw];
  // An owned array is compacted in place: entry `kept` is written only after item `i >= kept` was read.
  const entries = (ctx.owned && items === raw ? items : []) as JsonObject[];
  let kept = 0;
  // An entry copied from the first configuration is made once, where what is ignored inside it
  // follows from its content alone (the copy has the same content, not the same position).
  const reused = positionMatters(ignore) ? undefined : ctx.reused;
  const record = reused?.recorder(items, node, path);
  const copies = reused?.copiesIn(items);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item)) {
      ctx.warnings.push(`${path}: a list entry must be an object; left out`);
      continue;
    }
    const inner = enterEntry(ignore, item, i + 1);
    if (inner === 'drop') continue;
    const entry =
      (copies && reused?.canonicalCopy(copies, i, node, path)) ??
      (yield* canonicalObject(ctx, item, node, node.module, inner, path));
    if (record) record[i] = entry;
    entries[kept++] = entry;
    if (ctx.clock.due()) yield;
  }
  entries.length = kept;
  if (node.orderedBy === 'system') yield* sortEntries(ctx, node, entries, path);
  return entries.length === 0 ? undefined : entries;
}

/** Keyed entries by key values; keyless ones (state data) by their whole content. */
function* sortEntries(ctx: CanonContext, node: SchemaNode, entries: JsonObject[], path: string): Sliced<void> {
  if (node.keys.length === 0) {
    const texts = new Map<JsonObject, string>();
    for (const e of entries) {
      texts.set(e, JSON.stringify(e));
      if (ctx.clock.due()) yield;
    }
    entries.sort((a, b) => compareText(texts.get(a) ?? '', texts.get(b) ?? ''));
    return;
  }
  const keys = node.keys;
  // Decorated sort: each key value is prepared once, not at each of the n log n comparisons.
  const decorated: Decorated[] = [];
  for (const entry of entries) {
    decorated.push(
      keys.length === 1
        ? { entry, first: sortKey(entry[keys[0]]), rest: NO_KEYS }
        : { entry, first: sortKey(entry[keys[0]]), rest: keys.slice(1).map((k) => sortKey(entry[k])) },
    );
    if (ctx.clock.due()) yield;
  }
  const order = (a: Decorated, b: Decorated): number => {
    const d = compareSortKeys(a.first, b.first, a.entry[keys[0]], b.entry[keys[0]]);
    if (d !== 0 || keys.length === 1) return d;
    for (let i = 1; i < keys.length; i++) {
      const r = compareSortKeys(a.rest[i - 1], b.rest[i - 1], a.entry[keys[i]], b.entry[keys[i]]);
      if (r !== 0) return r;
    }
    return 0;
  };
  // Two reads of one device usually list the entries in the same order: often already sorted.
  let inOrder = true;
  for (let i = 1; i < decorated.length && inOrder; i++) inOrder = order(decorated[i - 1], decorated[i]) <= 0;
  if (!inOrder) decorated.sort(order);
  for (let i = 0; i < decorated.length; i++) entries[i] = decorated[i].entry;
  yield;
  for (let i = 1; i < entries.length; i++) {
    if (keys.every((k) => compareScalars(entries[i - 1][k], entries[i][k]) === 0))
      ctx.warnings.push(`${path}${keyPredicates(node, entries[i])}: the list has this entry twice`);
  }
}

type SortKey = number | bigint | string;

interface Decorated {
  entry: JsonObject;
  /** The first key's sort key, and those of the others (most lists have one key). */
  first: SortKey;
  rest: SortKey[];
}

const NO_KEYS: SortKey[] = [];

/** What compareScalars compares a value by: numbers, integers in text, or the text. */
function sortKey(value: JsonValue | undefined): SortKey {
  if (typeof value === 'number') return value;
  const text = predicateText(value);
  // Only text starting like an integer can be one: most key values are names, spared the regex.
  const c = text.charCodeAt(0);
  return (c === 45 || (c >= 48 && c <= 57)) && /^-?\d+$/.test(text) ? BigInt(text) : text;
}

function compareSortKeys(x: SortKey, y: SortKey, a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (typeof x === typeof y && x !== y) return x < y ? -1 : 1;
  // Equal integers written differently ('007', '7' as string keys) and mixed kinds: the slow way.
  return x === y && typeof x !== 'bigint' ? 0 : compareScalars(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** No schema: objects with members sorted by name, arrays in their order, scalars as they are. */
export function* canonicalPlain(
  ctx: CanonContext,
  raw: JsonValue,
  module: string | undefined,
  ignore: IgnoreState,
  path: string,
): Sliced<JsonValue> {
  if (Array.isArray(raw)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < raw.length; i++) {
      const inner = enterEntry(ignore, raw[i], i + 1);
      if (inner !== 'drop') out.push(yield* canonicalPlain(ctx, raw[i], module, inner, path));
      if (ctx.clock.due()) yield;
    }
    return out;
  }
  if (!isJsonObject(raw)) return raw;
  const out: JsonObject = {};
  const names = Object.keys(raw)
    .filter((m) => !m.startsWith('@'))
    .sort();
  for (const member of names) {
    const resolved = ctx.members.resolve(member, undefined, module);
    const inner = enterMember(ignore, resolved.key);
    if (inner === 'drop') continue;
    out[member] = yield* canonicalPlain(ctx, raw[member], resolved.module || module, inner, `${path}/${member}`);
  }
  return out;
}
