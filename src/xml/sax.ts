/**
 * The one XML parse path of the library: saxes (a strict, namespace-aware SAX parser) fed with
 * the decoded text of a message, whole or in slices. Everything that reads XML - the element tree,
 * the plain JS object, the reply head scan - is a consumer of these events.
 *
 * saxes was chosen by measurement: it emits events at about 45 MB/s on structured XML here, where
 * fast-xml-parser builds objects at 4-6.5 MB/s. It is strict (no "recover" mode) and reports a
 * DOCTYPE as an event, which we refuse: NETCONF never needs one, and a DTD is how entity expansion
 * attacks get in. Without a DTD only the five predefined entities and character references exist.
 */
import { SaxesParser, type SaxesTagNS, type SaxesAttributeNS } from 'saxes';
import { NetconfProtocolError } from '../errors';

export type Tag = SaxesTagNS;
export type Attribute = SaxesAttributeNS;

export interface SaxHandlers {
  /** `start` is the index of the tag's `<` in the text. */
  openTag(tag: Tag, start: number): void;
  /** `end` is the index just past the tag's closing `>`. */
  closeTag(tag: Tag, end: number): void;
  text(text: string): void;
}

/** Thrown by a handler to stop parsing early; `feed` turns it into a normal return. */
export class StopParsing extends Error {}

/** Slice size for incremental parsing: about 20 ms of saxes work here. */
export const DEFAULT_SLICE_CHARS = 1 << 20;

export class SaxSession {
  private readonly parser: SaxesParser<{ xmlns: true; position: true }>;
  private stopped = false;

  constructor(handlers: SaxHandlers, additionalNamespaces?: Record<string, string>, fragment = false) {
    this.parser = new SaxesParser({ xmlns: true, position: true, additionalNamespaces, fragment });
    const p = this.parser;
    let lastStart = 0;
    p.on('doctype', () => {
      throw new NetconfProtocolError('refused XML with a DOCTYPE (DTDs and entity declarations are not allowed)');
    });
    p.on('opentagstart', (tag) => {
      // saxes has consumed `<`, the name and the character after it.
      lastStart = p.position - tag.name.length - 2;
    });
    p.on('opentag', (tag) => handlers.openTag(tag, lastStart));
    p.on('closetag', (tag) => handlers.closeTag(tag, p.position));
    p.on('text', (text) => handlers.text(text));
    p.on('cdata', (text) => handlers.text(text));
    p.on('error', (err) => {
      throw err instanceof NetconfProtocolError ? err : new NetconfProtocolError(`malformed XML: ${err.message}`);
    });
  }

  /** Parses `text[from, to)`. Returns false when a handler stopped the parse. */
  write(text: string, from = 0, to = text.length): boolean {
    if (this.stopped) return false;
    try {
      this.parser.write(from === 0 && to === text.length ? text : text.slice(from, to));
      return true;
    } catch (err) {
      if (err instanceof StopParsing) {
        this.stopped = true;
        return false;
      }
      throw err;
    }
  }

  close(): void {
    if (!this.stopped) this.parser.close();
  }
}

/** Checks that `text` is well-formed XML content (several top-level elements allowed). */
export function checkFragment(text: string): void {
  const ignore: SaxHandlers = { openTag: () => undefined, closeTag: () => undefined, text: () => undefined };
  const sax = new SaxSession(ignore, undefined, true);
  sax.write(text);
  sax.close();
}

/** Parses all of `text` synchronously. */
export function parseSync(text: string, handlers: SaxHandlers, additionalNamespaces?: Record<string, string>): void {
  const sax = new SaxSession(handlers, additionalNamespaces);
  if (sax.write(text)) sax.close();
}

/**
 * Parses `text` in slices, yielding to the event loop between them so that a large reply never
 * freezes timers, other sessions or the rest of a Node-RED flow.
 */
export async function parseSliced(
  text: string,
  handlers: SaxHandlers,
  sliceChars = DEFAULT_SLICE_CHARS,
  additionalNamespaces?: Record<string, string>,
): Promise<void> {
  const sax = new SaxSession(handlers, additionalNamespaces);
  for (let from = 0; from < text.length; from += sliceChars) {
    if (!sax.write(text, from, Math.min(text.length, from + sliceChars))) return;
    if (from + sliceChars < text.length) await yieldToEventLoop();
  }
  sax.close();
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
