/**
 * Canonical form of XML for comparisons across clients, built with the library's own parser
 * (parseTree): every element as `{namespace}local`, its non-namespace-declaration attributes as
 * `{namespace}local=value` (sorted: attribute order carries no meaning), its children in
 * document order (never sorted: list order can matter), and its text with whitespace-only text
 * dropped and other text trimmed. Prefixes, declarations, pretty-printing and the XML declaration
 * disappear; what is left is what a NETCONF peer may rely on.
 */
import { parseTree, type XmlElement } from '../../../src/xml/element';

export interface CanonOptions {
  /** Attributes to leave out, as `{ns}local` or plain `local` (e.g. netconfd's `last-modified`). */
  dropAttributes?: string[];
}

export function canonicalise(xml: string, options: CanonOptions = {}): string {
  const root = parseTree(xml.replace(/^\s*<\?xml[^>]*\?>/, ''));
  const lines: string[] = [];
  walk(root, 0, lines, new Set(options.dropAttributes ?? []));
  return lines.join('\n');
}

function qname(ns: string, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}

function walk(e: XmlElement, depth: number, out: string[], drop: Set<string>): void {
  const attrs = e.attributeList
    .filter((a) => !drop.has(qname(a.ns, a.local)))
    .map((a) => `${qname(a.ns, a.local)}=${JSON.stringify(a.value)}`)
    .sort();
  const text = e.text.trim();
  // Mixed content is not NETCONF data; text of an element with children is kept all the same.
  out.push(
    `${'  '.repeat(depth)}${qname(e.ns, e.local)}${attrs.length ? ` [${attrs.join(' ')}]` : ''}${text ? ` = ${JSON.stringify(text)}` : ''}`,
  );
  for (const c of e.children) walk(c, depth + 1, out, drop);
}

/** Canonical form of the children of the root (e.g. the content of `<data>`), one block per child. */
export function canonicalChildren(xml: string, options: CanonOptions = {}): string {
  const root = parseTree(xml.replace(/^\s*<\?xml[^>]*\?>/, ''));
  const lines: string[] = [];
  for (const c of root.children) walk(c, 0, lines, new Set(options.dropAttributes ?? []));
  return lines.join('\n');
}
