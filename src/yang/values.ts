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
 *
 * This file decodes (XML -> JSON); value-encode.ts is the other way.
 */
import type { YangType } from './model';
import type { JsonValue } from './json';
import { effectiveType, type YangSchemaSet } from './schema';
import { mapInstanceIdentifier } from './instance-identifier';
import {
  BASE64,
  canonicalDecimal,
  canonicalInteger,
  DECIMAL,
  inIntRange,
  matchesPatterns,
  predicateLeaf,
} from './value-rules';

export interface DecodeContext {
  schema: YangSchemaSet;
  /** XML namespace bindings in scope at the element (prefix -> URI, '' = default). */
  scope: Readonly<Record<string, string>>;
  /** Module of the leaf (an unqualified identity in JSON belongs to it). */
  module: string;
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
      return inIntRange(type.base, trimmed) ? canonicalInteger(trimmed) : undefined;
    case 'decimal64':
      return DECIMAL.test(trimmed) ? canonicalDecimal(trimmed) : undefined;
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
      return decodeInstanceIdentifier(trimmed, ctx);
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

/** Prefixes -> module names, predicate values (identityref keys...) by their key's type. */
function decodeInstanceIdentifier(text: string, ctx: DecodeContext): string | undefined {
  return mapInstanceIdentifier(
    text,
    (prefix) => ctx.schema.moduleByNamespace(ctx.scope[prefix] ?? '')?.name,
    'json',
    (path, key, raw) => {
      const leaf = predicateLeaf(ctx.schema, path, key);
      const value = leaf ? decodeValue(leaf.type, raw, { ...ctx, module: leaf.module }) : undefined;
      return typeof value === 'string' ? value : undefined;
    },
  );
}
