/**
 * XML <-> plain JS object, the convention documented in the README ("The JS object convention"):
 *
 * - an element becomes a property named by its local name (prefixes are dropped);
 * - an element that occurs more than once under the same parent becomes an array, in order;
 * - a leaf (no child elements, no attributes, same namespace as its parent) is its text, as
 *   written; an empty leaf is '';
 * - `@xmlns` holds the element's namespace URI where it differs from its parent's (so every
 *   top-level element of a reply carries its module's namespace);
 * - attributes are `@name` with the name as written (`@wd:default`);
 * - text beside child elements or attributes is `#text`; whitespace-only text that holds a line
 *   break is pretty-printing and is dropped (an empty container stays an empty value).
 *
 * Building XML from such an object uses the same convention (fast-xml-parser's XMLBuilder).
 */
import { XMLBuilder } from 'fast-xml-parser';
import { parseSliced, parseSync, type SaxHandlers, type SaxOptions, type Tag, type TextSource } from './sax';

/** Objects are built from already-checked text (see SaxOptions.trackStart), without start indexes. */
const BULK = { trackStart: false } as const;

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

interface Frame {
  ns: string;
  key: string;
  /** Created on the first attribute or child: most elements are leaves and never need one. */
  obj: XmlObject | undefined;
  text: string;
  hasChildren: boolean;
}

/**
 * Builds plain objects from SAX events. With `skipRoot`, the root element itself is not
 * represented: the result is the object of its children (what `DataReply.data` wants).
 * Frames are reused per depth, so a million-element reply allocates only what it returns.
 */
class ObjectBuilder implements SaxHandlers {
  private readonly frames: Frame[] = [];
  private depth = 0;
  result: XmlObject = {};

  constructor(private readonly skipRoot: boolean) {
    this.frames.push({ ns: '', key: '', obj: this.result, text: '', hasChildren: false });
  }

  openTag(tag: Tag): void {
    const parent = this.frames[this.depth];
    if (!parent.hasChildren && isBlank(parent.text)) parent.text = '';
    parent.hasChildren = true;
    if (parent.obj === undefined) parent.obj = {};
    let obj: XmlObject | undefined;
    // The skipped root's namespace becomes the reference for "differs from its parent".
    const isSkippedRoot = this.skipRoot && this.depth === 0;
    if (!isSkippedRoot && tag.uri !== parent.ns) obj = { '@xmlns': tag.uri };
    const attributes = tag.attributes;
    for (const name in attributes) {
      const attr = attributes[name];
      if (attr.prefix === 'xmlns' || name === 'xmlns') continue;
      if (obj === undefined) obj = {};
      obj[`@${name}`] = attr.value;
    }
    const depth = ++this.depth;
    let frame = this.frames[depth];
    if (frame === undefined) {
      frame = { ns: '', key: '', obj: undefined, text: '', hasChildren: false };
      this.frames.push(frame);
    }
    frame.ns = tag.uri;
    frame.key = tag.local;
    frame.obj = obj;
    frame.text = '';
    frame.hasChildren = false;
  }

  closeTag(): void {
    if (this.depth === 0) return;
    const frame = this.frames[this.depth--];
    const parent = this.frames[this.depth];
    if (this.skipRoot && this.depth === 0) {
      // Closing the skipped root: its children are the result.
      this.result = frame.obj ?? {};
      if (!frame.hasChildren && frame.text.trim()) this.result['#text'] = frame.text;
      return;
    }
    // Whitespace with a line break and nothing else is pretty-printing (`<nacm>\n  </nacm>`).
    const text = isFormatting(frame.text) ? '' : frame.text;
    let value: XmlValue;
    if (frame.obj === undefined) value = text;
    else {
      if (frame.hasChildren ? text.trim() !== '' : text !== '') frame.obj['#text'] = text;
      value = frame.obj;
    }
    const siblings = parent.obj as XmlObject;
    const existing = siblings[frame.key];
    if (existing === undefined) siblings[frame.key] = value;
    // A value only becomes an array here, on its second occurrence.
    else if (Array.isArray(existing)) existing.push(value);
    else siblings[frame.key] = [existing, value];
  }

  text(text: string): void {
    const frame = this.frames[this.depth];
    // Between child elements only real text is kept: the line breaks and indentation of a
    // pretty-printed list of 500k entries would otherwise build one 500k-character string.
    if (frame.hasChildren && isBlank(text)) return;
    frame.text += text;
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function isFormatting(text: string): boolean {
  return text.includes('\n') && text.trim() === '';
}

/** Bounds on building objects. */
export interface ObjectOptions {
  /** Elements nested deeper are refused (NetconfProtocolError); default DEFAULT_MAX_DEPTH (512). */
  maxDepth?: number;
}

/** XML text -> plain object `{ rootLocalName: ... }`. */
export function xmlToObject(xml: string, options: ObjectOptions = {}): XmlObject {
  const builder = new ObjectBuilder(false);
  parseSync(xml, builder, { ...BULK, maxDepth: options.maxDepth });
  return builder.result;
}

/** Like xmlToObject, yielding to the event loop between slices of a large document. */
export async function xmlToObjectAsync(xml: TextSource, options: ObjectOptions = {}): Promise<XmlObject> {
  const builder = new ObjectBuilder(false);
  await parseSliced(xml, builder, { ...BULK, maxDepth: options.maxDepth });
  return builder.result;
}

/** An element inside a larger text: its span and the namespace bindings it inherits. */
export interface ElementRange {
  start: number;
  end: number;
  scope: Record<string, string>;
}

/**
 * The children of the root element (or of the element at `range` within `xml`) as a plain
 * object; the element itself is dropped.
 */
export function xmlChildrenToObject(xml: TextSource, range?: ElementRange, options: ObjectOptions = {}): XmlObject {
  const builder = new ObjectBuilder(true);
  const text = range ? xml.slice(range.start, range.end) : xml.slice(0, xml.length);
  parseSync(text, builder, bulkOptions(range, options));
  return builder.result;
}

/** Like xmlChildrenToObject, yielding to the event loop between slices of a large document. */
export async function xmlChildrenToObjectAsync(
  xml: TextSource,
  range?: ElementRange,
  options: ObjectOptions = {},
): Promise<XmlObject> {
  const builder = new ObjectBuilder(true);
  await parseSliced(xml, builder, bulkOptions(range, options), undefined, range?.start, range?.end);
  return builder.result;
}

function bulkOptions(range: ElementRange | undefined, options: ObjectOptions): SaxOptions {
  if (!range) return { ...BULK, maxDepth: options.maxDepth };
  const additionalNamespaces: Record<string, string> = {};
  for (const [prefix, uri] of Object.entries(range.scope))
    if (prefix !== '' && prefix !== 'xml') additionalNamespaces[prefix] = uri;
  return { ...BULK, additionalNamespaces, maxDepth: options.maxDepth };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  suppressEmptyNode: true,
  processEntities: true,
});

/** Plain object (same convention) -> XML text. */
export function objectToXml(value: XmlObject): string {
  return String(builder.build(value));
}
