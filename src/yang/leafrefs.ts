/**
 * Leafref targets (RFC 7950 9.9): once the whole tree is built, each leafref path is followed
 * from its leaf to the leaf or leaf-list it points to, whose type then encodes the values.
 */
import type { SchemaNode, YangModule, YangType } from './model';
import { splitQName } from './scope';
import { dataParent } from './schema-tree';

export function resolveLeafrefs(
  modules: Iterable<YangModule>,
  topLevel: Map<string, SchemaNode>,
  warn: (message: string) => void,
): void {
  const visit = (node: SchemaNode): void => {
    if (node.type) node.type = bindLeafrefs(node.type, node, topLevel, warn);
    for (const c of node.children) visit(c);
  };
  for (const module of modules) for (const node of module.nodes) visit(node);
}

/**
 * Returns the type with its leafref targets set for this leaf. Types are shared between
 * leaves (typedefs), and a relative path points elsewhere from each leaf, so a type with a
 * leafref is copied rather than changed.
 */
function bindLeafrefs(
  type: YangType,
  leaf: SchemaNode,
  topLevel: Map<string, SchemaNode>,
  warn: (message: string) => void,
): YangType {
  if (type.leafref) {
    const target = followLeafref(type.leafref.path, type.leafref.prefixes, type.leafref.module, leaf, topLevel);
    if (!target) warn(`${leaf.path}: leafref path '${type.leafref.path}' not resolved, values kept as strings`);
    return { ...type, leafref: { ...type.leafref, target } };
  }
  if (type.union) {
    const members = type.union.map((m) => bindLeafrefs(m, leaf, topLevel, warn));
    if (members.some((m, i) => m !== type.union?.[i])) return { ...type, union: members };
  }
  return type;
}

/** Removes `[...]` predicates (which may contain paths and quoted strings) from a path. */
function stripPredicates(path: string): string {
  let out = '';
  let depth = 0;
  let quote = '';
  for (const c of path) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (depth > 0 && (c === '"' || c === "'")) quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** Follows a leafref path (RFC 7950 9.9.2) over data nodes; undefined when it cannot. */
function followLeafref(
  path: string,
  prefixes: ReadonlyMap<string, string>,
  defaultModule: string,
  leaf: SchemaNode,
  topLevel: Map<string, SchemaNode>,
): SchemaNode | undefined {
  const clean = stripPredicates(path).replace(/\s+/g, '');
  if (clean.includes('(')) return undefined; // deref() and other functions: not followed
  let current: SchemaNode | undefined = clean.startsWith('/') ? undefined : leaf;
  for (const step of clean.split('/')) {
    if (step === '' || step === '.') continue;
    if (step === '..') {
      if (!current) return undefined;
      current = dataParent(current);
      continue;
    }
    const { prefix, name } = splitQName(step);
    const module = prefix === '' ? defaultModule : prefixes.get(prefix);
    const pool = current ? current.dataChildren : topLevel;
    let next = pool.get(`${module}:${name}`);
    if (!next) {
      const byName = [...pool.values()].filter((n) => n.name === name);
      next = byName.length === 1 ? byName[0] : undefined;
    }
    if (!next) return undefined;
    current = next;
  }
  return current && (current.kind === 'leaf' || current.kind === 'leaf-list') ? current : undefined;
}
