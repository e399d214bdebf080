/**
 * The tree converter (xml-to-json.ts) checked against the streaming one (xml-stream-json.ts,
 * behind `getJson()`) on every conversion a test makes: each call converts both ways and
 * asserts the results are deeply equal, then returns the tree converter's. Elements must come
 * from this module's parseTree (it remembers their source text).
 */
import assert from 'node:assert/strict';
import { parseTree as parseTreeOnly, type TreeOptions, type XmlElement } from '../../src/xml/element';
import type { ConversionResult, JsonObject } from '../../src/yang/json';
import type { YangSchemaSet } from '../../src/yang/schema';
import { streamXmlToJsonSync, type StreamJsonOptions } from '../../src/yang/xml-stream-json';
import * as tree from '../../src/yang/xml-to-json';

const NS_NOTIFICATION = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const sources = new WeakMap<XmlElement, string>();

export function parseTree(text: string, options?: TreeOptions): XmlElement {
  const root = parseTreeOnly(text, options);
  sources.set(root, text);
  return root;
}

function streamed(schema: YangSchemaSet, el: XmlElement, options: StreamJsonOptions): ConversionResult<JsonObject> {
  const text = sources.get(el);
  assert.ok(text !== undefined, 'element not parsed by test/helpers/json-both parseTree');
  return streamXmlToJsonSync(schema, text, options);
}

export function xmlToJson(
  schema: YangSchemaSet,
  container: XmlElement,
  options: tree.XmlToJsonOptions = {},
): ConversionResult<JsonObject> {
  const expected = tree.xmlToJson(schema, container, options);
  assert.deepEqual(streamed(schema, container, options), expected, 'streamed JSON differs from the tree conversion');
  return expected;
}

export function notificationToJson(
  schema: YangSchemaSet,
  notification: XmlElement,
  options: tree.XmlToJsonOptions = {},
): ReturnType<typeof tree.notificationToJson> {
  const expected = tree.notificationToJson(schema, notification, options);
  let seen = false;
  const skip = (tag: { local: string; uri: string }): boolean =>
    !seen && tag.local === 'eventTime' && tag.uri === NS_NOTIFICATION && (seen = true);
  const got = streamed(schema, notification, { ...options, skip });
  assert.deepEqual(got, { value: expected.value, warnings: expected.warnings }, 'streamed notification JSON differs');
  return expected;
}
