/**
 * How the diff finds the schema node of a JSON member and in which order members come: keys
 * first in key order, then schema (definition) order, members the schema lacks last by name.
 * Top-level members are ordered by their qualified name (module, then node).
 */
import type { JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { YangSchemaSet } from '../yang/schema';
import { splitQName } from '../yang/scope';
import { predicateText } from './path';

export interface ResolvedMember {
  /** `module:name`. */
  key: string;
  module: string;
  /** The RFC 7951 member name under this parent (qualified only where the module changes). */
  name: string;
  node: SchemaNode | undefined;
}

export class MemberResolver {
  private readonly ranks = new Map<SchemaNode, Map<string, number>>();
  /** Resolutions by parent node, then parent module and member: the same few names recur. */
  private readonly cache = new Map<SchemaNode | undefined, Map<string, ResolvedMember>>();

  constructor(readonly schema: YangSchemaSet | undefined) {}

  resolve(member: string, parent: SchemaNode | undefined, parentModule: string | undefined): ResolvedMember {
    let byName = this.cache.get(parent);
    if (!byName) this.cache.set(parent, (byName = new Map<string, ResolvedMember>()));
    // Under a schema node the parent module is nearly always the node's own: key by name alone.
    const id = parent && parentModule === parent.module ? member : `${parentModule ?? ''} ${member}`;
    let resolved = byName.get(id);
    if (!resolved) byName.set(id, (resolved = this.lookup(member, parent, parentModule)));
    return resolved;
  }

  private lookup(member: string, parent: SchemaNode | undefined, parentModule: string | undefined): ResolvedMember {
    const { prefix, name } = splitQName(member);
    const module = prefix || parentModule || '';
    const key = module ? `${module}:${name}` : name;
    let node: SchemaNode | undefined;
    if (this.schema && module) node = parent ? parent.dataChildren.get(key) : this.schema.findTopLevelMember(key);
    return { key, module, name: module === parentModule || !module ? name : key, node };
  }

  /** Sort rank of a member of `parent` (undefined parent: top level, ranked by name only). */
  rank(parent: SchemaNode | undefined, key: string): number {
    if (!parent) return Number.MAX_SAFE_INTEGER;
    let ranks = this.ranks.get(parent);
    if (!ranks) {
      ranks = new Map();
      for (const k of parent.keys) ranks.set(`${parent.module}:${k}`, ranks.size);
      for (const k of parent.dataChildren.keys()) if (!ranks.has(k)) ranks.set(k, ranks.size);
      this.ranks.set(parent, ranks);
    }
    return ranks.get(key) ?? Number.MAX_SAFE_INTEGER;
  }
}

/** Order of list keys and leaf-list values: numbers numerically, everything else by its text. */
export function compareScalars(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = predicateText(a);
  const y = predicateText(b);
  if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y) && x !== y) {
    const d = BigInt(x) - BigInt(y);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Deep equality of canonical JSON values (member order does not matter). */
export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!sameJson(a[k], b[k])) return false;
  return true;
}
