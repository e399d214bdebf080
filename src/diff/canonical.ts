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
import { enterEntry, enterMember, type IgnoreState } from './ignore';
import { compareScalars, MemberResolver } from './members';
import { keyPredicates, predicateText } from './path';
import type { Clock, Sliced } from './slicer';

export interface CanonContext {
  members: MemberResolver;
  clock: Clock;
  warnings: string[];
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
  // straight to `out`, and only an object found out of order is rebuilt sorted.
  const out: JsonObject = {};
  let sorted = parent !== undefined;
  let lastRank = -1;
  for (const member of Object.keys(obj)) {
    if (member.startsWith('@')) continue;
    const resolved = ctx.members.resolve(member, parent, parentModule);
    const inner = enterMember(ignore, resolved.key);
    if (inner === 'drop') continue;
    const raw = obj[member];
    const node = resolved.node;
    // The member's path is only built where it may be needed (warnings, lists, containers).
    const value =
      node?.kind === 'leaf'
        ? leafValue(ctx, node, raw, path, resolved.name)
        : node
          ? yield* canonicalNode(ctx, node, raw, inner, `${path}/${resolved.name}`)
          : yield* canonicalPlain(ctx, raw, resolved.module, inner, `${path}/${resolved.name}`);
    if (value === undefined) continue;
    if (sorted) {
      const rank = ctx.members.rank(parent, resolved.key);
      if (rank <= lastRank) sorted = false;
      lastRank = rank;
    }
    out[resolved.name] = value;
  }
  return sorted ? out : sortedMembers(ctx, out, parent, parentModule);
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
  const entries: JsonObject[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item)) {
      ctx.warnings.push(`${path}: a list entry must be an object; left out`);
      continue;
    }
    const inner = enterEntry(ignore, item, i + 1);
    if (inner === 'drop') continue;
    const entry = yield* canonicalObject(ctx, item, node, node.module, inner, path);
    entries.push(entry);
    if (ctx.clock.due()) yield;
  }
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
  const decorated: { entry: JsonObject; sortKeys: SortKey[] }[] = [];
  for (const entry of entries) {
    decorated.push({ entry, sortKeys: keys.map((k) => sortKey(entry[k])) });
    if (ctx.clock.due()) yield;
  }
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const d = compareSortKeys(a.sortKeys[i], b.sortKeys[i], a.entry[keys[i]], b.entry[keys[i]]);
      if (d !== 0) return d;
    }
    return 0;
  });
  for (let i = 0; i < decorated.length; i++) entries[i] = decorated[i].entry;
  yield;
  for (let i = 1; i < entries.length; i++) {
    if (keys.every((k) => compareScalars(entries[i - 1][k], entries[i][k]) === 0))
      ctx.warnings.push(`${path}${keyPredicates(node, entries[i])}: the list has this entry twice`);
  }
}

type SortKey = number | bigint | string;

/** What compareScalars compares a value by: numbers, integers in text, or the text. */
function sortKey(value: JsonValue | undefined): SortKey {
  if (typeof value === 'number') return value;
  const text = predicateText(value);
  return /^-?\d+$/.test(text) ? BigInt(text) : text;
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
