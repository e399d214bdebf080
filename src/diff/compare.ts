/**
 * The semantic comparison of two canonical configurations (canonical.ts): containers member by
 * member, keyed list entries matched by their keys, `ordered-by system` lists and leaf-lists as
 * sets, `ordered-by user` ones in order. A user-ordered list or leaf-list whose common entries
 * changed their relative order is reported as one `replace` of the whole list: its order is
 * part of its value. Members the schema does not describe are compared structurally.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { DiffChange } from './change';
import { compareScalars, sameJson, type MemberResolver } from './members';
import { keyPredicates, valuePredicate } from './path';
import type { Clock, Sliced } from './slicer';

export interface CompareContext {
  members: MemberResolver;
  clock: Clock;
  changes: DiffChange[];
}

/** Compares two objects whose members are children of `parent` (undefined: top level). */
export function* compareObjects(
  ctx: CompareContext,
  a: JsonObject,
  b: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
  path: string,
): Sliced<void> {
  for (const member of unionOfMembers(ctx, a, b, parent, parentModule)) {
    const { node, module } = ctx.members.resolve(member, parent, parentModule);
    const p = `${path}/${member}`;
    const av = a[member];
    const bv = b[member];
    if (!node) yield* comparePlain(ctx, av, bv, module, p);
    else if (node.kind === 'list') yield* compareList(ctx, node, asArray(av), asArray(bv), p);
    else if (node.kind === 'leaf-list') compareLeafList(ctx, node, asArray(av), asArray(bv), p);
    else if (av === undefined) ctx.changes.push({ op: 'create', path: p, after: bv });
    else if (bv === undefined) ctx.changes.push({ op: 'delete', path: p, before: av });
    else if (node.kind === 'container' && isJsonObject(av) && isJsonObject(bv))
      yield* compareObjects(ctx, av, bv, node, node.module, p);
    else if (!sameJson(av, bv)) ctx.changes.push({ op: 'replace', path: p, before: av, after: bv });
  }
}

/** Member names of both, in canonical order (both are canonical: merge their orders). */
export function unionOfMembers(
  ctx: { members: MemberResolver },
  a: JsonObject,
  b: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
): string[] {
  const names = Object.keys(a);
  let extra = false;
  for (const m of Object.keys(b)) {
    if (!(m in a)) {
      names.push(m);
      extra = true;
    }
  }
  if (!extra) return names;
  const rank = new Map<string, [number, string]>();
  for (const m of names) {
    const r = ctx.members.resolve(m, parent, parentModule);
    rank.set(m, [ctx.members.rank(parent, r.key), r.key]);
  }
  return names.sort((x, y) => {
    const [rx, kx] = rank.get(x) ?? [0, x];
    const [ry, ky] = rank.get(y) ?? [0, y];
    return rx - ry || (kx < ky ? -1 : kx > ky ? 1 : 0);
  });
}

function asArray(v: JsonValue | undefined): JsonValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function* compareList(
  ctx: CompareContext,
  node: SchemaNode,
  as: JsonValue[],
  bs: JsonValue[],
  path: string,
): Sliced<void> {
  const a = as.filter(isJsonObject);
  const b = bs.filter(isJsonObject);
  if (node.keys.length === 0) {
    compareKeyless(ctx, node, a, b, path);
    return;
  }
  const id = (e: JsonObject): string => keyPredicates(node, e);
  if (node.orderedBy === 'user' && !sameRelativeOrder(a.map(id), b.map(id))) {
    ctx.changes.push({ op: 'replace', path, before: a, after: b });
    return;
  }
  if (node.orderedBy === 'system') yield* mergeSorted(ctx, node, a, b, path);
  else yield* matchByKey(ctx, node, a, b, path);
}

/** System order: both sides are sorted by key, so one merge pass pairs them in canonical order. */
function* mergeSorted(
  ctx: CompareContext,
  node: SchemaNode,
  a: JsonObject[],
  b: JsonObject[],
  path: string,
): Sliced<void> {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const d = i >= a.length ? 1 : j >= b.length ? -1 : compareEntries(node, a[i], b[j]);
    if (d < 0) {
      ctx.changes.push({ op: 'delete', path: `${path}${keyPredicates(node, a[i])}`, before: a[i] });
      i++;
    } else if (d > 0) {
      ctx.changes.push({ op: 'create', path: `${path}${keyPredicates(node, b[j])}`, after: b[j] });
      j++;
    } else {
      if (!sameFlat(a[i], b[j]))
        yield* compareObjects(ctx, a[i], b[j], node, node.module, `${path}${keyPredicates(node, b[j])}`);
      i++;
      j++;
    }
    if (ctx.clock.due()) yield;
  }
}

/** User order (the common entries kept their order): entries paired through their keys. */
function* matchByKey(
  ctx: CompareContext,
  node: SchemaNode,
  a: JsonObject[],
  b: JsonObject[],
  path: string,
): Sliced<void> {
  const before = new Map(a.map((e) => [keyPredicates(node, e), e]));
  const kept = new Set<string>();
  for (const e of b) {
    const id = keyPredicates(node, e);
    const old = before.get(id);
    kept.add(id);
    if (!old) ctx.changes.push({ op: 'create', path: `${path}${id}`, after: e });
    else if (!sameFlat(old, e)) yield* compareObjects(ctx, old, e, node, node.module, `${path}${id}`);
    if (ctx.clock.due()) yield;
  }
  for (const [id, e] of before) if (!kept.has(id)) ctx.changes.push({ op: 'delete', path: `${path}${id}`, before: e });
}

