/**
 * Filters for get, get-config, create-subscription and get-data. A filter may be given as:
 * - an XML string: a whole `<filter ...>` element is sent as it is; anything else is the subtree
 *   content and is wrapped in `<filter type="subtree">`;
 * - a plain object (the library's XML convention), wrapped as a subtree filter;
 * - `{ subtree: string | object }`;
 * - `{ xpath: '/if:interfaces', namespaces: { if: 'urn:...' } }` (needs the :xpath capability).
 */
import { escapeAttribute } from '../xml/element';
import { objectToXml, type XmlObject } from '../xml/object';
import { checkXmlFragment } from './validate';

export interface XpathFilter {
  xpath: string;
  namespaces?: Record<string, string>;
}
export interface SubtreeFilter {
  subtree: string | XmlObject;
}
export type Filter = string | XmlObject | XpathFilter | SubtreeFilter;

export function isXpathFilter(f: unknown): f is XpathFilter {
  return typeof f === 'object' && f !== null && typeof (f as XpathFilter).xpath === 'string';
}

function isSubtreeFilter(f: unknown): f is SubtreeFilter {
  return typeof f === 'object' && f !== null && 'subtree' in f && Object.keys(f).length === 1;
}

/** Subtree content of a filter as XML text. */
export function subtreeXml(filter: string | XmlObject): string {
  const xml = typeof filter === 'string' ? filter.trim() : objectToXml(filter);
  checkXmlFragment(xml, 'filter');
  return xml;
}

/** The `<filter>` element for `filter` in the given namespace prefix context (base or notification). */
export function filterElement(filter: Filter | undefined, xmlns?: string): string {
  if (filter === undefined || filter === '') return '';
  const ns = xmlns ? ` xmlns="${xmlns}"` : '';
  if (isXpathFilter(filter)) {
    const decls = Object.entries(filter.namespaces ?? {})
      .map(([prefix, uri]) => ` xmlns:${prefix}="${escapeAttribute(uri)}"`)
      .join('');
    return `<filter${ns} type="xpath" select="${escapeAttribute(filter.xpath)}"${decls}/>`;
  }
  const content = isSubtreeFilter(filter) ? filter.subtree : filter;
  const xml = subtreeXml(content);
  if (/^<(?:[\w.-]+:)?filter[\s>/]/.test(xml)) return xml;
  return `<filter${ns} type="subtree">${xml}</filter>`;
}
