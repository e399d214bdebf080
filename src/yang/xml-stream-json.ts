/**
 * XML text -> RFC 7951 JSON straight from SAX events, without building the element tree of the
 * whole document first (the tree of a 100 MB reply is several times its size, and building it
 * then converting it held the event loop for seconds).
 *
 * The rules are xml-to-json.ts's Converter, driven differently: containers and list entries the
 * schema knows are streamed (their JSON object is created when the start tag arrives, and their
 * children are converted into it as they close), while everything else (leaves, leaf-lists,
 * anydata, anyxml and subtrees the schema does not describe) is built as a small element tree
 * and handed to the Converter when its end tag arrives. Converting sibling elements one at a
 * time into the same object is what Converter.members does in its loop (Converter.member), so the result is the
 * same as converting the whole tree (the tests compare both on every RFC 7951 fixture).
 *
 * The work is done inside the parser's callbacks, so parsing the text in slices that yield to the
 * event loop (parseSliced) makes the whole conversion non-blocking.
 */
import { makeElement, type XmlElement } from '../xml/element';
import { parseSliced, parseSync, type SaxHandlers, type SaxOptions, type Tag, type TextSource } from '../xml/sax';
import type { ConversionResult, JsonObject, JsonValue } from './json';
import type { SchemaNode } from './model';
import type { YangSchemaSet } from './schema';
import { arrayMember, Converter, type XmlToJsonOptions } from './xml-to-json';

export interface StreamJsonOptions extends XmlToJsonOptions {
  /** Where the container element (`<data>`, `<notification>`, `<rpc-reply>`) stands in the text. */
  start?: number;
  end?: number;
  /** Namespace bindings inherited by the container element (prefix -> URI, '' = default). */
  scope?: Record<string, string>;
  /** Children of the container to leave out (eventTime, rpc-error, ok). */
  skip?: (tag: Tag) => boolean;
  /** Elements nested deeper are refused (NetconfProtocolError); default DEFAULT_MAX_DEPTH. */
  maxDepth?: number;
  /** Told of each list entry outside any other list as it closes (src/diff/xml-pair.ts). */
  watch?: EntryWatcher;
}

/** A list entry that is not inside another list entry, as converted. */
export interface StreamEntry {
  node: SchemaNode;
  /** The element's name as written (`if:interface`). */
  tagName: string;
  /** The frame the entry belongs to: its schema node and its namespace scope. */
  parentNode: SchemaNode | undefined;
  scope: Record<string, string>;
  value: JsonObject;
  /** The list's array in the parent's JSON object, and the entry's position in it. */
  list: JsonValue[];
  index: number;
}

export interface EntryWatcher {
  /**
   * `end`: where the entry's end tag ends, counted from the start of the parse; `adjacent`:
   * nothing but text came between the last entry watched and this one.
   */
  entryClosed(entry: StreamEntry, end: number, adjacent: boolean): void;
}

/** A streamed element: a container, list entry, rpc, notification, input or output. */
interface StreamFrame {
  node: SchemaNode | undefined;
  module: string | undefined;
  path: string;
  out: JsonObject;
  scope: Record<string, string>;
  /** Inside a list entry (this frame or an ancestor is one). */
  inList: boolean;
  /** The builder's count of closed elements when this one opened. */
  closesAtOpen: number;
  /** A list entry's array in its parent's object and its position there (the watcher's). */
  list?: JsonValue[];
  index?: number;
}

/** Kinds converted as a whole element (their value needs all of their content). */
const UNIT_KINDS = new Set(['leaf', 'leaf-list', 'anydata', 'anyxml']);

/** The RFC 7951 member name of `node` inside an element of module `parentModule`. */
function memberName(node: SchemaNode, parentModule: string | undefined): string {
  return node.module === parentModule ? node.name : `${node.module}:${node.name}`;
}

/** True when the tag has no attribute at all (namespace declarations included). */
function bare(tag: Tag): boolean {
  for (const _name in tag.attributes) return false;
  return true;
}

