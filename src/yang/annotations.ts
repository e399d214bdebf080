/**
 * RFC 7952 metadata: XML attributes <-> `@` members. An annotation is named `module:name`;
 * its module gives the attribute namespace. The modules of the annotations NETCONF itself uses
 * are known here even when the device's schema does not include them (ietf-netconf is rarely
 * fetched, yet `ietf-netconf:operation` is what every edit-config needs).
 */
import { NS_BASE, NS_WITH_DEFAULTS } from '../namespaces';
import type { JsonValue } from './json';
import type { YangSchemaSet } from './schema';

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

/** JSON value of an annotation attribute. */
export function annotationValue(member: string, text: string): JsonValue {
  if (BOOLEAN_ANNOTATIONS.has(member) && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
