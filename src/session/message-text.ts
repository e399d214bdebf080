/**
 * The text of a large message, kept as the pieces it was decoded in. Joining 100 MB of pieces
 * into one string is a single ~60 ms copy (more when it triggers a garbage collection) that
 * would stall every timer in the process, so it is only done if someone asks for the whole text
 * (`RpcReply.xml`, `dataXml`); parsing and routing read it piece by piece.
 */
import type { TextSource } from '../xml/sax';

export class MessageText implements TextSource {
  readonly length: number;
  private readonly pieces: string[];
  /** Offset of each piece in the whole text. */
  private readonly starts: number[];
  private joined?: string;

  constructor(pieces: string[]) {
    this.pieces = pieces.filter((p) => p.length > 0);
    this.starts = [];
    let offset = 0;
    for (const p of this.pieces) {
      this.starts.push(offset);
      offset += p.length;
    }
    this.length = offset;
  }

  /** The piece holding index `i` (binary search: pieces are few, reads are many). */
  private pieceAt(i: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  slice(from: number, to: number = this.length): string {
    if (this.joined !== undefined) return this.joined.slice(from, to);
    const start = Math.max(0, from);
    const end = Math.min(this.length, to);
    if (end <= start) return '';
    const first = this.pieceAt(start);
    const last = this.pieceAt(end - 1);
    if (first === last) return this.pieces[first].slice(start - this.starts[first], end - this.starts[first]);
    const parts = [this.pieces[first].slice(start - this.starts[first])];
    for (let k = first + 1; k < last; k++) parts.push(this.pieces[k]);
    parts.push(this.pieces[last].slice(0, end - this.starts[last]));
    return parts.join('');
  }

  toString(): string {
    if (this.joined === undefined) this.joined = this.pieces.join('');
    return this.joined;
  }
}

/** The whole text of a source (joins a MessageText). */
export function wholeText(text: TextSource): string {
  return typeof text === 'string' ? text : text.toString();
}
