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
import type { SaxesTagNS, SaxesAttributeNS } from 'saxes';
import { NetconfProtocolError } from '../errors';
import { BoundedParser, DEFAULT_MAX_DEPTH } from './parser';

export { DEFAULT_MAX_DEPTH };

export type Tag = SaxesTagNS;
export type Attribute = SaxesAttributeNS;

/** Text to parse: a string, or anything that hands out slices of one (a large message's pieces). */
export interface TextSource {
  readonly length: number;
  slice(from: number, to: number): string;
  toString(): string;
}

export interface SaxHandlers {
  /** `start` is the index of the tag's `<` in the text. */
  openTag(tag: Tag, start: number): void;
  /** `end` is the index just past the tag's closing `>`. */
  closeTag(tag: Tag, end: number): void;
  text(text: string): void;
}

/**
 * Thrown by a handler to stop parsing early; SaxSession turns it into a normal return. It is
 * thrown for every reply that has a <data>, and capturing a stack trace each time was measurable,
 * so one instance is made once and thrown every time (an Error's stack is captured when it is
 * constructed, not when it is thrown).
 */
export class StopParsing extends Error {}
const STOP = new StopParsing();
export function stopParsing(): never {
  throw STOP;
}

/**
 * Incremental parsing writes the text to the parser in pieces of this many characters and yields
 * to the event loop once SLICE_MS have passed since the last yield: the pieces are small enough
 * that a piece of heavy work (RFC 7951 conversion in the handlers) stays a few milliseconds, and
 * yielding by time rather than per piece keeps the cost of yielding low when the work is light.
 */
export const DEFAULT_SLICE_CHARS = 16 * 1024;
export const SLICE_MS = 12;

export interface SaxOptions {
  additionalNamespaces?: Record<string, string>;
  /** Accept several top-level elements (for checking user fragments). */
  fragment?: boolean;
  /**
   * Report the index of each start tag's `<` to openTag. Costs an extra saxes event per element,
   * which V8 makes markedly slower on big documents, so bulk data parses turn it off.
   */
  trackStart?: boolean;
  /** Elements nested deeper than this are refused (NetconfProtocolError); default DEFAULT_MAX_DEPTH. */
  maxDepth?: number;
}

export class SaxSession {
  private readonly parser: BoundedParser;
  private stopped = false;

  constructor(handlers: SaxHandlers, options: SaxOptions = {}) {
    this.parser = new BoundedParser({
      additionalNamespaces: options.additionalNamespaces,
      fragment: options.fragment ?? false,
      maxDepth: options.maxDepth,
    });
    const p = this.parser;
    let lastStart = -1;
    if (options.trackStart ?? true) {
      // A DOCTYPE can only come before the root element, and every message's envelope is parsed
      // from its first byte with trackStart on, so this is where DTDs are refused. Bulk parses
      // only ever see the text of an element cut out of an already checked message.
      p.on('doctype', () => {
        throw new NetconfProtocolError('refused XML with a DOCTYPE (DTDs and entity declarations are not allowed)');
      });
      p.on('opentagstart', (tag) => {
        // saxes has consumed `<`, the name and the character after it.
        lastStart = p.position - tag.name.length - 2;
      });
    }
    p.on('opentag', (tag) => {
      p.enter(tag);
      handlers.openTag(tag, lastStart);
    });
    p.on('closetag', (tag) => {
      p.leave(tag);
      handlers.closeTag(tag, p.position);
    });
    p.on('text', (text) => handlers.text(text));
    p.on('cdata', (text) => handlers.text(text));
  }

  /** Parses `text[from, to)`. Returns false when a handler stopped the parse. */
  write(text: TextSource, from = 0, to = text.length): boolean {
    if (this.stopped) return false;
    try {
      this.parser.write(typeof text === 'string' && from === 0 && to === text.length ? text : text.slice(from, to));
      return true;
    } catch (err) {
      return this.handleThrow(err);
    }
  }

  close(): void {
    if (this.stopped) return;
    try {
      this.parser.close();
    } catch (err) {
      this.handleThrow(err);
    }
  }

  /** saxes throws its well-formedness errors (no error handler is set); handlers may stop. */
  private handleThrow(err: unknown): false {
    if (err instanceof StopParsing) {
      this.stopped = true;
      return false;
    }
    if (err instanceof NetconfProtocolError) throw err;
    throw new NetconfProtocolError(`malformed XML: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

/** Checks that `text` is well-formed XML content (several top-level elements allowed). */
export function checkFragment(text: string): void {
  const ignore: SaxHandlers = { openTag: () => undefined, closeTag: () => undefined, text: () => undefined };
  const sax = new SaxSession(ignore, { fragment: true, trackStart: false });
  sax.write(text);
  sax.close();
}

/** Parses all of `text` synchronously. */
export function parseSync(text: string, handlers: SaxHandlers, options?: SaxOptions): void {
  const sax = new SaxSession(handlers, options);
  if (sax.write(text)) sax.close();
}

/**
 * Parses `text` in slices, yielding to the event loop between them so that a large reply never
 * freezes timers, other sessions or the rest of a Node-RED flow.
 */
export async function parseSliced(
  text: TextSource,
  handlers: SaxHandlers,
  options?: SaxOptions,
  sliceChars = DEFAULT_SLICE_CHARS,
  start = 0,
  end = text.length,
): Promise<void> {
  const sax = new SaxSession(handlers, options);
  let since = performance.now();
  for (let from = start; from < end; from += sliceChars) {
    if (!sax.write(text, from, Math.min(end, from + sliceChars))) return;
    if (from + sliceChars < end && performance.now() - since >= SLICE_MS) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
  sax.close();
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
