/**
 * The two XML configurations of one diff, converted as a pair: most list entries of the second
 * are the same text as in the first (a few hundred changes in 50,000 entries), so the second is
 * only parsed where it differs. The first is converted as usual while an EntryLog notes where
 * each list entry's text is and what it converted to; the second is fed to the parser piece by
 * piece, and wherever the text ahead is, character for character, an entry of the first in the
 * same place (same parent schema node and namespace bindings), that text is passed over and a
 * copy of the first's conversion is added instead. The result is the same as parsing it (the
 * conversion of an element depends only on its text, its parent node and the bindings in
 * scope); the skipped text was checked for well-formedness in the first document.
 */
import { SaxSession, SLICE_MS, yieldToEventLoop, type TextSource } from '../xml/sax';
import type { ConversionResult, JsonObject } from '../yang/json';
import type { YangSchemaSet } from '../yang/schema';
import {
  JsonStreamBuilder,
  saxOptions,
  type EntryWatcher,
  type StreamEntry,
  type StreamJsonOptions,
} from '../yang/xml-stream-json';
import type { SchemaNode } from '../yang/model';
import { predicateText } from './path';
import { copyJson, type ReusedEntries } from './reused-entries';

/** Characters written to the parser at a time where no entry can be reused. */
const SLICE_CHARS = 16 * 1024;
/** Entries of the first document tried at each place, from the one after the last reused. */
const WINDOW = 4;
/** Longer entries are parsed again: copying a very large one would hold the event loop. */
const MAX_REUSED_CHARS = 64 * 1024;

/** The first document's list entries (outside other lists), in document order. */
export class EntryLog implements EntryWatcher {
  readonly entries: StreamEntry[] = [];
  /** Where each entry's text starts (the end of the entry before it) and ends; -1: not reusable. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private lastEnd = -1;
  /** Entry indexes by list node and key values, made the first time a parsed entry asks. */
  private byKey: Map<SchemaNode, Map<string, number>> | undefined;

  constructor(
    /** The text of the first document and where its parse began. */
    readonly text: TextSource,
    private readonly offset: number,
  ) {}

  entryClosed(entry: StreamEntry, end: number, adjacent: boolean): void {
    this.entries.push(entry);
    // Only an entry right after another has a known start (the other's end). Its place in its
    // list is how the canonical pass finds it (reused-entries.ts): checked, not assumed.
    const placed = entry.list[entry.index] === entry.value;
    const reusable = placed && adjacent && this.lastEnd >= 0 && end - this.lastEnd <= MAX_REUSED_CHARS;
    this.starts.push(reusable ? this.offset + this.lastEnd : -1);
    this.ends.push(this.offset + end);
    this.lastEnd = end;
  }

  /** The index of the entry with these key values (keyed lists), to pick up after a change. */
  indexOf(entry: StreamEntry): number | undefined {
    if (entry.node.keys.length === 0) return undefined;
    if (!this.byKey) {
      this.byKey = new Map();
      for (let i = 0; i < this.entries.length; i++) {
        const e = this.entries[i];
        let byNode = this.byKey.get(e.node);
        if (!byNode) this.byKey.set(e.node, (byNode = new Map<string, number>()));
        byNode.set(keyOf(e), i);
      }
    }
    return this.byKey.get(entry.node)?.get(keyOf(entry));
  }
}

/** The key values as one string (for one key: the value's own text, nothing built). */
function keyOf(entry: StreamEntry): string {
  const keys = entry.node.keys;
  if (keys.length === 1) return predicateText(entry.value[keys[0]]);
  return keys.map((k) => predicateText(entry.value[k])).join('\u0000');
}

function sameScope(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** An entry of the first document found again: its index and the length of its text. */
interface Match {
  index: number;
  length: number;
}

/** Converts the second document, reusing the entries of the first (`log`) it has unchanged. */
class PairedParse implements EntryWatcher {
  /** The entry of the first document expected next. */
  private next = 0;
  /** The entries' end tags, and where each next occurs at or after the current place (-1: nowhere). */
  private readonly markers: string[];
  private readonly found: number[];

  constructor(
    private readonly log: EntryLog,
    private readonly text: string,
    private readonly reused: ReusedEntries | undefined,
  ) {
    this.markers = [...new Set(log.entries.map((e) => `</${e.tagName}>`))];
    this.found = this.markers.map(() => 0);
  }

  /** A parsed (changed or new) entry: the first document's entries after its twin come next. */
  entryClosed(entry: StreamEntry): void {
    const i = this.log.indexOf(entry);
    if (i !== undefined && i >= this.next) this.next = i + 1;
  }

  /** Where the text at `at` is a reusable entry of the first document: its index and length. */
  match(builder: JsonStreamBuilder, at: number): Match | undefined {
    const here = builder.boundary();
    if (!here) return undefined;
    const log = this.log;
    const last = Math.min(this.next + WINDOW, log.entries.length);
    for (let k = this.next; k < last; k++) {
      const start = log.starts[k];
      const entry = log.entries[k];
      if (start < 0 || entry.parentNode !== here.node || !sameScope(entry.scope, here.scope)) continue;
      const twin = log.text.slice(start, log.ends[k]);
      // Two slices compare as memory; startsWith went character by character (several times slower).
      if (this.text.slice(at, at + twin.length) === twin) return { index: k, length: twin.length };
    }
    return undefined;
  }

  reuse(builder: JsonStreamBuilder, index: number): void {
    const entry = this.log.entries[index];
    const list = builder.appendEntry(entry.node, copyJson(entry.value) as JsonObject);
    this.reused?.add(list, list.length - 1, entry.list, entry.index);
    this.next = index + 1;
  }

  /** Where to stop the next write: just past the next entry end tag, or a slice further. */
  stop(at: number, end: number): number {
    let stop = Math.min(end, at + SLICE_CHARS);
    for (let i = 0; i < this.markers.length; i++) {
      const marker = this.markers[i];
      let next = this.found[i];
      if (next >= 0 && next < at) this.found[i] = next = this.text.indexOf(marker, at);
      if (next >= 0) stop = Math.min(stop, next + marker.length);
    }
    return stop;
  }
}

/**
 * Converts `second[start, end)` like streamXmlToJson, reusing the conversions of `log` (filled
 * while the first document was converted with `watch: log`); each copy is noted in `noted`.
 */
export async function streamXmlToJsonPaired(
  schema: YangSchemaSet,
  second: string,
  log: EntryLog,
  options: StreamJsonOptions & { start: number; end: number },
  noted?: ReusedEntries,
): Promise<ConversionResult<JsonObject>> {
  const paired = new PairedParse(log, second, noted);
  const builder = new JsonStreamBuilder(schema, { ...options, watch: paired });
  const sax = new SaxSession(builder, saxOptions(options));
  let at = options.start;
  /** Characters given to the parser (its position); and whether it stands right after an end tag. */
  let written = 0;
  let reused = false;
  let since = performance.now();
  while (at < options.end) {
    // Only right after an end tag is the parser between elements (not inside a tag or comment).
    const between: boolean = reused || (written > 0 && builder.lastCloseEnd === written);
    const found: Match | undefined = between ? paired.match(builder, at) : undefined;
    reused = found !== undefined;
    if (found) {
      paired.reuse(builder, found.index);
      at += found.length;
    } else {
      const stop = paired.stop(at, options.end);
      if (!sax.write(second, at, stop)) break;
      written += stop - at;
      at = stop;
    }
    if (performance.now() - since >= SLICE_MS) {
      await yieldToEventLoop();
      since = performance.now();
    }
  }
  sax.close();
  return { value: builder.value, warnings: builder.converter.warnings };
}
