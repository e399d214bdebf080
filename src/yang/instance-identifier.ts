/**
 * instance-identifier values between their XML form (every node name prefixed, prefixes bound
 * in the element's scope: `/if:interfaces/if:interface[if:name='eth0']`) and their RFC 7951
 * form (module names, and only where the module changes: `/ietf-interfaces:interfaces/
 * interface[name='eth0']`, RFC 7951 6.11). Single pass over the text; quoted predicate values
 * are copied untouched.
 */

/**
 * @param resolve 'json': XML prefix -> module name; 'xml': module name -> XML prefix
 * @returns the rewritten value, or undefined when a qualifier cannot be resolved
 */
export function mapInstanceIdentifier(
  value: string,
  resolve: (qualifier: string) => string | undefined,
  to: 'json' | 'xml',
): string | undefined {
  let out = '';
  let depth = 0;
  /** Module of the last step outside predicates: unqualified names inherit it. */
  let stepModule: string | undefined;
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c === "'" || c === '"') {
      const close = value.indexOf(c, i + 1);
      if (close < 0) return undefined;
      out += value.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (!isNameStart(c)) {
      if (c === '[') depth++;
      else if (c === ']') depth--;
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (j < value.length && isNameChar(value[j])) j++;
    let qualifier: string | undefined;
    let name = value.slice(i, j);
    if (value[j] === ':' && j + 1 < value.length && isNameStart(value[j + 1])) {
      qualifier = name;
      let k = j + 1;
      while (k < value.length && isNameChar(value[k])) k++;
      name = value.slice(j + 1, k);
      j = k;
    }
    i = j;
    // Module of this name: JSON form names modules directly; XML form names prefixes.
    let module: string | undefined;
    if (to === 'json') module = qualifier === undefined ? stepModule : resolve(qualifier);
    else module = qualifier ?? stepModule;
    if (module === undefined) return undefined;
    if (to === 'json') {
      const context = stepModule;
      out += module === context ? name : `${module}:${name}`;
    } else {
      const prefix = resolve(module);
      if (prefix === undefined) return undefined;
      out += prefix === '' ? name : `${prefix}:${name}`;
    }
    if (depth === 0) stepModule = module;
  }
  return out;
}

function isNameStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
}