export class JsonStreamBuilder implements SaxHandlers {
  readonly converter: Converter;
  readonly value: JsonObject = {};
  private readonly frames: StreamFrame[] = [];
  /** The element subtree being built (a unit), innermost last. */
  private readonly unit: XmlElement[] = [];
  /** The schema node of the unit's outermost element (found when it opened). */
  private unitNode: SchemaNode | undefined;
  /** Depth inside a skipped child of the container (0 = not skipping). */
  private skipping = 0;
  /**
   * A leaf or leaf-list entry without attributes, collected as text alone (no element built):
   * the bulk of any configuration. Its tag is kept in case a child element opens inside it
   * (invalid, but converted as the tree converter does: the element path takes over).
   */
  private leafTag: Tag | undefined;
  private leafText = '';
  /** Elements closed so far outside units, and that count when the last watched entry closed. */
  private closes = 0;
  private lastEntryCloses = -1;
  /** Where the last end tag ended (parse position): the parser is between tags there. */
  lastCloseEnd = -1;
  private readonly parent: SchemaNode | undefined;

  constructor(
    schema: YangSchemaSet,
    private readonly options: StreamJsonOptions,
  ) {
    this.converter = new Converter(schema, options.moduleNames);
    const p = options.parent;
    // Given an rpc or action, the elements are its reply: convert against its output.
    this.parent =
      p && (p.kind === 'rpc' || p.kind === 'action') ? (p.children.find((c) => c.kind === 'output') ?? p) : p;
  }

  openTag(tag: Tag): void {
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    if (this.leafTag) this.leafToUnit();
    const units = this.unit;
    if (units.length > 0) {
      const parent = units[units.length - 1];
      const element = makeElement(tag, -1, parent.scope);
      parent.children.push(element);
      units.push(element);
      return;
    }
    const frames = this.frames;
    if (frames.length === 0) {
      this.openContainer(tag);
      return;
    }
    const top = frames[frames.length - 1];
    if (frames.length === 1 && this.options.skip?.(tag)) {
      this.skipping = 1;
      return;
    }
    const node = this.converter.schemaChild(top.node, { ns: tag.uri, local: tag.local });
    const plain = bare(tag);
    if (plain && node && (node.kind === 'leaf' || node.kind === 'leaf-list')) {
      this.leafTag = tag;
      this.leafText = '';
      this.unitNode = node;
      return;
    }
    // A bare tag's element would have its parent's scope and no metadata: none is built.
    const element = plain ? undefined : makeElement(tag, -1, top.scope);
    if (!node || UNIT_KINDS.has(node.kind)) {
      units.push(element ?? makeElement(tag, -1, top.scope));
      this.unitNode = node;
      return;
    }
    const member = memberName(node, top.module);
    const obj: JsonObject = {};
    const meta = element && this.converter.metadata(element);
    if (meta) obj['@'] = meta;
    const list = node.kind === 'list' ? arrayMember(top.out, member) : undefined;
    if (list) list.push(obj);
    else top.out[member] = obj;
    const scope = element?.scope ?? top.scope;
    frames.push({
      node,
      module: node.module,
      path: node.path,
      out: obj,
      scope,
      inList: top.inList || node.kind === 'list',
      closesAtOpen: this.closes,
      list,
      index: list && list.length - 1,
    });
  }

  /** The container element (`<data>`...): its children are the converted members. */
  private openContainer(tag: Tag): void {
    const p = this.parent;
    const scope = makeElement(tag, -1, this.options.scope ?? {}).scope;
    const frame = { node: p, module: p?.module, path: p?.path ?? '', out: this.value, scope };
    // Every frame has the same members (one object shape for the hot property reads).
    this.frames.push({ ...frame, inList: false, closesAtOpen: 0, list: undefined, index: undefined });
  }

  /** A child opened inside a text-only leaf: from here on it is an element like any unit. */
  private leafToUnit(): void {
    const tag = this.leafTag as Tag;
    const element = makeElement(tag, -1, this.frames[this.frames.length - 1].scope);
    element.text = this.leafText;
    this.leafTag = undefined;
    this.unit.push(element);
  }

