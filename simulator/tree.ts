/**
 * The simulator's own mutable data tree. The library's XmlElement is a read-only parse result
 * with source spans; a datastore needs nodes it can insert, replace and delete in place, and
 * nothing more than namespace, local name, children and leaf text.
 */
import { escapeAttribute, escapeText, type XmlElement } from '../src/xml/element';
import { NS_WITH_DEFAULTS } from '../src/namespaces';

export interface DataNode {
  ns: string;
  local: string;
  children: DataNode[];
  /** Leaf value (as written, untrimmed); '' for containers. */
  text: string;
  /**
   * Prefix bindings a leaf value needs (identityref values such as `ianaift:ethernetCsmacd`):
   * the prefix is meaningless once the value leaves the document it was written in.
   */
  valueNs?: Record<string, string>;
  /** Set on defaults added for with-defaults report-all-tagged (serialised as wd:default). */
  defaultTag?: boolean;
}

export function node(ns: string, local: string, children: DataNode[] = [], text = ''): DataNode {
  return { ns, local, children, text };
}

export function leaf(ns: string, local: string, text: string): DataNode {
  return { ns, local, children: [], text };
}

export function isLeaf(n: DataNode): boolean {
  return n.children.length === 0;
}

export function sameName(a: { ns: string; local: string }, b: { ns: string; local: string }): boolean {
  return a.local === b.local && a.ns === b.ns;
}

export function cloneNode(n: DataNode): DataNode {
  const copy: DataNode = { ns: n.ns, local: n.local, children: n.children.map(cloneNode), text: n.text };
  if (n.valueNs) copy.valueNs = n.valueNs;
  if (n.defaultTag) copy.defaultTag = true;
  return copy;
}

/** The trimmed value, which is what key and content-match comparisons use. */
export function value(n: { text: string }): string {
  return n.text.trim();
}

export function childNode(parent: DataNode, local: string, ns: string): DataNode | undefined {
  return parent.children.find((c) => c.local === local && c.ns === ns);
}

/** Converts parsed XML into data nodes, dropping attributes (edit-config reads those itself). */
export function fromElement(el: XmlElement): DataNode {
  const out: DataNode = { ns: el.ns, local: el.local, children: el.children.map(fromElement), text: '' };
  if (el.children.length === 0) {
    out.text = el.text;
    const prefix = /^\s*([A-Za-z_][\w.-]*):[^:]*$/.exec(el.text)?.[1];
    if (prefix && el.scope[prefix]) out.valueNs = { [prefix]: el.scope[prefix] };
  }
  return out;
}

/**
 * Serialises nodes, declaring the default namespace wherever it changes. `parentNs` is the
 * namespace in scope around the output; pass '' to make every top-level node declare its own.
 */
export function serialize(nodes: DataNode[], parentNs: string, out: string[] = []): string[] {
  for (const n of nodes) serializeNode(n, parentNs, out);
  return out;
}

function serializeNode(n: DataNode, parentNs: string, out: string[]): void {
  let open = `<${n.local}`;
  if (n.ns !== parentNs) open += ` xmlns="${escapeAttribute(n.ns)}"`;
  if (n.valueNs) {
    for (const [p, uri] of Object.entries(n.valueNs)) open += ` xmlns:${p}="${escapeAttribute(uri)}"`;
  }
  if (n.defaultTag) open += ` xmlns:wd="${NS_WITH_DEFAULTS}" wd:default="true"`;
  if (n.children.length === 0) {
    out.push(n.text === '' ? `${open}/>` : `${open}>${escapeText(n.text)}</${n.local}>`);
    return;
  }
  out.push(`${open}>`);
  for (const c of n.children) serializeNode(c, n.ns, out);
  out.push(`</${n.local}>`);
}

export function toXml(nodes: DataNode[], parentNs = ''): string {
  return serialize(nodes, parentNs).join('');
}
