/**
 * What the simulator knows about a data model without a YANG engine: which elements are keyed
 * lists, which are leaf-lists, which leaves have defaults, prefixes for paths, and a few value
 * checks for validate. Anything not described here is handled generically (see `keysOf`).
 */
import type { RpcErrorSpec } from './rpc-error';
import type { DataNode } from './tree';

export interface DefaultLeaf {
  /** The list entry or container that holds the leaf. */
  parentNs: string;
  parent: string;
  leaf: string;
  value: string;
}

export interface ModelHints {
  /** Key leaf names of list `local` in `ns`. */
  listKeys: Record<string, string[]>;
  /** `ns local` names of leaf-lists (entries are identified by their value). */
  leafLists: string[];
  defaults: DefaultLeaf[];
  /** Namespace -> prefix used in error-path and notification targets. */
  prefixes: Record<string, string>;
  /** Checks a whole configuration tree (the root's children are top-level nodes). */
  validate?: (root: DataNode) => RpcErrorSpec[];
}

export function qname(ns: string, local: string): string {
  return `${ns} ${local}`;
}

/**
 * Key leaves of a list entry. Known lists use the hints; an unknown element is treated as a list
 * keyed by `name` when it has a `name` child, which fits most models; otherwise as a container
 * (at most one instance per parent).
 */
export function keysOf(
  hints: ModelHints,
  n: { ns: string; local: string },
  hasChild: (local: string) => boolean,
): string[] | undefined {
  const known = hints.listKeys[qname(n.ns, n.local)];
  if (known) return known;
  return hasChild('name') ? ['name'] : undefined;
}

export function isLeafList(hints: ModelHints, n: { ns: string; local: string }): boolean {
  return hints.leafLists.includes(qname(n.ns, n.local));
}

export function prefixFor(hints: ModelHints, ns: string, extra: Record<string, string>): string {
  const known = hints.prefixes[ns];
  if (known) {
    extra[known] = ns;
    return known;
  }
  const existing = Object.entries(extra).find(([, uri]) => uri === ns)?.[0];
  if (existing) return existing;
  const p = `ns${Object.keys(extra).length + 1}`;
  extra[p] = ns;
  return p;
}
