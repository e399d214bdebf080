/**
 * RFC 7952 metadata: XML attributes <-> `@` members. An annotation is named `module:name`;
 * its module gives the attribute namespace. The modules of the annotations NETCONF itself uses
 * are known here even when the device's schema does not include them (ietf-netconf is rarely
 * fetched, yet `ietf-netconf:operation` is what every edit-config needs).
 *
 * Values are converted by the annotation's type (its `md:annotation` statement, RFC 7952 3) like
 * leaf values: ietf-origin's `origin` is an identityref, so `or:intended` in XML is
 * `ietf-origin:intended` in JSON. Without the module, the NETCONF annotations above still get
 * their RFC 7951 form; any other value is kept as written.
 */
import { NS_BASE, NS_WITH_DEFAULTS } from '../namespaces';
import type { JsonValue } from './json';
import type { YangSchemaSet } from './schema';
import { decodeValue, type DecodeContext } from './values';
import { encodeValue, type EncodeContext } from './value-encode';

interface KnownModule {
  name: string;
  namespace: string;
  prefix: string;
}

const KNOWN: readonly KnownModule[] = [
  { name: 'ietf-netconf', namespace: NS_BASE, prefix: 'nc' },
  { name: 'ietf-netconf-with-defaults', namespace: NS_WITH_DEFAULTS, prefix: 'wd' },
  { name: 'ietf-origin', namespace: 'urn:ietf:params:xml:ns:yang:ietf-origin', prefix: 'or' },
  { name: 'yang', namespace: 'urn:ietf:params:xml:ns:yang:1', prefix: 'yang' },
];

/** Annotations whose value is not a string (RFC 8040 4.8.9 shows `default` as a boolean). */
const BOOLEAN_ANNOTATIONS: ReadonlySet<string> = new Set(['ietf-netconf-with-defaults:default']);

/** Identityref annotations of the known modules, for when their module is not loaded. */
const IDENTITY_ANNOTATIONS: ReadonlySet<string> = new Set(['ietf-origin:origin']);

/** Module name for a namespace: from the schema, the known NETCONF modules, or `extra`. */
export function moduleNameOf(
  schema: YangSchemaSet,
  namespace: string,
  extra?: ReadonlyMap<string, string>,
): string | undefined {
  return (
    schema.moduleByNamespace(namespace)?.name ??
    KNOWN.find((k) => k.namespace === namespace)?.name ??
    extra?.get(namespace)
  );
}

/** Namespace and preferred prefix for a module name. */
export function moduleNamespaceOf(
  schema: YangSchemaSet,
  module: string,
): { namespace: string; prefix: string } | undefined {
  const m = schema.module(module);
  if (m) return { namespace: m.namespace, prefix: m.prefix };
  const k = KNOWN.find((x) => x.name === module);
  return k ? { namespace: k.namespace, prefix: k.prefix } : undefined;
}

/**
 * JSON value of an annotation attribute `member` (`module:name`).
 * @param ctx the attribute's element scope; `module` is the annotation's module
 */
export function annotationValue(member: string, text: string, ctx: DecodeContext): JsonValue {
  const type = ctx.schema.annotationType(member);
  const typed = type ? decodeValue(type, text, ctx) : undefined;
  if (typed !== undefined) return typed;
  if (BOOLEAN_ANNOTATIONS.has(member) && (text === 'true' || text === 'false')) return text === 'true';
  if (!type && IDENTITY_ANNOTATIONS.has(member)) {
    const colon = text.indexOf(':');
    const module = colon > 0 ? moduleNameOf(ctx.schema, ctx.scope[text.slice(0, colon)] ?? '') : undefined;
    if (module) return `${module}:${text.slice(colon + 1)}`;
  }
  return text;
}

/** XML attribute text of an annotation; undefined when the value does not fit its type. */
export function annotationText(member: string, value: JsonValue, ctx: EncodeContext): string | undefined {
  const type = ctx.schema.annotationType(member);
  if (type) return encodeValue(type, value, ctx);
  if (typeof value === 'object' && value !== null) return undefined;
  const text = value === null ? '' : String(value);
  if (IDENTITY_ANNOTATIONS.has(member)) {
    const colon = text.indexOf(':');
    const prefix = colon > 0 ? ctx.prefixFor(text.slice(0, colon)) : undefined;
    if (prefix !== undefined) return `${prefix}:${text.slice(colon + 1)}`;
  }
  return text;
}
