/**
 * A small namespace-resolved element tree, for the messages the library itself has to read
 * (hello, rpc-reply envelopes, rpc-error, notifications). Elements are matched by namespace URI
 * and local name, never by prefix: `nc:rpc-reply` and a default-namespaced `rpc-reply` are the
 * same element. Each element remembers where it stands in the source text, so a subtree can be
 * handed to the user exactly as the server wrote it.
 */
import { parseSliced, parseSync, stopParsing, type SaxHandlers, type Tag, type TextSource } from './sax';

export interface XmlElement {
  /** Qualified name as written (`nc:data`). */
  name: string;
  local: string;
  /** Namespace URI, '' when none. */
  ns: string;
  /** Attribute values by qualified name as written (namespace declarations excluded). */
  attributes: Record<string, string>;
  /** Attributes with their namespace: `{ ns, local, value }`. */
  attributeList: { ns: string; local: string; name: string; value: string }[];
  /** Every namespace binding in scope at this element (prefix -> URI, '' = default). */
  scope: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element (CDATA included), concatenated. */
  text: string;
  /** Source span: index of `<` and index just past the end tag. */
  start: number;
  end: number;
}

export interface TreeOptions {
  /** Called when an element opens at `depth` (root = 0); return true to stop the parse there. */
  stopAt?: (element: XmlElement, depth: number) => boolean;
  /** Elements nested deeper are refused (NetconfProtocolError); default DEFAULT_MAX_DEPTH (512). */
  maxDepth?: number;
}

class TreeBuilder implements SaxHandlers {
  root?: XmlElement;
  private readonly stack: XmlElement[] = [];

  constructor(private readonly options: TreeOptions = {}) {}

  openTag(tag: Tag, start: number): void {
    const parent = this.stack[this.stack.length - 1];
    const element = makeElement(tag, start, parent?.scope ?? {});
    if (parent) parent.children.push(element);
    else this.root = element;
    if (this.options.stopAt?.(element, this.stack.length)) stopParsing();
    this.stack.push(element);
  }

  closeTag(_tag: Tag, end: number): void {
    const element = this.stack.pop();
    if (element) element.end = end;
  }

  text(text: string): void {
    const current = this.stack[this.stack.length - 1];
    if (current) current.text += text;
  }
}

/** An element for `tag` (no children yet), its scope `parentScope` plus its own declarations. */
export function makeElement(tag: Tag, start: number, parentScope: Record<string, string>): XmlElement {
  // for-in rather than Object.keys/values: no arrays allocated for the (usual) empty case.
  const declared = tag.ns;
  let scope = parentScope;
  for (const _prefix in declared) {
    scope = { ...parentScope, ...declared };
    break;
  }
  const attributes: Record<string, string> = {};
  const attributeList: XmlElement['attributeList'] = [];
  const tagAttributes = tag.attributes;
  for (const key in tagAttributes) {
    const attr = tagAttributes[key];
    if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
    attributes[attr.name] = attr.value;
    attributeList.push({ ns: attr.uri, local: attr.local, name: attr.name, value: attr.value });
  }
  return {
    name: tag.name,
    local: tag.local,
    ns: tag.uri,
    attributes,
    attributeList,
    scope,
    children: [],
    text: '',
    start,
    end: -1,
  };
}

/** Parses a whole document synchronously into an element tree (for small messages). */
export function parseTree(text: string, options?: TreeOptions): XmlElement {
  const builder = new TreeBuilder(options);
  parseSync(text, builder, { maxDepth: options?.maxDepth });
  if (!builder.root) throw new Error('no root element');
  return builder.root;
}

/** Same as parseTree, but yields to the event loop between slices (for large messages). */
export async function parseTreeAsync(text: TextSource, options?: TreeOptions): Promise<XmlElement> {
  const builder = new TreeBuilder(options);
  await parseSliced(text, builder, { maxDepth: options?.maxDepth });
  if (!builder.root) throw new Error('no root element');
  return builder.root;
}

/** First child with this local name (and namespace, when given). */
export function childElement(parent: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return parent.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));
}

export function childElements(parent: XmlElement, local: string, ns?: string): XmlElement[] {
  return parent.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));
}

/** Trimmed text of a child, or undefined when the child is absent. */
export function childText(parent: XmlElement, local: string, ns?: string): string | undefined {
  const child = childElement(parent, local, ns);
  return child ? child.text.trim() : undefined;
}

/**
 * The element's source text, made standalone: namespace bindings that the element uses from its
 * ancestors are declared on its start tag, so the result parses on its own.
 */
export function elementSource(source: TextSource, element: XmlElement): string {
  const own = source.slice(element.start, element.end);
  return withInheritedNamespaces(own, element.name, element.scope);
}

/**
 * Inserts declarations for every binding in `scope` that the start tag of `xml` (an element
 * named `name`) does not declare itself. Used for subtrees cut out of a larger document.
 */
export function withInheritedNamespaces(xml: string, name: string, scope: Record<string, string>): string {
  const tagEnd = startTagEnd(xml);
  const startTag = xml.slice(0, tagEnd);
  const decls: string[] = [];
  for (const [prefix, uri] of Object.entries(scope)) {
    if (prefix === 'xml') continue;
    const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    if (!declares(startTag, attr)) decls.push(` ${attr}="${escapeAttribute(uri)}"`);
  }
  if (decls.length === 0) return xml;
  const insertAt = 1 + name.length;
  return xml.slice(0, insertAt) + decls.join('') + xml.slice(insertAt);
}

function declares(startTag: string, attr: string): boolean {
  const re = new RegExp(`\\s${attr.replace(':', '\\:')}\\s*=`);
  return re.test(startTag);
}

/** Index just past the `>` of the first start tag, skipping `>` inside quoted attribute values. */
function startTagEnd(xml: string): number {
  let quote = '';
  for (let i = 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return xml.length;
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}
