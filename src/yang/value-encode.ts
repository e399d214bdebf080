/**
 * Leaf values, JSON -> XML text: the reverse of values.ts (RFC 7951 section 6), with prefixes for
 * identityref and instance-identifier values declared on the element being written.
 */
import type { JsonValue } from './json';
import type { YangType } from './model';
import { effectiveType, type YangSchemaSet } from './schema';
import { mapInstanceIdentifier } from './instance-identifier';
import { BASE64, DECIMAL, inIntRange, isEmptyValue, matchesPatterns, NUMBER_TYPES, predicateLeaf } from './value-rules';

export interface EncodeContext {
  schema: YangSchemaSet;
  /** Module of the leaf: unqualified identities belong to it. */
  module: string;
  /** Returns the XML prefix bound (on the element being written) to a module's namespace. */
  prefixFor(module: string): string | undefined;
}

/**
 * JSON value -> XML text; undefined when the value does not fit the type. `strict` follows
 * RFC 7951 exactly (8-32 bit integers only as numbers, 64-bit ones only as strings); for a
 * plain leaf the lenient mode accepts either form, since flow authors write `"mtu": "1500"`.
 */
export function encodeValue(
  declared: YangType,
  value: JsonValue,
  ctx: EncodeContext,
  strict = false,
): string | undefined {
  const type = effectiveType(declared);
  switch (type.base) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'int64':
    case 'uint64':
      return encodeInteger(type.base, value, strict);
    case 'decimal64': {
      if (strict && typeof value !== 'string') return undefined;
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
      return DECIMAL.test(text) ? text : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return String(value);
      return !strict && (value === 'true' || value === 'false') ? value : undefined;
    case 'empty':
      return isEmptyValue(value) ? '' : undefined;
    case 'enumeration':
      return typeof value === 'string' && (!type.enums || type.enums.includes(value)) ? value : undefined;
    case 'bits':
      return typeof value === 'string' &&
        (!type.bits || value.split(/\s+/).every((b) => b === '' || type.bits?.includes(b)))
        ? value
        : undefined;
    case 'binary':
      return typeof value === 'string' && BASE64.test(value) ? value : undefined;
    case 'identityref':
      return typeof value === 'string' ? encodeIdentity(value, ctx, strict) : undefined;
    case 'instance-identifier':
      return typeof value === 'string' ? encodeInstanceIdentifier(value, ctx) : undefined;
    case 'union':
      for (const member of type.union ?? []) {
        const text = encodeValue(member, value, ctx, true);
        if (text !== undefined) return text;
      }
      return undefined;
    case 'string':
    case 'leafref':
      if (typeof value === 'string') return !strict || matchesPatterns(type, value) ? value : undefined;
      return !strict && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : undefined;
  }
}

function encodeInteger(base: string, value: JsonValue, strict: boolean): string | undefined {
  const asNumber = NUMBER_TYPES.has(base);
  if (strict && (typeof value === 'number') !== asNumber) return undefined;
  let text = '';
  if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : '';
  else if (typeof value === 'string') text = value.trim();
  return inIntRange(base, text) ? text : undefined;
}

function encodeIdentity(value: string, ctx: EncodeContext, strict: boolean): string | undefined {
  const colon = value.indexOf(':');
  const module = colon < 0 ? ctx.module : value.slice(0, colon);
  const name = colon < 0 ? value : value.slice(colon + 1);
  if (strict && !ctx.schema.identities.has(`${module}:${name}`)) return undefined;
  const prefix = ctx.prefixFor(module);
  return prefix === undefined ? undefined : `${prefix}:${name}`;
}

/** Module names -> prefixes, predicate values (identityref keys...) by their key's type. */
function encodeInstanceIdentifier(value: string, ctx: EncodeContext): string | undefined {
  return mapInstanceIdentifier(
    value,
    (module) => ctx.prefixFor(module),
    'xml',
    (path, key, raw) => {
      const leaf = predicateLeaf(ctx.schema, path, key);
      return leaf ? encodeValue(leaf.type, raw, { ...ctx, module: leaf.module }) : undefined;
    },
  );
}
