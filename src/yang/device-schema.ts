/**
 * The YANG schema of one device, as the Manager loads it (`loadYang()`), and the RFC 7951
 * conversions that replies, notifications and request builders need from it.
 */
import { NS_BASE, NS_NMDA } from '../namespaces';
import type { XmlElement } from '../xml/element';
import type { FailedModule } from './cache';
import { isJsonObject, type ConversionResult, type JsonObject, type JsonValue } from './json';
import { jsonToXml } from './json-to-xml';
import type { YangSchemaSet } from './schema';
import { notificationToJson, xmlToJson } from './xml-to-json';

export interface DeviceSchema {
  schema: YangSchemaSet;
  /** Namespace -> module name of every module the device announced (also those not fetched). */
  moduleNames: Map<string, string>;
  /** Module name -> namespace, the reverse. */
  moduleNamespaces: Map<string, string>;
  /** `name@revision` of module texts fetched from the device (the rest came from the cache). */
  fetched: string[];
  failed: FailedModule[];
  /** Why parts of the schema are missing; converted data of those modules is plain strings. */
  warnings: string[];
}

/**
 * RFC 7951 JSON has module-qualified top-level members (`ietf-interfaces:interfaces`); the
 * library's plain object convention has bare local names and `@xmlns`. That is how the two
 * are told apart wherever an object is accepted.
 */
export function isRfc7951(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$/.test(k));
}

/** The `<data>` of a reply as RFC 7951 JSON. */
export function replyDataToJson(device: DeviceSchema, reply: XmlElement): ConversionResult<JsonObject> {
  const data = reply.children.find((c) => c.local === 'data' && (c.ns === NS_BASE || c.ns === NS_NMDA));
  if (!data) return { value: {}, warnings: [] };
  return xmlToJson(device.schema, data, { moduleNames: device.moduleNames });
}

export function notificationJson(device: DeviceSchema, notification: XmlElement): ConversionResult<JsonObject> {
  const { value, warnings } = notificationToJson(device.schema, notification, { moduleNames: device.moduleNames });
  return { value, warnings };
}

/** RFC 7951 JSON (config, filter or rpc) -> XML elements, namespaces from the schema. */
export function jsonToXmlFor(device: DeviceSchema, json: JsonObject): ConversionResult<string> {
  return jsonToXml(device.schema, json, { moduleNamespaces: device.moduleNamespaces });
}

export { isJsonObject, type JsonObject, type JsonValue };
