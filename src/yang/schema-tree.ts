/** Small helpers over the resolved schema tree, shared by the builder's phases. */
import type { SchemaNode, SchemaNodeKind, YangModule } from './model';
import { children, type YangStatement } from './parser';

/** Kinds that are not instance data themselves (RFC 7950 7.9: choice and case are invisible). */
export function isTransparent(node: SchemaNode): boolean {
  return node.kind === 'choice' || node.kind === 'case';
}

/** The nearest ancestor that appears in instance data. */
export function dataParent(node: SchemaNode): SchemaNode | undefined {
  let p = node.parent;
  while (p && isTransparent(p)) p = p.parent;
  return p;
}

export function makeNode(
  kind: SchemaNodeKind,
  name: string,
  parent: SchemaNode | undefined,
  owner: YangModule,
  config: boolean,
): SchemaNode {
  return {
    kind,
    name,
    module: owner.name,
    namespace: owner.namespace,
    parent,
    children: [],
    dataChildren: new Map(),
    config,
    configExplicit: false,
    keys: [],
    orderedBy: 'system',
    presence: false,
    type: undefined,
    defaults: [],
    description: undefined,
    path: '',
  };
}

/** Sets `config` on a node and on every descendant that does not set its own. */
export function setConfig(node: SchemaNode, config: boolean): void {
  node.config = config;
  node.configExplicit = true;
  const inherit = (n: SchemaNode): void => {
    for (const c of n.children) {
      if (c.configExplicit) continue;
      c.config = config;
      inherit(c);
    }
  };
  inherit(node);
}

/**
 * A sibling by module and local name; when the module differs (a grouping from one module used
 * in another binds its nodes to the user's namespace) a unique local-name match is accepted.
 */
export function matchNode(candidates: SchemaNode[], module: string | undefined, name: string): SchemaNode | undefined {
  const exact = candidates.find((c) => c.name === name && c.module === module);
  if (exact) return exact;
  const byName = candidates.filter((c) => c.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** The newest `revision` of a module or submodule statement ('' when it has none). */
export function revisionOf(stmt: YangStatement): string {
  let latest = '';
  for (const r of children(stmt, 'revision')) if ((r.arg ?? '') > latest) latest = r.arg ?? '';
  return latest;
}
