/**
 * Leaf values in canonical form (RFC 7950 section 9, in their RFC 7951 JSON encoding), so that
 * values are compared by type: `007` and `7` are the same integer, `1.50` and `1.5` the same
 * decimal64, while two strings differ as soon as one character does.
 */
import type { JsonValue } from '../yang/json';
import type { YangType } from '../yang/model';
import { effectiveType } from '../yang/schema';
// The lexical rules are the value codecs' own (one definition of what a valid int8 or decimal64 is).
import {
  canonicalDecimal as decimalText,
  canonicalInteger as integerText,
  DECIMAL,
  inIntRange,
  matchesPatterns,
  NUMBER_TYPES,
} from '../yang/value-rules';

/**
 * The canonical JSON value, or undefined when `value` is not a value of the type (the caller
 * keeps it as it is and warns). `module` is the leaf's module: an unqualified identity is its.
 */
export function canonicalValue(declared: YangType, value: JsonValue, module: string): JsonValue | undefined {
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
      return canonicalInteger(type.base, value);
    case 'decimal64':
      return canonicalDecimal(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'empty':
      return value === null || (Array.isArray(value) && value.length <= 1 && (value[0] ?? null) === null)
        ? [null]
        : undefined;
    case 'identityref':
      if (typeof value !== 'string' || value === '') return undefined;
      return value.includes(':') ? value : `${module}:${value}`;
    case 'bits':
      return typeof value === 'string' ? canonicalBits(type, value) : undefined;
    case 'binary':
      return typeof value === 'string' ? value.replace(/\s+/g, '') : undefined;
    case 'union':
      return canonicalUnion(type, value, module);
    default:
      // string, enumeration, instance-identifier, unresolved leafref: compared exactly.
      return typeof value === 'string' ? value : typeof value === 'object' ? undefined : String(value);
  }
}

function canonicalInteger(base: string, value: JsonValue): JsonValue | undefined {
  if (typeof value === 'object') return undefined;
  const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : String(value).trim();
  if (!inIntRange(base, text)) return undefined;
  return NUMBER_TYPES.has(base) ? Number(text) : integerText(text);
}

function canonicalDecimal(value: JsonValue): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return DECIMAL.test(text) ? decimalText(text) : undefined;
}

/** Bits in the order the type defines them, each once. */
function canonicalBits(type: YangType, value: string): string {
  const set = new Set(value.split(/\s+/).filter((b) => b !== ''));
  const known = type.bits ?? [];
  const ordered = known.filter((b) => set.has(b));
  const unknown = [...set].filter((b) => !known.includes(b)).sort();
  return [...ordered, ...unknown].join(' ');
}

/**
 * RFC 7951 6.10: the value belongs to the first member type that accepts it as JSON encodes it
 * (8-32 bit integers as numbers, 64-bit and decimal64 as strings).
 */
function canonicalUnion(type: YangType, value: JsonValue, module: string): JsonValue | undefined {
  for (const member of type.union ?? []) {
    const base = effectiveType(member).base;
    if (NUMBER_TYPES.has(base) && typeof value !== 'number') continue;
    if ((base === 'int64' || base === 'uint64' || base === 'decimal64') && typeof value !== 'string') continue;
    if (base === 'string' && typeof value !== 'string') continue;
    const enums = effectiveType(member).enums;
    if (base === 'enumeration' && (typeof value !== 'string' || (enums !== undefined && !enums.includes(value))))
      continue;
    const result = canonicalValue(member, value, module);
    if (typeof result === 'string' && base === 'string' && !matchesPatterns(effectiveType(member), result)) continue;
    if (result !== undefined) return result;
  }
  return undefined;
}
