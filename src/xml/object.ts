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
import { parseSliced, parseSync, type SaxHandlers, type Tag } from './sax';

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

interface Frame {
  ns: string;
  key: string;
  obj: XmlObject;
  text: string;
  hasChildren: boolean;
  hasAttributes: boolean;
}

/**
 * Builds plain objects from SAX events. With `skipRoot`, the root element itself is not
 * represented: the result is the object of its children (what `DataReply.data` wants).
 */
class ObjectBuilder implements SaxHandlers {
  private readonly stack: Frame[] = [];
  result: XmlObject = {};

  constructor(private readonly skipRoot: boolean) {
    this.stack.push({ ns: '', key: '', obj: this.result, text: '', hasChildren: false, hasAttributes: false });
  }

  openTag(tag: Tag): void {
    const parent = this.stack[this.stack.length - 1];
    parent.hasChildren = true;
    const obj: XmlObject = {};
    let hasAttributes = false;
    // The skipped root's namespace becomes the reference for "differs from its parent".
    const isSkippedRoot = this.skipRoot && this.stack.length === 1;
    if (!isSkippedRoot && tag.uri !== parent.ns) {
      obj['@xmlns'] = tag.uri;
      hasAttributes = true;
    }
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
      obj[`@${attr.name}`] = attr.value;
      hasAttributes = true;
    }
    this.stack.push({ ns: tag.uri, key: tag.local, obj, text: '', hasChildren: false, hasAttributes });
  }

  closeTag(): void {
    const frame = this.stack.pop();
    if (!frame) return;
    const parent = this.stack[this.stack.length - 1];
    if (this.skipRoot && this.stack.length === 1) {
      // Closing the skipped root: its children are the result.
      this.result = frame.obj;
      if (!frame.hasChildren && frame.text.trim()) this.result['#text'] = frame.text;
      return;
    }
    // Whitespace with a line break and nothing else is pretty-printing (`<nacm>\n  </nacm>`).
    const text = isFormatting(frame.text) ? '' : frame.text;
    let value: XmlValue;
    if (!frame.hasChildren && !frame.hasAttributes) value = text;
    else {
      if (frame.hasChildren ? text.trim() !== '' : text !== '') frame.obj['#text'] = text;
      value = frame.obj;
    }
    const existing = parent.obj[frame.key];
    if (existing === undefined) parent.obj[frame.key] = value;
    // A value only becomes an array here, on its second occurrence.
    else if (Array.isArray(existing)) existing.push(value);
    else parent.obj[frame.key] = [existing, value];
  }

  text(text: string): void {
    this.stack[this.stack.length - 1].text += text;
  }
}

function isFormatting(text: string): boolean {
  return text.includes('\n') && text.trim() === '';
}

/** XML text -> plain object `{ rootLocalName: ... }`. */
export function xmlToObject(xml: string): XmlObject {
  const builder = new ObjectBuilder(false);
  parseSync(xml, builder);
  return builder.result;
}

/** The children of the root element as a plain object (the root itself is dropped). */
export function xmlChildrenToObject(xml: string): XmlObject {
  const builder = new ObjectBuilder(true);
  parseSync(xml, builder);
  return builder.result;
}

/** Like xmlChildrenToObject, yielding to the event loop between slices of a large document. */
export async function xmlChildrenToObjectAsync(xml: string): Promise<XmlObject> {
  const builder = new ObjectBuilder(true);
  await parseSliced(xml, builder);
  return builder.result;
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