/**
 * True when two canonical entries are plainly the same: the same members in the same order,
 * all with equal scalar values. Most entries of a large list are, and need no member-by-member
 * walk (nor the paths it builds). False also when a value is not a scalar: the walk decides.
 */
function sameFlat(x: JsonObject, y: JsonObject): boolean {
  let n = 0;
  for (const k in x) {
    const v = x[k];
    if (typeof v === 'object' || v !== y[k]) return false;
    n++;
  }
  for (const _k in y) n--;
  return n === 0;
}

function compareEntries(node: SchemaNode, x: JsonObject, y: JsonObject): number {
  for (const k of node.keys) {
    const d = compareScalars(x[k], y[k]);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the items both sides have come in the same order on both. */
export function sameRelativeOrder(a: string[], b: string[]): boolean {
  const inB = new Set(b);
  const inA = new Set(a);
  const x = a.filter((k) => inB.has(k));
  const y = b.filter((k) => inA.has(k));
  return x.every((k, i) => k === y[i]);
}

/** Keyless (state) lists: user order by position; system order as multisets of entries. */
function compareKeyless(ctx: CompareContext, node: SchemaNode, a: JsonObject[], b: JsonObject[], path: string): void {
  if (node.orderedBy === 'user') {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const p = `${path}[${i + 1}]`;
      if (i >= a.length) ctx.changes.push({ op: 'create', path: p, after: b[i] });
      else if (i >= b.length) ctx.changes.push({ op: 'delete', path: p, before: a[i] });
      else if (!sameJson(a[i], b[i])) ctx.changes.push({ op: 'replace', path: p, before: a[i], after: b[i] });
    }
    return;
  }
  const left = unmatched(a, b);
  const right = unmatched(b, a);
  for (const i of left) ctx.changes.push({ op: 'delete', path: `${path}[${i + 1}]`, before: a[i] });
  for (const i of right) ctx.changes.push({ op: 'create', path: `${path}[${i + 1}]`, after: b[i] });
}

/** Indexes of entries of `xs` that have no equal partner in `ys` (counted as a multiset). */
function unmatched(xs: JsonValue[], ys: JsonValue[]): number[] {
  const counts = new Map<string, number>();
  for (const y of ys) counts.set(JSON.stringify(y), (counts.get(JSON.stringify(y)) ?? 0) + 1);
  const out: number[] = [];
  xs.forEach((x, i) => {
    const t = JSON.stringify(x);
    const n = counts.get(t) ?? 0;
    if (n > 0) counts.set(t, n - 1);
    else out.push(i);
  });
  return out;
}

function compareLeafList(ctx: CompareContext, node: SchemaNode, a: JsonValue[], b: JsonValue[], path: string): void {
  const text = (v: JsonValue): string => JSON.stringify(v);
  if (node.orderedBy === 'user' && !sameRelativeOrder(a.map(text), b.map(text))) {
    ctx.changes.push({ op: 'replace', path, before: a, after: b });
    return;
  }
  const removed = unmatched(a, b).map((i) => a[i]);
  const added = unmatched(b, a).map((i) => b[i]);
  for (const v of removed) ctx.changes.push({ op: 'delete', path: `${path}${valuePredicate(v)}`, before: v });
  for (const v of added) ctx.changes.push({ op: 'create', path: `${path}${valuePredicate(v)}`, after: v });
}

/** Outside the schema: objects member by member, arrays by position, anything else by value. */
function* comparePlain(
  ctx: CompareContext,
  av: JsonValue | undefined,
  bv: JsonValue | undefined,
  module: string | undefined,
  path: string,
): Sliced<void> {
  // Without a schema only repetition shows a list: one entry against several is still a list.
  if (Array.isArray(av) && isJsonObject(bv)) bv = [bv];
  if (Array.isArray(bv) && isJsonObject(av)) av = [av];
  if (av === undefined) ctx.changes.push({ op: 'create', path, after: bv });
  else if (bv === undefined) ctx.changes.push({ op: 'delete', path, before: av });
  else if (isJsonObject(av) && isJsonObject(bv)) {
    for (const m of unionOfMembers(ctx, av, bv, undefined, module)) {
      const inner = ctx.members.resolve(m, undefined, module).module || module;
      yield* comparePlain(ctx, av[m], bv[m], inner, `${path}/${m}`);
    }
  } else if (Array.isArray(av) && Array.isArray(bv)) {
    for (let i = 0; i < Math.max(av.length, bv.length); i++) {
      yield* comparePlain(ctx, av[i], bv[i], module, `${path}[${i + 1}]`);
      if (ctx.clock.due()) yield;
    }
  } else if (!sameJson(av, bv)) ctx.changes.push({ op: 'replace', path, before: av, after: bv });
}
