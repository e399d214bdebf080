/**
 * An XML configuration -> RFC 7951 JSON, straight from the SAX events: the same sliced
 * conversion as `getJson()` (src/yang/xml-stream-json.ts), so no element tree of the whole
 * configuration is ever built. Building that tree first (and converting it in chunks) took most
 * of the time of a large XML diff and most of its memory.
 *
 * Only the envelope is looked at first: a `<rpc-reply>` is read up to its `<data>` (the session's
 * readMessage, which finds the end of `<data>` from the tail of the text), a `<data>` or
 * `<config>` root is the container itself, and bare top-level elements get a wrapper.
 */
import { NS_BASE, NS_NMDA } from '../namespaces';
import { readMessage } from '../session/message';
import { parseTree, type XmlElement } from '../xml/element';
import type { JsonObject } from '../yang/json';
import { YangSchemaSet } from '../yang/schema';
import { streamXmlToJson, type StreamJsonOptions } from '../yang/xml-stream-json';
import type { SchemaView } from './input';
import { EntryLog, streamXmlToJsonPaired } from './xml-pair';
import type { ReusedEntries } from './reused-entries';

/** Where the configuration's elements are: the children of the element at `start` of `text`. */
interface Container {
  text: string;
  start: number;
  end: number;
  scope: Record<string, string>;
}

/**
 * The configuration in `xml` as RFC 7951 JSON. With `view` its schema drives the conversion
 * (conversion warnings are added to `warnings`); without, members are named after the module
 * guessed from each namespace and every value is a string.
 */
export async function xmlConfigToJson(
  xml: string,
  view: SchemaView | undefined,
  warnings: string[],
): Promise<JsonObject> {
  const container = await findContainer(xml);
  if (!container) return {};
  const r = await streamXmlToJson(schemaOf(view), container.text, streamOptions(container, view));
  // Without a schema every subtree is "outside the schema"; the one NO_SCHEMA_WARNING says so.
  if (view) warnings.push(...r.warnings);
  return r.value;
}

/**
 * Two XML configurations, the second converted reusing the first's list entries that it has
 * unchanged (xml-pair.ts): the same JSON as two xmlConfigToJson calls, in about half the time.
 * A reused entry's conversion warnings are given once, with the first configuration's. Each
 * reused entry is noted in `reused` (for the canonical pass: reused-entries.ts).
 */
export async function xmlConfigPairToJson(
  before: string,
  after: string,
  view: SchemaView | undefined,
  warnings: { before: string[]; after: string[] },
  reused?: ReusedEntries,
): Promise<[JsonObject, JsonObject]> {
  const first = await findContainer(before);
  const second = await findContainer(after);
  if (!first || !second)
    return [await xmlConfigToJson(before, view, warnings.before), await xmlConfigToJson(after, view, warnings.after)];
  const log = new EntryLog(first.text, first.start);
  const a = await streamXmlToJson(schemaOf(view), first.text, { ...streamOptions(first, view), watch: log });
  const options = { ...streamOptions(second, view), start: second.start, end: second.end };
  const b = await streamXmlToJsonPaired(schemaOf(view), second.text, log, options, reused);
  if (view) {
    warnings.before.push(...a.warnings);
    warnings.after.push(...b.warnings);
  }
  return [a.value, b.value];
}

function schemaOf(view: SchemaView | undefined): YangSchemaSet {
  return view ? view.schema : EMPTY_SCHEMA;
}

function streamOptions(container: Container, view: SchemaView | undefined): StreamJsonOptions {
  const moduleNames = view ? view.moduleNames : new GuessedModuleNames();
  return { start: container.start, end: container.end, scope: container.scope, moduleNames };
}

async function findContainer(xml: string): Promise<Container | undefined> {
  // No element at all (empty text, a declaration alone): an empty configuration.
  if (!xml.includes('<') || /^\s*(<\?xml[^>]*\?>)?\s*$/.test(xml)) return undefined;
  const root = firstElement(xml);
  if (root.local === 'rpc-reply' && root.ns === NS_BASE) {
    const message = await readMessage(xml);
    const data = message.data;
    return data ? { text: xml, start: data.start, end: data.end, scope: data.scope } : undefined;
  }
  if ((root.local === 'data' || root.local === 'config') && (root.ns === NS_BASE || root.ns === NS_NMDA))
    return { text: xml, start: root.start, end: xml.length, scope: {} };
  const wrapped = `<wrapper>${xml.replace(/^\s*<\?xml[^>]*\?>/, '')}</wrapper>`;
  return { text: wrapped, start: 0, end: wrapped.length, scope: {} };
}

/** The root element's start tag alone (the parse stops there, whatever the size of the text). */
function firstElement(xml: string): XmlElement {
  return parseTree(xml, { stopAt: () => true });
}

const EMPTY_SCHEMA = YangSchemaSet.fromTexts([]);

/**
 * Without a schema: module names are taken from the last segment of each namespace
 * (`urn:ietf:params:xml:ns:yang:ietf-interfaces` -> `ietf-interfaces`), which is right for IETF
 * and most vendor modules and only serves to name the members anyway.
 */
class GuessedModuleNames extends Map<string, string> {
  override get(namespace: string): string | undefined {
    if (namespace === '') return undefined;
    return /([^:/]+)\/?$/.exec(namespace)?.[1] ?? namespace;
  }
}
