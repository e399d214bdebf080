/**
 * RFC 7951 data paths of the diff's changes (the instance-identifier form of RFC 7951 6.11):
 * member names qualified with their module only where the module changes from the parent,
 * list entries selected by their keys (`interface[name='eth0']`), leaf-list entries by value
 * (`ntp-server[.='192.0.2.1']`) and entries of keyless lists by position (`port[3]`).
 */
import type { JsonObject, JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';

/** A key or leaf-list value as it appears inside a predicate (the RFC 7951 JSON value as text). */
export function predicateText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.length === 1 && value[0] === null ? '' : JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** XPath literals have no escapes: single quotes unless the value holds one. */
export function quote(text: string): string {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** `[name='eth0']` (one predicate per key, in key order) for an entry of a keyed list. */
export function keyPredicates(list: SchemaNode, entry: JsonObject): string {
  let out = '';
  for (const key of list.keys) out += `[${key}=${quote(predicateText(entry[key]))}]`;
  return out;
}

export function valuePredicate(value: JsonValue): string {
  return `[.=${quote(predicateText(value))}]`;
}

/** Parsed predicates of one path step: key name (or '.') -> value text; a position as '#'. */
export type Predicates = Map<string, string>;

export interface PathStep {
  /** `module:name`, the module inherited from the previous step when the step has none. */
  key: string;
  predicates: Predicates | undefined;
}

/** Splits `/m:a/b[k='v']/c` into steps; throws on a malformed path. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let module = '';
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`bad path '${path}': ${why}`);
  };
  while (i < path.length) {
    if (path[i] !== '/') fail(`expected '/' at ${i}`);
    const m = /^\/(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)/.exec(path.slice(i));
    if (!m) return fail(`expected a node name at ${i + 1}`);
    module = m[1] ?? module;
    if (!module) fail('the first step needs its module name');
    i += m[0].length;
    let predicates: Predicates | undefined;
    for (;;) {
      const p = /^\[\s*(?:([\w.:-]+|\.)\s*=\s*(?:'([^']*)'|"([^"]*)")|(\d+))\s*\]/.exec(path.slice(i));
      if (!p) break;
      predicates ??= new Map();
      if (p[4] !== undefined) predicates.set('#', p[4]);
      else predicates.set(p[1].replace(/^.*:/, ''), p[2] ?? p[3]);
      i += p[0].length;
    }
    steps.push({ key: `${module}:${m[2]}`, predicates });
  }
  return steps;
}
