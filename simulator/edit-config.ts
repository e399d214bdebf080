/**
 * `<edit-config>` semantics (RFC 6241 section 7.2) on a DataNode tree: the nc:operation
 * attribute (merge, replace, create, delete, remove) inherited down the edit tree, default
 * operations merge/replace/none, and the three error-options. The caller edits a copy of the
 * datastore and decides from the result whether to keep it (test-option, rollback-on-error).
 */
import { NS_BASE } from '../src/namespaces';
import type { XmlElement } from '../src/xml/element';
import { isLeafList, keysOf, type ModelHints } from './model';
import { instancePath, type InstancePath, type NodeLike } from './path';
import { SimRpcError, type RpcErrorSpec } from './rpc-error';
import { fromElement, value, type DataNode } from './tree';

export type EditOperation = 'merge' | 'replace' | 'create' | 'delete' | 'remove';
export type DefaultOperation = 'merge' | 'replace' | 'none';
export type ErrorOption = 'stop-on-error' | 'continue-on-error' | 'rollback-on-error';

const OPERATIONS = new Set(['merge', 'replace', 'create', 'delete', 'remove', 'none']);
type Op = EditOperation | 'none';

export interface EditChange {
  operation: EditOperation;
  target: InstancePath;
}

export interface EditResult {
  errors: RpcErrorSpec[];
  changes: EditChange[];
}

interface Ctx {
  hints: ModelHints;
  errors: RpcErrorSpec[];
  changes: EditChange[];
  continueOnError: boolean;
  /** >0 while inside a node created as a whole (its leaves are not separate changes). */
  quiet: number;
}

/** Thrown to abandon the edit at the first error (stop-on-error, rollback-on-error). */
class StopEdit extends Error {}

/**
 * Applies `config`'s children to `root` (mutated in place). With stop-on-error, the changes made
 * before the failing element stay, as RFC 6241 describes; the caller throws the copy away for
 * rollback-on-error.
 */
export function applyEdit(
  root: DataNode,
  config: XmlElement,
  defaultOperation: DefaultOperation,
  errorOption: ErrorOption,
  hints: ModelHints,
): EditResult {
  const ctx: Ctx = { hints, errors: [], changes: [], continueOnError: errorOption === 'continue-on-error', quiet: 0 };
  for (const el of config.children) {
    if (el.ns === '' || el.ns === NS_BASE) {
      ctx.errors.push({
        type: 'application',
        tag: 'unknown-namespace',
        message: `<${el.local}> has no data model namespace`,
        info: { 'bad-element': el.local, 'bad-namespace': el.ns },
      });
      if (!ctx.continueOnError) return ctx;
    }
  }
  try {
    editChildren(
      root,
      config.children.filter((el) => el.ns !== '' && el.ns !== NS_BASE),
      defaultOperation,
      [],
      ctx,
    );
  } catch (err) {
    if (!(err instanceof StopEdit)) throw err;
  }
  return { errors: ctx.errors, changes: ctx.changes };
}

function editChildren(
  parent: DataNode,
  edits: readonly XmlElement[],
  inherited: Op,
  chain: NodeLike[],
  ctx: Ctx,
): void {
  for (const el of edits) {
    try {
      editOne(parent, el, inherited, chain, ctx);
    } catch (err) {
      if (!(err instanceof SimRpcError)) throw err;
      ctx.errors.push(...err.errors);
      if (!ctx.continueOnError) throw new StopEdit();
    }
  }
}

function operationOf(el: XmlElement, inherited: Op, chain: NodeLike[], hints: ModelHints): Op {
  const attr = el.attributeList.find((a) => a.ns === NS_BASE && a.local === 'operation');
  if (!attr) return inherited;
  if (!OPERATIONS.has(attr.value) || attr.value === 'none') {
    throw error('bad-attribute', `invalid operation "${attr.value}"`, [...chain, el], hints, 'rpc', {
      'bad-attribute': 'operation',
      'bad-element': el.local,
    });
  }
  return attr.value as Op;
}

function error(
  tag: string,
  message: string,
  chain: NodeLike[],
  hints: ModelHints,
  type: RpcErrorSpec['type'] = 'application',
  info?: Record<string, string>,
): SimRpcError {
  const p = instancePath(chain, hints);
  return new SimRpcError({ type, tag, message, path: p.path, pathNs: p.ns, info });
}

