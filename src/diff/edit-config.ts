/**
 * The `<edit-config>` content that turns `before` into `after` (both canonical, see
 * canonical.ts), with the fewest operations the rules below allow:
 *
 * - a node only in `after`: `create` with its whole content (new list entries by key);
 * - a node only in `before`: `delete` (leaf with its old value, list entry by its keys,
 *   leaf-list entry by value); `remove` for nodes inside a choice, since creating a node of
 *   another case may already have removed them (RFC 7950 7.9);
 * - a leaf with another value: `replace`;
 * - containers and list entries in both: written only as the path to their changes, with no
 *   operation, so the edit works with default-operation `merge` (the default) or `none`;
 * - an `ordered-by user` list or leaf-list whose remaining entries changed order, or that gains
 *   entries anywhere but at its end: its parent (container or list entry) is written whole
 *   with `replace`, which sets the order exactly on every server (the `insert` attribute is not
 *   needed). Keyless lists that differ are handled the same way.
 *
 * Nodes with `config false` are left out (they cannot be edited). A changed node the schema
 * does not describe, anydata, or a reordered top-level user-ordered list cannot be written and
 * raise DiffError.
 */
import { NS_BASE } from '../namespaces';
import { escapeAttribute, escapeText } from '../xml/element';
import { isJsonObject, type JsonObject, type JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import { encodeValue } from '../yang/value-encode';
import { sameRelativeOrder, unionOfMembers } from './compare';
import { DiffError } from './errors';
import type { SchemaView } from './input';
import { sameJson, type MemberResolver } from './members';
import { keyPredicates } from './path';
import type { Clock, Sliced } from './slicer';

export interface EditConfigOptions {
  /** Operation for removed nodes: `delete` (default; fails if the device no longer has them) or `remove`. */
  deleteOperation?: 'delete' | 'remove';
  /** Operation for added nodes: `create` (default; fails if the device already has them) or `merge`. */
  createOperation?: 'create' | 'merge';
}

/** Marks an object whose content must be replaced as a whole (see the module comment). */
const REPLACE_PARENT = Symbol('replace parent');
type Edits = string | typeof REPLACE_PARENT;

type Operation = 'create' | 'merge' | 'delete' | 'remove' | 'replace';

export class EditBuilder {
  private readonly deleteOp: Operation;
  private readonly createOp: Operation;

  constructor(
    private readonly view: SchemaView,
    private readonly members: MemberResolver,
    private readonly clock: Clock,
    options: EditConfigOptions = {},
  ) {
    this.deleteOp = options.deleteOperation ?? 'delete';
    this.createOp = options.createOperation ?? 'create';
  }

  /** The top-level elements of the edit; '' when nothing changes. */
  *build(before: JsonObject, after: JsonObject): Sliced<string> {
    let xml = '';
    for (const member of unionOfMembers({ members: this.members }, before, after, undefined, undefined)) {
      const { node } = this.members.resolve(member, undefined, undefined);
      const edit = yield* this.member(node, before[member], after[member], undefined, '', `/${member}`);
      if (edit === REPLACE_PARENT)
        throw new DiffError(`/${member}: a top-level ordered-by user list changed order; edit it by hand`);
      xml += edit.replace(/^<([\w.-]+)/, `<$1 xmlns:nc="${NS_BASE}"`);
    }
    return xml;
  }

  /** Edits for the members of two objects that are children of `parent`. */
  private *children(a: JsonObject, b: JsonObject, parent: SchemaNode, path: string): Sliced<Edits> {
    let xml = '';
    for (const member of unionOfMembers({ members: this.members }, a, b, parent, parent.module)) {
      const { node } = this.members.resolve(member, parent, parent.module);
      const edit = yield* this.member(node, a[member], b[member], parent, parent.namespace, `${path}/${member}`);
      if (edit === REPLACE_PARENT) return edit;
      xml += edit;
    }
    return xml;
  }

  private *member(
    node: SchemaNode | undefined,
    av: JsonValue | undefined,
    bv: JsonValue | undefined,
    parent: SchemaNode | undefined,
    parentNs: string,
    path: string,
  ): Sliced<Edits> {
    // Containers and lists are compared by walking them (sliced), not with one deep comparison.
    const walked = node && (node.kind === 'container' || node.kind === 'list') && av !== undefined && bv !== undefined;
    if (!walked && sameJson(av, bv)) return '';
    if (!node) throw new DiffError(`${path}: not in the schema, so it cannot be written into an edit-config`);
    if (!node.config) return '';
    if (node.kind === 'list') return yield* this.list(node, asArray(av), asArray(bv), parentNs, path);
    if (node.kind === 'leaf-list') return this.leafList(node, asArray(av), asArray(bv), parentNs);
    if (node.kind === 'anydata' || node.kind === 'anyxml')
      throw new DiffError(`${path}: changes of ${node.kind} cannot be written into an edit-config`);
    if (av === undefined) return yield* this.full(node, bv as JsonValue, parentNs, this.createOp);
    if (bv === undefined) {
      const op = insideChoice(node, parent) ? 'remove' : this.deleteOp;
      return node.kind === 'leaf' ? this.leaf(node, av, parentNs, op) : this.open(node, parentNs, op, '');
    }
    if (node.kind === 'leaf') return this.leaf(node, bv, parentNs, 'replace');
    const inner = isJsonObject(av) && isJsonObject(bv) ? yield* this.children(av, bv, node, path) : REPLACE_PARENT;
    if (inner === REPLACE_PARENT) return yield* this.full(node, bv, parentNs, 'replace');
    return inner === '' ? '' : this.open(node, parentNs, undefined, inner);
  }

  private *list(node: SchemaNode, as: JsonValue[], bs: JsonValue[], parentNs: string, path: string): Sliced<Edits> {
    const a = as.filter(isJsonObject);
    const b = bs.filter(isJsonObject);
    if (node.keys.length === 0) return REPLACE_PARENT;
    const id = (e: JsonObject): string => keyPredicates(node, e);
    if (node.orderedBy === 'user' && !appendOnly(a.map(id), b.map(id))) return REPLACE_PARENT;
    const before = new Map<string, JsonObject>();
    const after = new Set<string>();
    for (const e of a) {
      before.set(id(e), e);
      if (this.clock.due()) yield;
    }
    for (const e of b) {
      after.add(id(e));
      if (this.clock.due()) yield;
    }
    let xml = '';
    for (const [key, e] of before) {
      if (!after.has(key)) xml += this.open(node, parentNs, this.deleteOp, this.keys(node, e));
      if (this.clock.due()) yield;
    }
    for (const e of b) {
      const old = before.get(id(e));
      if (!old) xml += yield* this.full(node, e, parentNs, this.createOp);
      else if (!sameJson(old, e)) {
        const inner = yield* this.children(old, e, node, `${path}${id(e)}`);
        if (inner === REPLACE_PARENT) xml += yield* this.full(node, e, parentNs, 'replace');
        else xml += this.open(node, parentNs, undefined, this.keys(node, e) + inner);
      }
      if (this.clock.due()) yield;
    }
    return xml;
  }

  private leafList(node: SchemaNode, a: JsonValue[], b: JsonValue[], parentNs: string): Edits {
    const text = (v: JsonValue): string => JSON.stringify(v);
    if (node.orderedBy === 'user' && !appendOnly(a.map(text), b.map(text))) return REPLACE_PARENT;
    const inA = new Set(a.map(text));
    const inB = new Set(b.map(text));
    let xml = '';
    for (const v of a) if (!inB.has(text(v))) xml += this.leaf(node, v, parentNs, this.deleteOp);
    for (const v of b) if (!inA.has(text(v))) xml += this.leaf(node, v, parentNs, this.createOp);
    return xml;
  }

  /** A node with all its (configuration) content, with `op` on it when given. */
  private *full(node: SchemaNode, value: JsonValue, parentNs: string, op: Operation | undefined): Sliced<string> {
    switch (node.kind) {
      case 'leaf':
        return this.leaf(node, value, parentNs, op);
      case 'leaf-list':
        return asArray(value)
          .map((v) => this.leaf(node, v, parentNs, op))
          .join('');
      case 'list': {
        let xml = '';
        for (const entry of asArray(value)) {
          xml += yield* this.full({ ...node, kind: 'container' }, entry, parentNs, op);
          if (this.clock.due()) yield;
        }
        return xml;
      }
      case 'anydata':
      case 'anyxml':
        throw new DiffError(`${node.path}: ${node.kind} cannot be written into an edit-config`);
      default: {
        let inner = '';
        const obj = isJsonObject(value) ? value : {};
        for (const member of Object.keys(obj)) {
          const child = this.members.resolve(member, node, node.module).node;
          if (!child) throw new DiffError(`${node.path}/${member}: not in the schema, so it cannot be written`);
          if (child.config) inner += yield* this.full(child, obj[member], node.namespace, undefined);
        }
        return this.open(node, parentNs, op, inner);
      }
    }
  }

  /** The key leaves of a list entry, in key order. */
  private keys(node: SchemaNode, entry: JsonObject): string {
    let xml = '';
    for (const k of node.keys) {
      const leaf = node.dataChildren.get(`${node.module}:${k}`);
      if (leaf) xml += this.leaf(leaf, entry[k], node.namespace, undefined);
    }
    return xml;
  }

  private open(node: SchemaNode, parentNs: string, op: Operation | undefined, content: string, extra = ''): string {
    let tag = node.name;
    if (node.namespace !== parentNs) tag += ` xmlns="${escapeAttribute(node.namespace)}"`;
    tag += extra;
    if (op) tag += ` nc:operation="${op}"`;
    return content === '' ? `<${tag}/>` : `<${tag}>${content}</${node.name}>`;
  }

  private leaf(node: SchemaNode, value: JsonValue, parentNs: string, op: Operation | undefined): string {
    const declarations: string[] = [];
    const prefixFor = (module: string): string | undefined => {
      const m = this.view.schema.module(module);
      const namespace = m?.namespace ?? this.view.moduleNamespaces?.get(module);
      if (namespace === undefined) return undefined;
      // `nc` is taken by the operation attribute's namespace.
      const prefix = (m?.prefix ?? module) === 'nc' && namespace !== NS_BASE ? 'nc1' : (m?.prefix ?? module);
      declarations.push(` xmlns:${prefix}="${escapeAttribute(namespace)}"`);
      return prefix;
    };
    const text = node.type
      ? encodeValue(node.type, value, { schema: this.view.schema, module: node.module, prefixFor })
      : typeof value === 'object'
        ? undefined
        : String(value);
    if (text === undefined) throw new DiffError(`${node.path}: ${JSON.stringify(value)} is not a valid value`);
    return this.open(node, parentNs, op, escapeText(text), [...new Set(declarations)].join(''));
  }
}

function asArray(v: JsonValue | undefined): JsonValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * True when a user-ordered sequence goes from `a` to `b` by deletions and additions at the end
 * only: then `create` (which appends, RFC 7950 7.8.6) gives exactly `b`'s order.
 */
function appendOnly(a: string[], b: string[]): boolean {
  if (!sameRelativeOrder(a, b)) return false;
  const inA = new Set(a);
  let seenNew = false;
  for (const k of b) {
    if (!inA.has(k)) seenNew = true;
    else if (seenNew) return false;
  }
  return true;
}

/** Whether the node sits in a case of a choice (below its parent data node). */
function insideChoice(node: SchemaNode, parent: SchemaNode | undefined): boolean {
  for (let p = node.parent; p && p !== parent; p = p.parent) if (p.kind === 'case' || p.kind === 'choice') return true;
  return false;
}
