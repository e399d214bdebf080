/**
 * What the diff accepts as a configuration, turned into RFC 7951 JSON: XML text (a `<data>` or
 * `<config>` element, a whole `<rpc-reply>`, or bare top-level elements), a reply object with
 * `dataXml` (a DataReply of getConfig/get/getData), or RFC 7951 JSON as it is.
 *
 * XML goes to JSON straight from the parser's events, in slices (xml-input.ts).
 */
import type { DeviceSchema } from '../yang/device-schema';
import { isJsonObject, type JsonObject } from '../yang/json';
import { YangSchemaSet } from '../yang/schema';

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

export function inputText(input: ConfigInput): string | undefined {
  if (typeof input === 'string') return input;
  const dataXml = (input as { dataXml?: unknown }).dataXml;
  return typeof dataXml === 'string' ? dataXml : undefined;
}

export function inputJson(input: ConfigInput): JsonObject {
  if (!isJsonObject(input)) throw new TypeError('a configuration must be XML text, a DataReply or RFC 7951 JSON');
  return input;
}
