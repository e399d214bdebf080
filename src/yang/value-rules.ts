/** Lexical rules of built-in YANG types shared by the XML -> JSON and JSON -> XML value codecs. */
import type { JsonValue } from './json';
import type { SchemaNode, YangType } from './model';
import type { YangSchemaSet } from './schema';

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 18446744073709551615n],
};

/** Integer types RFC 7951 6.1 writes as JSON numbers (the 64-bit ones are strings). */
export const NUMBER_TYPES: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32']);

const INTEGER = /^[+-]?\d+$/;
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
/**
 * The canonical form of a decimal64 (RFC 7950 9.3.2): no '+', no leading or trailing zeros, one
 * digit on each side of the point; RFC 7951 and libyang write it so, and a diff compares by it.
 */
export function canonicalDecimal(text: string): string {
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const point = unsigned.indexOf('.');
  const whole = (point < 0 ? unsigned : unsigned.slice(0, point)).replace(/^0+/, '') || '0';
  const fraction = (point < 0 ? '' : unsigned.slice(point + 1)).replace(/0+$/, '') || '0';
  const zero = whole === '0' && fraction === '0';
  return `${negative && !zero ? '-' : ''}${whole}.${fraction}`;
}

/** The canonical form of a 64-bit integer given as text (no '+', no leading zeros). */
export function canonicalInteger(text: string): string {
  return BigInt(text).toString();
}

export const BASE64 = /^[A-Za-z0-9+/\s]*=?\s*=?\s*$/;

export function inIntRange(base: string, text: string): boolean {
  const range = INT_RANGES[base];
  if (!range || !INTEGER.test(text)) return false;
  const n = BigInt(text);
  return n >= range[0] && n <= range[1];
}

export function matchesPatterns(type: YangType, text: string): boolean {
  for (const p of type.patterns ?? []) {
    if (p.regex && p.regex.test(text) === p.invert) return false;
  }
  return true;
}

/** `[null]` is the RFC 7951 form; `null` and `[]`-less forms are accepted from hand-written JSON. */
export function isEmptyValue(value: JsonValue): boolean {
  return value === null || (Array.isArray(value) && value.length === 1 && value[0] === null);
}

/** The key leaf (or, for `.`, the leaf-list) an instance-identifier predicate names, if typed. */
export function predicateLeaf(
  schema: YangSchemaSet,
  path: string,
  key: string,
): (SchemaNode & { type: YangType }) | undefined {
  const list = schema.lookup(path);
  const leaf = key === '.' ? list : list?.dataChildren.get(key);
  return leaf?.type ? { ...leaf, type: leaf.type } : undefined;
}