  closeTag(tag: Tag, end: number): void {
    this.lastCloseEnd = end;
    if (this.skipping > 0) {
      this.skipping--;
      return;
    }
    if (this.leafTag) {
      this.closes++;
      this.leafTag = undefined;
      const top = this.frames[this.frames.length - 1];
      this.converter.leafMember(this.unitNode as SchemaNode, this.leafText, top.scope, top.module, top.out);
      return;
    }
    const units = this.unit;
    if (units.length > 0) {
      const element = units.pop() as XmlElement;
      if (units.length > 0) return;
      this.closes++;
      const top = this.frames[this.frames.length - 1];
      this.converter.member(element, this.unitNode, top.module, top.path, top.out);
      return;
    }
    const frame = this.frames.pop() as StreamFrame;
    const adjacent = frame.closesAtOpen === this.lastEntryCloses;
    this.closes++;
    const watch = this.options.watch;
    const parent = this.frames[this.frames.length - 1] as StreamFrame | undefined;
    if (watch && parent && !parent.inList && frame.list && frame.node) {
      const { node, out: value, list, index = -1 } = frame;
      const { scope, node: parentNode } = parent;
      watch.entryClosed({ node, tagName: tag.name, parentNode, scope, value, list, index }, end, adjacent);
      this.lastEntryCloses = this.closes;
    }
  }

  /**
   * Between two children of a streamed element (no leaf, unit or skipped child open): that
   * element's schema node and scope; undefined otherwise.
   */
  boundary(): { readonly node: SchemaNode | undefined; readonly scope: Record<string, string> } | undefined {
    if (this.leafTag || this.unit.length > 0 || this.skipping > 0 || this.frames.length === 0) return undefined;
    // The frame itself (no object made: this is asked before every entry of a paired parse).
    return this.frames[this.frames.length - 1];
  }

  /**
   * Adds an entry of list `node` to the innermost streamed element, as if it had been parsed;
   * returns the list's array (the entry is its last).
   */
  appendEntry(node: SchemaNode, value: JsonObject): JsonValue[] {
    const top = this.frames[this.frames.length - 1];
    const list = arrayMember(top.out, memberName(node, top.module));
    list.push(value);
    return list;
  }

  text(text: string): void {
    if (this.leafTag) {
      this.leafText += text;
      return;
    }
    const units = this.unit;
    // Text of streamed elements is pretty-printing (the tree converter ignores it too).
    if (units.length > 0) units[units.length - 1].text += text;
  }
}

export function saxOptions(options: StreamJsonOptions): SaxOptions {
  const additionalNamespaces: Record<string, string> = {};
  for (const [prefix, uri] of Object.entries(options.scope ?? {}))
    if (prefix !== 'xml') additionalNamespaces[prefix] = uri;
  // The text is an already checked message (its envelope was parsed from the first byte).
  return { additionalNamespaces, trackStart: false, maxDepth: options.maxDepth };
}

/**
 * Converts the children of the element at `[start, end)` of `text` to RFC 7951 JSON, parsing in
 * slices that yield to the event loop.
 */
export async function streamXmlToJson(
  schema: YangSchemaSet,
  text: TextSource,
  options: StreamJsonOptions = {},
): Promise<ConversionResult<JsonObject>> {
  const builder = new JsonStreamBuilder(schema, options);
  await parseSliced(text, builder, saxOptions(options), undefined, options.start, options.end);
  return { value: builder.value, warnings: builder.converter.warnings };
}

/** The same conversion in one go (small texts). */
export function streamXmlToJsonSync(
  schema: YangSchemaSet,
  text: string,
  options: StreamJsonOptions = {},
): ConversionResult<JsonObject> {
  const builder = new JsonStreamBuilder(schema, options);
  const from = options.start ?? 0;
  const to = options.end ?? text.length;
  parseSync(from === 0 && to === text.length ? text : text.slice(from, to), builder, saxOptions(options));
  return { value: builder.value, warnings: builder.converter.warnings };
}
