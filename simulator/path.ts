/** Instance-identifiers (RFC 7950 section 9.13) for error-path and notification edit targets. */
import { isLeafList, keysOf, prefixFor, type ModelHints } from './model';

/** Structurally both a DataNode and a parsed XmlElement. */
export interface NodeLike {
  ns: string;
  local: string;
  text: string;
  children: readonly NodeLike[];
}

export interface InstancePath {
  path: string;
  /** prefix -> namespace for every prefix the path uses. */
  ns: Record<string, string>;
}

function quote(v: string): string {
  return v.includes("'") ? `"${v}"` : `'${v}'`;
}

/** The path of the last node of `chain` (outermost first). */
export function instancePath(chain: readonly NodeLike[], hints: ModelHints): InstancePath {
  const ns: Record<string, string> = {};
  let path = '';
  for (const n of chain) {
    const p = prefixFor(hints, n.ns, ns);
    path += `/${p}:${n.local}`;
    if (n.children.length === 0 && isLeafList(hints, n)) {
      path += `[.=${quote(n.text.trim())}]`;
      continue;
    }
    const keys = keysOf(hints, n, (l) => n.children.some((c) => c.local === l));
    for (const key of keys ?? []) {
      const k = n.children.find((c) => c.local === key);
      if (k) path += `[${prefixFor(hints, k.ns, ns)}:${key}=${quote(k.text.trim())}]`;
    }
  }
  return { path: path || '/', ns };
}
