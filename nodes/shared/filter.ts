/**
 * Filters as the get and notification nodes take them: a typedInput whose type is "none",
 * "subtree" (XML typed into the node), "xpath" (an expression, with optional namespace
 * prefixes), or a Node-RED source (msg, flow, global, env, json) whose value is normalised here.
 */
import { InvalidInputError, type Filter, type XmlObject } from '../../src/index';
import { evaluate } from './message';
import type { NodeAPI, NodeMessage } from './red-types';

export interface FilterSetting {
  filter?: string;
  filterType?: string;
  /** JSON object of XPath prefixes -> namespace URIs. */
  namespaces?: string;
}

export function parseNamespaces(text: string | undefined): Record<string, string> | undefined {
  if (!text || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(
      'the XPath namespaces must be a JSON object like {"if": "urn:ietf:params:xml:ns:yang:ietf-interfaces"}',
    );
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  ) {
    throw new InvalidInputError('the XPath namespaces must be a JSON object of prefix: namespace URI strings');
  }
  return value as Record<string, string>;
}

/**
 * A filter value from a message or context: XML text (subtree or a whole <filter> element), an
 * XPath expression (text not starting with '<'), or an object (the library's Filter forms).
 */
export function normaliseFilter(value: unknown, namespaces?: Record<string, string>): Filter | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Buffer.isBuffer(value)) return normaliseFilter(value.toString('utf8'), namespaces);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    return text.startsWith('<') ? text : { xpath: text, namespaces };
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as XmlObject;
  throw new InvalidInputError(`a filter must be XML, an XPath expression or an object (got ${typeof value})`);
}

export async function resolveFilter(
  RED: NodeAPI,
  node: object,
  msg: NodeMessage | undefined,
  setting: FilterSetting,
): Promise<Filter | undefined> {
  const type = setting.filterType || 'none';
  const value = setting.filter ?? '';
  const namespaces = parseNamespaces(setting.namespaces);
  switch (type) {
    case 'none':
      return undefined;
    case 'subtree':
      return value.trim() === '' ? undefined : value;
    case 'xpath':
      return value.trim() === '' ? undefined : { xpath: value.trim(), namespaces };
    default:
      return normaliseFilter(await evaluate(RED, node, msg ?? {}, value, type), namespaces);
  }
}
