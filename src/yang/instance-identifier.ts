/**
 * instance-identifier values between their XML form (every node name prefixed, prefixes bound
 * in the element's scope: `/if:interfaces/if:interface[if:name='eth0']`) and their RFC 7951
 * form (module names, and only where the module changes: `/ietf-interfaces:interfaces/
 * interface[name='eth0']`, RFC 7951 6.11). Single pass over the text. Quoted predicate values
 * are values of the key leaf (or of the leaf-list, for `[.='x']`), so an identityref key is
 * `rt:static` in XML and `ietf-routing:static` in JSON: `predicateValue` converts them.
 */

/**
 * Converts one predicate value. `path` is the RFC 7951 path (every step module-qualified) of
 * the list or leaf-list the predicate selects in, `key` the key leaf as `module:name` or `.`.
 * Returns undefined to keep the value as written.
 */
export type PredicateValue = (path: string, key: string, value: string) => string | undefined;

/**
 * @param resolve 'json': XML prefix -> module name; 'xml': module name -> XML prefix
 * @returns the rewritten value, or undefined when a qualifier cannot be resolved
 */
export function mapInstanceIdentifier(
  value: string,
  resolve: (qualifier: string) => string | undefined,
  to: 'json' | 'xml',
  predicateValue?: PredicateValue,
): string | undefined {
  let out = '';
  let depth = 0;
  /** Module of the last step outside predicates: unqualified names inherit it. */
  let stepModule: string | undefined;
  /** Qualified path of the steps so far, and the key named in the current predicate. */
  let stepPath = '';
  let key: string | undefined;
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === "'" || c === '"') {
      const close = value.indexOf(c, i + 1);
      if (close < 0) return undefined;
      const raw = value.slice(i + 1, close);
      const converted = depth > 0 && key !== undefined ? (predicateValue?.(stepPath, key, raw) ?? raw) : raw;
      out += quote(converted, c);
      i = close + 1;
      continue;
    }
    if (!isNameStart(c)) {
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '.' && depth > 0) key = '.';
      out += c;
      i++;
      continue;
    }
    const name = readName(value, i);
    i = name.end;
    // Module of this name: JSON form names modules directly; XML form names prefixes.
    let module: string | undefined;
    if (to === 'json') module = name.qualifier === undefined ? stepModule : resolve(name.qualifier);
    else module = name.qualifier ?? stepModule;
    if (module === undefined) return undefined;
    if (to === 'json') out += module === stepModule ? name.local : `${module}:${name.local}`;
    else {
      const prefix = resolve(module);
      if (prefix === undefined) return undefined;
      out += prefix === '' ? name.local : `${prefix}:${name.local}`;
    }
    if (depth === 0) {
      stepModule = module;
      stepPath += `/${module}:${name.local}`;
    } else key = `${module}:${name.local}`;
  }
  return out;
}

function readName(value: string, start: number): { qualifier: string | undefined; local: string; end: number } {
  let j = start;
  while (j < value.length && isNameChar(value[j])) j++;
  const first = value.slice(start, j);
  if (value[j] === ':' && j + 1 < value.length && isNameStart(value[j + 1])) {
    let k = j + 1;
    while (k < value.length && isNameChar(value[k])) k++;
    return { qualifier: first, local: value.slice(j + 1, k), end: k };
  }
  return { qualifier: undefined, local: first, end: j };
}

/** Quotes a predicate value, switching quote characters when the value contains the preferred one. */
function quote(value: string, preferred: string): string {
  const q = value.includes(preferred) ? (preferred === "'" ? '"' : "'") : preferred;
  return `${q}${value}${q}`;
}

function isNameStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
}
