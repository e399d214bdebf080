/**
 * What the diff accepts as a configuration, turned into RFC 7951 JSON: XML text (a `<data>` or
 * `<config>` element, a whole `<rpc-reply>`, or bare top-level elements), a reply object with
 * `dataXml` (a DataReply of getConfig/get/getData), or RFC 7951 JSON as it is.
 *
 * XML is parsed and converted in slices (a large list is converted a chunk of entries at a
 * time), so the event loop keeps running on configurations of many megabytes.
 */
import { NS_BASE, NS_NMDA } from '../namespaces';
import { parseTreeAsync, type XmlElement } from '../xml/element';
import type { DeviceSchema } from '../yang/device-schema';
import { isJsonObject, type JsonObject } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import { YangSchemaSet } from '../yang/schema';
import { elementsToJson } from '../yang/xml-to-json';
import type { Clock, Sliced } from './slicer';

/** A configuration: XML text, a reply with `dataXml` (DataReply), or RFC 7951 JSON. */
export type ConfigInput = string | { readonly dataXml: string } | JsonObject;

/** The schema the diff works with: `mgr.yang` (DeviceSchema) or a bare YangSchemaSet. */
export type DiffSchema = DeviceSchema | YangSchemaSet;

export interface SchemaView {
  schema: YangSchemaSet;
  moduleNames: ReadonlyMap<string, string> | undefined;
  moduleNamespaces: ReadonlyMap<string, string> | undefined;
}

export function schemaView(schema: DiffSchema): SchemaView {
  if (schema instanceof YangSchemaSet) return { schema, moduleNames: undefined, moduleNamespaces: undefined };
  return { schema: schema.schema, moduleNames: schema.moduleNames, moduleNamespaces: schema.moduleNamespaces };
}

/** Source characters converted per call of the (synchronous) XML -> JSON converter. */
const CHUNK_CHARS = 64 * 1024;

/** The top-level data elements of an XML configuration. */
export async function topLevelElements(xml: string): Promise<XmlElement[]> {
  const body = xml.replace(/^\s*<\?xml[^>]*\?>/, '');
  const root = await parseTreeAsync(`<wrapper>${body}</wrapper>`);
  let elements = root.children;
  const only = elements.length === 1 ? elements[0] : undefined;
  if (only && only.local === 'rpc-reply' && only.ns === NS_BASE) {
    const data = only.children.find((c) => c.local === 'data');
    elements = data ? data.children : [];
  } else if (
    only &&
    (only.local === 'data' || only.local === 'config') &&
    (only.ns === NS_BASE || only.ns === NS_NMDA)
  ) {
    elements = only.children;
  }
  return elements;
}

export function inputText(input: ConfigInput): string | undefined {
  if (typeof input === 'string') return input;
  const dataXml = (input as { dataXml?: unknown }).dataXml;
  return typeof dataXml === 'string' ? dataXml : undefined;
}

export function inputJson(input: ConfigInput): JsonObject {
  if (!isJsonObject(input)) throw new TypeError('a configuration must be XML text, a DataReply or RFC 7951 JSON');
  return input;
}

/**
 * Converts `elements` (children of schema node `parent`; undefined: top level) to JSON, a chunk
 * at a time; an element too large for one chunk is converted through its own children.
 */
export function* elementsToJsonSliced(
  view: SchemaView,
  elements: readonly XmlElement[],
  parent: SchemaNode | undefined,
  clock: Clock,
  warnings: string[],
): Sliced<JsonObject> {
  const out: JsonObject = {};
  let chunk: XmlElement[] = [];
  let chars = 0;
  const flush = (): void => {
    if (chunk.length === 0) return;
    const r = elementsToJson(view.schema, chunk, { parent, moduleNames: view.moduleNames });
    mergeMembers(out, r.value);
    warnings.push(...r.warnings);
    chunk = [];
    chars = 0;
  };
  for (const el of elements) {
    const size = el.end - el.start;
    const node = size > CHUNK_CHARS && el.children.length > 1 ? schemaChild(view.schema, parent, el) : undefined;
    if (node && (node.kind === 'container' || node.kind === 'list')) {
      flush();
      if (clock.dueNow()) yield;
      const value = yield* elementsToJsonSliced(view, el.children, node, clock, warnings);
      const member = node.module === parent?.module ? node.name : `${node.module}:${node.name}`;
      mergeMembers(out, { [member]: node.kind === 'list' ? [value] : value });
      continue;
    }
    chunk.push(el);
    chars += size;
    if (chars >= CHUNK_CHARS) {
      flush();
      if (clock.dueNow()) yield;
    }
  }
  flush();
  return out;
}

function schemaChild(schema: YangSchemaSet, parent: SchemaNode | undefined, el: XmlElement): SchemaNode | undefined {
  if (!parent) return schema.findTopLevel(el.ns, el.local);
  const module = schema.moduleByNamespace(el.ns);
  return module ? parent.dataChildren.get(`${module.name}:${el.local}`) : undefined;
}

/** Adds a chunk's members: lists and leaf-lists (arrays) are appended to, others set. */
function mergeMembers(out: JsonObject, part: JsonObject): void {
  for (const [member, value] of Object.entries(part)) {
    const existing = out[member];
    if (Array.isArray(existing) && Array.isArray(value)) for (const v of value) existing.push(v);
    else out[member] = value;
  }
}

/**
 * Without a schema: module names are taken from the last segment of each namespace
 * (`urn:ietf:params:xml:ns:yang:ietf-interfaces` -> `ietf-interfaces`), which is right for IETF
 * and most vendor modules and only serves to name the members anyway.
 */
export function guessedModuleNames(elements: readonly XmlElement[]): Map<string, string> {
  const names = new Map<string, string>();
  const stack = [...elements];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.ns && !names.has(el.ns)) names.set(el.ns, /([^:/]+)\/?$/.exec(el.ns)?.[1] ?? el.ns);
    for (const c of el.children) stack.push(c);
  }
  return names;
}
