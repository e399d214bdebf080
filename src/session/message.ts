/**
 * Reading an incoming message just far enough to route it.
 *
 * A `<get-config>` reply can be hundreds of megabytes, and most callers want the XML text of its
 * `<data>`, not a parse of it. So the message is parsed only up to the start tag of a top-level
 * `<data>` element; the end of `<data>` is then found from the end of the text (the last end tag
 * before `</rpc-reply>`). Whatever is not a plain `<rpc-reply><data>...</data></rpc-reply>` is
 * parsed in full. The cost of routing a reply is therefore independent of the size of its data.
 */
import { NetconfProtocolError } from '../errors';
import { NS_BASE, NS_NMDA, NS_NOTIFICATION } from '../namespaces';
import { StringDecoder } from 'node:string_decoder';
import { parseTree, parseTreeAsync, withInheritedNamespaces, type XmlElement } from '../xml/element';
import type { TextSource } from '../xml/sax';
import { MessageText, wholeText } from './message-text';

/** Messages below this size are parsed in one go; larger ones in slices that yield. */
export const SYNC_PARSE_LIMIT = 1 << 20;

/** Where the top-level `<data>` element of a reply stands in the message text. */
export interface DataSpan {
  start: number;
  end: number;
  name: string;
  /** Namespace bindings in scope at `<data>` (its own included). */
  scope: Record<string, string>;
}

export interface IncomingMessage {
  /** The message text: a string, or a large message's decoded pieces (joined only on demand). */
  text: TextSource;
  root: XmlElement;
  /** For a reply with a top-level `<data>`: where it is. */
  data?: DataSpan;
  /** The nesting bound it was read with: later parses of the same text (data, objects) keep it. */
  maxDepth?: number;
}

/** The `<data>` element's text, made standalone (inherited namespace declarations added). */
export function dataText(message: IncomingMessage): string | undefined {
  const d = message.data;
  return d ? withInheritedNamespaces(message.text.slice(d.start, d.end), d.name, d.scope) : undefined;
}

function isDataElement(element: XmlElement, depth: number): boolean {
  return depth === 1 && element.local === 'data' && (element.ns === NS_BASE || element.ns === NS_NMDA);
}

/** Parses the envelope of a message; for data replies, stops at `<data>`. */
export async function readMessage(text: TextSource, options: { maxDepth?: number } = {}): Promise<IncomingMessage> {
  const { maxDepth } = options;
  let dataElement: XmlElement | undefined;
  const stopAt = (element: XmlElement, depth: number): boolean => {
    if (depth === 0 && !(element.local === 'rpc-reply' && element.ns === NS_BASE)) return false;
    if (!isDataElement(element, depth)) return false;
    dataElement = element;
    return true;
  };
  const root =
    text.length < SYNC_PARSE_LIMIT
      ? parseTree(wholeText(text), { stopAt, maxDepth })
      : await parseTreeAsync(text, { stopAt, maxDepth });
  if (!dataElement) return { text, root, maxDepth };

  const dataEnd = findDataEnd(text, root, dataElement);
  if (dataEnd < 0) {
    // Something other than whitespace follows </data> (a comment, a warning): parse it all.
    const full =
      text.length < SYNC_PARSE_LIMIT
        ? parseTree(wholeText(text), { maxDepth })
        : await parseTreeAsync(text, { maxDepth });
    const data = full.children.find((c) => isDataElement(c, 1));
    return { text, root: full, data: data && span(data, data.end), maxDepth };
  }
  dataElement.end = dataEnd;
  return { text, root, data: span(dataElement, dataEnd), maxDepth };
}

function span(element: XmlElement, end: number): DataSpan {
  return { start: element.start, end, name: element.name, scope: element.scope };
}

/** `</data></rpc-reply>` and the white space around them must lie within this many final characters. */
const TAIL_CHARS = 64 * 1024;

/**
 * The index just past `</data>`, when the text ends with `</rpc-reply>` preceded only by white
 * space and `</data>`; -1 otherwise (the caller then parses everything). Only the tail of the
 * text is looked at.
 */
function findDataEnd(text: TextSource, root: XmlElement, data: XmlElement): number {
  const offset = Math.max(0, text.length - TAIL_CHARS);
  const tail = text.slice(offset, text.length);
  const rootClose = `</${root.name}`;
  let end = tail.length;
  while (end > 0 && isSpace(tail.charCodeAt(end - 1))) end--;
  if (tail.charCodeAt(end - 1) !== 0x3e /* > */) return -1;
  const rootCloseAt = tail.lastIndexOf(rootClose, end);
  if (rootCloseAt < 0 || !/^\s*>$/.test(tail.slice(rootCloseAt + rootClose.length, end))) return -1;
  let i = rootCloseAt;
  while (i > 0 && isSpace(tail.charCodeAt(i - 1))) i--;
  if (tail.charCodeAt(i - 1) !== 0x3e) return -1;
  // `</data>` must end right here (a self-closed `<data/>` takes the full-parse path).
  const dataClose = `</${data.name}`;
  const closeAt = tail.lastIndexOf(dataClose, i - 1);
  if (closeAt < 0 || closeAt + offset < data.start) return -1;
  if (!/^\s*>$/.test(tail.slice(closeAt + dataClose.length, i))) return -1;
  return i + offset;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export type MessageKind = 'rpc-reply' | 'notification' | 'hello' | 'other';

export function messageKind(root: XmlElement): MessageKind {
  if (root.ns === NS_BASE && root.local === 'rpc-reply') return 'rpc-reply';
  if (root.ns === NS_NOTIFICATION && root.local === 'notification') return 'notification';
  if (root.ns === NS_BASE && root.local === 'hello') return 'hello';
  return 'other';
}

/** Received bytes are decoded in batches of about this size (one copy and one decode call each). */
const DECODE_BATCH = 1024 * 1024;

/**
 * Decodes one message's UTF-8 bytes to text as they arrive, in ~1 MB batches: a large reply is
 * decoded while the rest of it is still on the wire, and is kept as those pieces (MessageText),
 * so neither a 100 MB copy nor a 100 MB decode ever holds the event loop. A StringDecoder
 * carries characters split between batches.
 */
export class MessageDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private readonly pieces: string[] = [];
  private batch: Buffer[] = [];
  private batchBytes = 0;

  write(parts: Buffer[]): void {
    for (const part of parts) {
      this.batch.push(part);
      this.batchBytes += part.length;
      if (this.batchBytes >= DECODE_BATCH) this.decodeBatch();
    }
  }

  private decodeBatch(): void {
    if (this.batchBytes === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0] : Buffer.concat(this.batch, this.batchBytes);
    this.pieces.push(this.decoder.write(bytes));
    this.batch = [];
    this.batchBytes = 0;
  }

  /** The whole text: a plain string when it fits one piece. */
  end(): TextSource {
    this.decodeBatch();
    const last = this.decoder.end();
    if (last) this.pieces.push(last);
    const text = this.pieces.length === 1 ? this.pieces[0] : new MessageText(this.pieces);
    checkEncoding(text.slice(0, 200));
    return text;
  }
}

/** RFC 6241 requires UTF-8; a message that declares another encoding is refused. */
export function checkEncoding(text: string): void {
  // Only the XML declaration at the very start matters.
  if (!text.startsWith('<?xml')) return;
  const declEnd = text.indexOf('?>');
  const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(text.slice(0, declEnd))?.[1];
  if (encoding && !/^utf-?8$/i.test(encoding)) {
    throw new NetconfProtocolError(`message declares encoding ${encoding}; NETCONF requires UTF-8`);
  }
}
