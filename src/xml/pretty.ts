/**
 * XML indented for people (backups read in a diff tool, the Debug sidebar): one element per line,
 * children indented, an element holding only text on one line. Element and attribute names keep
 * their prefixes, and each element declares the namespaces it declared; the whitespace between
 * elements is replaced, comments and processing instructions are dropped. For machines keep the XML
 * as the device sent it: this is not byte-exact. Parsed by the library's one parse path (depth
 * bounded, sliced so a large reply does not hold up the event loop).
 */
import { escapeAttribute, escapeText, parseTreeAsync, type XmlElement } from './element';

const ROOT = 'pretty-root';

/** The element's start tag without its closing `>`: its namespace declarations, then its attributes. */
function openTag(el: XmlElement, parentScope: Record<string, string>): string {
  const declarations = Object.entries(el.scope)
    .filter(([prefix, uri]) => parentScope[prefix] !== uri)
    .map(([prefix, uri]) => ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${escapeAttribute(uri)}"`);
  const attributes = Object.entries(el.attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`);
  return `<${el.name}${declarations.join('')}${attributes.join('')}`;
}

function render(
  el: XmlElement,
  parentScope: Record<string, string>,
  indent: string,
  step: string,
  out: string[],
): void {
  const open = openTag(el, parentScope);
  if (el.children.length === 0) {
    out.push(el.text === '' ? `${indent}${open}/>` : `${indent}${open}>${escapeText(el.text)}</${el.name}>`);
    return;
  }
  out.push(`${indent}${open}>`);
  // Mixed content (rare in NETCONF data): the element's own text first, on a line of its own.
  if (el.text.trim() !== '') out.push(indent + step + escapeText(el.text.trim()));
  for (const child of el.children) render(child, el.scope, indent + step, step, out);
  out.push(`${indent}</${el.name}>`);
}

/** `xml` indented by `step` (two spaces); rejects XML that is not well-formed. Several top-level elements are fine. */
export async function prettyXml(xml: string, step = '  '): Promise<string> {
  const root = await parseTreeAsync(`<${ROOT}>${xml.replace(/^\s*<\?xml[^>]*\?>/, '')}</${ROOT}>`);
  const out: string[] = [];
  if (root.text.trim() !== '') out.push(escapeText(root.text.trim()));
  for (const child of root.children) render(child, root.scope, '', step, out);
  return `${out.join('\n')}\n`;
}
