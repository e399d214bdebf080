/**
 * Leaf values: XML text <-> RFC 7951 JSON value, driven by the resolved type (RFC 7951 section 6).
 *
 * - int8..int32, uint8..uint32: JSON numbers;
 * - int64, uint64, decimal64: strings (JSON numbers lose precision past 2^53);
 * - boolean: true / false; empty: [null];
 * - identityref: `module:identity`; instance-identifier: prefixes replaced by module names;
 * - enumeration, bits, string, binary: strings, exactly as in XML;
 * - union: the first member type (in order) that accepts the value (RFC 7951 6.10);
 * - leafref: the target's type.
 */
import type { YangType } from './model';
import type { JsonValue } from './json';
import { effectiveType, type YangSchemaSet } from './schema';
import { mapInstanceIdentifier } from './instance-identifier';

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

const NUMBER_TYPES: ReadonlySet<string> = new Set(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32']);

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const BASE64 = /^[A-Za-z0-9+/\s]*=?\s*=?\s*$/;

export interface DecodeContext {
  schema: YangSchemaSet;
  /** XML namespace bindings in scope at the element (prefix -> URI, '' = default). */
  scope: Readonly<Record<string, string>>;
  /** Module of the leaf (an unqualified identity in JSON belongs to it). */
  module: string;
}

function inIntRange(base: string, text: string): boolean {
  const range = INT_RANGES[base];
  if (!range || !INTEGER.test(text)) return false;
  const n = BigInt(text);
  return n >= range[0] && n <= range[1];
}

function matchesPatterns(type: YangType, text: string): boolean {
  for (const p of type.patterns ?? []) {
    if (p.regex && p.regex.test(text) === p.invert) return false;
  }
  return true;
}

/**
 * XML text -> JSON value; undefined when the text is not a value of the type. `strict` also
 * checks string patterns (needed to choose among union members; a plain string leaf takes any
 * text the device sends).
 */
export function decodeValue(
  declared: YangType,
  text: string,
  ctx: DecodeContext,
  strict = false,
): JsonValue | undefined {
  const type = effectiveType(declared);
  const trimmed = text.trim();
  switch (type.base) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
      return inIntRange(type.base, trimmed) ? Number(trimmed) : undefined;
    case 'int64':
    case 'uint64':
      return inIntRange(type.base, trimmed) ? trimmed : undefined;
    case 'decimal64':
      return DECIMAL.test(trimmed) ? trimmed : undefined;
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : undefined;
    case 'empty':
      return trimmed === '' ? [null] : undefined;
    case 'enumeration':
      return !type.enums || type.enums.includes(trimmed) ? trimmed : undefined;
    case 'bits': {
      const names = trimmed === '' ? [] : trimmed.split(/\s+/);
      return !type.bits || names.every((b) => type.bits?.includes(b)) ? names.join(' ') : undefined;
    }
    case 'binary':
      return BASE64.test(trimmed) ? trimmed : undefined;
    case 'identityref':
      return decodeIdentity(trimmed, ctx, strict);
    case 'instance-identifier':
      return mapInstanceIdentifier(
        trimmed,
        (prefix) => ctx.schema.moduleByNamespace(ctx.scope[prefix] ?? '')?.name,
        'json',
      );
    case 'union':
      for (const member of type.union ?? []) {
        const value = decodeValue(member, text, ctx, true);
        if (value !== undefined) return value;
      }
      return undefined;
    case 'string':
    case 'leafref':
      return !strict || matchesPatterns(type, text) ? text : undefined;
  }
}

function decodeIdentity(text: string, ctx: DecodeContext, strict: boolean): string | undefined {
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon);
  const name = colon < 0 ? text : text.slice(colon + 1);
  const namespace = ctx.scope[prefix];
  const module = namespace === undefined ? undefined : ctx.schema.moduleByNamespace(namespace)?.name;
  if (!module || name === '') return undefined;
  const qualified = `${module}:${name}`;
  if (strict && !ctx.schema.identities.has(qualified)) return undefined;
  return qualified;
}

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
    case 'uint64': {
      const asNumber = NUMBER_TYPES.has(type.base);
      if (strict && (typeof value === 'number') !== asNumber) return undefined;
      const text =
        typeof value === 'number'
          ? Number.isInteger(value)
            ? String(value)
            : ''
          : typeof value === 'string'
            ? value.trim()
            : '';
      return inIntRange(type.base, text) ? text : undefined;
    }
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
      return typeof value === 'string'
        ? mapInstanceIdentifier(value, (module) => ctx.prefixFor(module), 'xml')
        : undefined;
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

/** `[null]` is the RFC 7951 form; `null` and `[]`-less forms are accepted from hand-written JSON. */
function isEmptyValue(value: JsonValue): boolean {
  return value === null || (Array.isArray(value) && value.length === 1 && value[0] === null);
}

function encodeIdentity(value: string, ctx: EncodeContext, strict: boolean): string | undefined {
  const colon = value.indexOf(':');
  const module = colon < 0 ? ctx.module : value.slice(0, colon);
  const name = colon < 0 ? value : value.slice(colon + 1);
  if (strict && !ctx.schema.identities.has(`${module}:${name}`)) return undefined;
  const prefix = ctx.prefixFor(module);
  return prefix === undefined ? undefined : `${prefix}:${name}`;
}