/** Index of the existing node `el` designates under `parent`, -1 when there is none. */
export function findMatch(parent: DataNode, el: NodeLike, chain: NodeLike[], hints: ModelHints): number {
  const same = (c: DataNode): boolean => c.local === el.local && c.ns === el.ns;
  if (el.children.length === 0 && isLeafList(hints, el)) {
    const v = value(el);
    return parent.children.findIndex((c) => same(c) && value(c) === v);
  }
  const keys = keysOf(hints, el, (l) => el.children.some((c) => c.local === l));
  if (!keys) return parent.children.findIndex(same);
  const wanted = keys.map((k) => {
    const key = el.children.find((c) => c.local === k);
    if (!key) {
      throw error(
        'missing-element',
        `list entry <${el.local}> lacks its key <${k}>`,
        [...chain, el],
        hints,
        'protocol',
        {
          'bad-element': k,
        },
      );
    }
    return value(key);
  });
  return parent.children.findIndex(
    (c) => same(c) && keys.every((k, i) => c.children.some((kc) => kc.local === k && value(kc) === wanted[i])),
  );
}

/** Inserts after the last sibling of the same name, so list entries stay together. */
function insert(parent: DataNode, n: DataNode): void {
  let at = -1;
  parent.children.forEach((c, i) => {
    if (c.local === n.local && c.ns === n.ns) at = i;
  });
  if (at < 0) parent.children.push(n);
  else parent.children.splice(at + 1, 0, n);
}

function record(ctx: Ctx, operation: EditOperation, chain: NodeLike[]): void {
  if (ctx.quiet === 0) ctx.changes.push({ operation, target: instancePath(chain, ctx.hints) });
}

/** A new list entry or container holding only the key leaves of `el`. */
function skeleton(el: XmlElement, hints: ModelHints): DataNode {
  const keys = keysOf(hints, el, (l) => el.children.some((c) => c.local === l)) ?? [];
  const children = el.children.filter((c) => keys.includes(c.local)).map(fromElement);
  return { ns: el.ns, local: el.local, children, text: '' };
}

function editOne(parent: DataNode, el: XmlElement, inherited: Op, chain: NodeLike[], ctx: Ctx): void {
  const op = operationOf(el, inherited, chain, ctx.hints);
  const here = [...chain, el];
  const index = findMatch(parent, el, chain, ctx.hints);
  const existing = index >= 0 ? parent.children[index] : undefined;
  switch (op) {
    case 'create':
      if (existing) throw error('data-exists', `<${el.local}> already exists`, here, ctx.hints);
      insert(parent, fromElement(el));
      record(ctx, 'create', here);
      return;
    case 'delete':
      if (!existing) throw error('data-missing', `<${el.local}> does not exist`, here, ctx.hints);
      parent.children.splice(index, 1);
      record(ctx, 'delete', here);
      return;
    case 'remove':
      if (existing) {
        parent.children.splice(index, 1);
        record(ctx, 'remove', here);
      }
      return;
    case 'replace':
      if (existing) parent.children[index] = fromElement(el);
      else insert(parent, fromElement(el));
      record(ctx, 'replace', here);
      return;
    case 'merge':
      mergeOne(parent, el, existing, here, ctx);
      return;
    case 'none':
      noneOne(parent, el, existing, here, ctx);
      return;
  }
}

function mergeOne(parent: DataNode, el: XmlElement, existing: DataNode | undefined, here: NodeLike[], ctx: Ctx): void {
  if (el.children.length === 0) {
    if (!existing) {
      insert(parent, fromElement(el));
      record(ctx, 'merge', here);
    } else if (existing.children.length === 0 && existing.text !== el.text) {
      // A leaf: merging sets its value. (An empty element merged onto a container changes nothing.)
      const fresh = fromElement(el);
      existing.text = fresh.text;
      existing.valueNs = fresh.valueNs;
      record(ctx, 'merge', here);
    }
    return;
  }
  let target = existing;
  if (!target) {
    // Nested operations still apply inside a node merge creates (a nested delete fails there).
    target = skeleton(el, ctx.hints);
    insert(parent, target);
    record(ctx, 'merge', here);
    ctx.quiet++;
  }
  try {
    editChildren(target, el.children, 'merge', here.slice(0, -1).concat(target), ctx);
  } finally {
    if (!existing) ctx.quiet--;
  }
}

function noneOne(parent: DataNode, el: XmlElement, existing: DataNode | undefined, here: NodeLike[], ctx: Ctx): void {
  if (el.children.length === 0) return;
  if (existing) {
    editChildren(existing, el.children, 'none', here.slice(0, -1).concat(existing), ctx);
    return;
  }
  // "none" creates nothing by itself, but a nested merge/replace/create needs its ancestors:
  // build them tentatively and take them back if nothing was added below.
  const tentative = skeleton(el, ctx.hints);
  const keyCount = tentative.children.length;
  insert(parent, tentative);
  try {
    editChildren(tentative, el.children, 'none', here.slice(0, -1).concat(tentative), ctx);
  } finally {
    if (tentative.children.length === keyCount) parent.children.splice(parent.children.indexOf(tentative), 1);
  }
}
