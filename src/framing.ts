/**
 * RFC 6242 message framing: end-of-message (`]]>]]>`, base:1.0) and chunked (base:1.1).
 *
 * The decoder is a byte-level state machine with a cursor. Message bodies are kept as a list of
 * Buffer slices and joined once when the message is complete. Large slices are kept as views (no
 * copy); small ones are copied into shared 64 KiB buffers, because a view costs ~150 bytes of its
 * own: a server sending 1-byte chunks would otherwise make a 4 MiB message cost 600 MB. So time
 * and memory are linear in the message size however the stream is split. Text is never decoded
 * here: a multi-byte UTF-8 character split across chunks is simply bytes until the message is whole.
 *
 * Leniency (only ever for white space, which cannot be mistaken for data): white space before a
 * base:1.0 message is skipped (devices write a line break after `]]>]]>`, and XML refuses white
 * space before `<?xml`), and extra white space before a chunk header's `\n#` is skipped (seen from
 * servers that write a line break before each chunk).
 */
import { NetconfProtocolError } from './errors';

export type FramingMode = 'eom' | 'chunked';

export const EOM = Buffer.from(']]>]]>');
/** The largest chunk RFC 6242 allows. */
export const MAX_CHUNK_SIZE = 4294967295;
/** Default bound on one received message. */
export const DEFAULT_MAX_MESSAGE_SIZE = 512 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const ZERO = 0x30;
const NINE = 0x39;
const END_OF_CHUNKS = Buffer.from('\n##\n');
/** Body slices shorter than this are copied into a shared buffer instead of kept as views. */
const COALESCE_BELOW = 4096;
const COALESCE_BUFFER = 64 * 1024;

function isSpace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

/** Frames one message for sending. Returns the pieces to write in order (the body is not copied). */
export function encodeMessage(body: Buffer | string, mode: FramingMode): Buffer[] {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (mode === 'eom') return [payload, EOM];
  if (payload.length === 0) throw new NetconfProtocolError('cannot send an empty chunked message');
  const pieces: Buffer[] = [];
  // Chunks are at most 4 GiB - 1; a single chunk covers every realistic message.
  for (let offset = 0; offset < payload.length; offset += MAX_CHUNK_SIZE) {
    const part = payload.subarray(offset, Math.min(payload.length, offset + MAX_CHUNK_SIZE));
    pieces.push(Buffer.from(`\n#${part.length}\n`, 'latin1'), part);
  }
  pieces.push(END_OF_CHUNKS);
  return pieces;
}

/** States of the chunked-framing header parser (RFC 6242 section 4.2). */
const enum ChunkState {
  /** Expect the LF that starts a chunk header or the end-of-chunks marker. */
  HeaderLf,
  /** Expect `#`. */
  HeaderHash,
  /** Expect the first size digit (1-9) or a second `#` (end of chunks). */
  SizeFirst,
  /** More size digits or the LF that ends the header. */
  SizeDigits,
  /** Chunk data. */
  Data,
  /** Expect the LF after `\n##`. */
  EndLf,
}

export interface FrameDecoderOptions {
  mode?: FramingMode;
  maxMessageSize?: number;
}

/**
 * Streaming decoder. `push()` bytes as they arrive, then call `next()` until it returns
 * `undefined`; the mode may be switched between two `next()` calls, which is exactly what the
 * session does after the `<hello>` exchange: bytes after the server's hello that arrived in the
 * same read are then decoded with the new framing.
 */
export class FrameDecoder {
  private mode: FramingMode;
  private readonly maxMessageSize: number;
  /** Received bytes not yet consumed; `head` is the cursor into `queue[0]`. */
  private queue: Buffer[] = [];
  private head = 0;
  /** Body slices of the message being assembled and their total length. */
  private body: Buffer[] = [];
  private bodyLength = 0;
  private undrained = 0;
  /** Shared buffer collecting small body slices; `pendingFill` bytes of it are used. */
  private pending?: Buffer;
  private pendingFill = 0;
  // Chunked state.
  private state = ChunkState.HeaderLf;
  private chunkRemaining = 0;
  private sizeDigits = 0;
  // End-of-message state: how many bytes of `]]>]]>` ended the previous buffer.
  private eomMatched = 0;
  private failed?: NetconfProtocolError;

  constructor(options: FrameDecoderOptions = {}) {
    this.mode = options.mode ?? 'eom';
    this.maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  }

  get framing(): FramingMode {
    return this.mode;
  }

  /** Switch framing; only valid on a message boundary (between two `next()` results). */
  setMode(mode: FramingMode): void {
    if (this.bodyLength > 0 || this.eomMatched > 0 || this.state !== ChunkState.HeaderLf) {
      throw new NetconfProtocolError('framing switched in the middle of a message');
    }
    this.mode = mode;
  }

  push(data: Buffer): void {
    if (data.length > 0) this.queue.push(data);
  }

  /** The next complete message, or undefined when more bytes are needed. Throws on bad framing. */
  next(): Buffer | undefined {
    const parts = this.nextParts();
    if (!parts) return undefined;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /**
   * The next complete message as the list of slices it arrived in (no copy yet), so that the
   * caller can join a very large message without blocking the event loop in one go.
   */
  nextParts(): Buffer[] | undefined {
    if (this.failed) throw this.failed;
    try {
      return this.mode === 'eom' ? this.nextEom() : this.nextChunked();
    } catch (err) {
      this.failed = err instanceof NetconfProtocolError ? err : new NetconfProtocolError(String(err));
      throw this.failed;
    }
  }

  private takeBody(): Buffer[] {
    this.flushPending();
    const parts = this.body;
    this.body = [];
    this.bodyLength = 0;
    this.undrained = 0;
    return parts;
  }

  /** Body bytes of the message in progress not yet taken by drainPartial(). */
  get partialBytes(): number {
    return this.undrained;
  }

  /**
   * Takes the body slices of the message still in progress, so that a large message can be
   * decoded while the rest of it is arriving. nextParts() then returns only the remainder.
   */
  drainPartial(): Buffer[] {
    this.flushPending();
    const parts = this.body;
    this.body = [];
    this.undrained = 0;
    return parts;
  }

  private addBody(slice: Buffer): void {
    this.bodyLength += slice.length;
    if (this.bodyLength > this.maxMessageSize) {
      throw new NetconfProtocolError(
        `message larger than maxMessageSize (${this.maxMessageSize} bytes); the session is closed`,
      );
    }
    this.undrained += slice.length;
    if (slice.length >= COALESCE_BELOW) {
      this.flushPending();
      this.body.push(slice);
      return;
    }
    if (this.pending === undefined || this.pendingFill + slice.length > this.pending.length) {
      this.flushPending();
      this.pending = Buffer.allocUnsafeSlow(COALESCE_BUFFER);
    }
    slice.copy(this.pending, this.pendingFill);
    this.pendingFill += slice.length;
  }

  /** Moves the shared buffer's bytes to the body; a mostly empty one is copied, not kept whole. */
  private flushPending(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    if (this.pendingFill > 0) {
      const used = pending.subarray(0, this.pendingFill);
      this.body.push(this.pendingFill < pending.length / 2 ? Buffer.from(used) : used);
    }
    this.pending = undefined;
    this.pendingFill = 0;
  }

  private dropHead(): void {
    this.queue.shift();
    this.head = 0;
  }

  // --- end-of-message framing ---------------------------------------------------------------

  private nextEom(): Buffer[] | undefined {
    while (this.queue.length > 0) {
      const buf = this.queue[0];
      if (this.bodyLength === 0 && this.eomMatched === 0 && this.skipSpace(buf)) continue;
      const start = this.head;
      // A delimiter that began in an earlier buffer: see whether this one completes it.
      if (this.eomMatched > 0) {
        const need = EOM.length - this.eomMatched;
        const avail = buf.length - start;
        const n = Math.min(need, avail);
        if (buf.compare(EOM, this.eomMatched, this.eomMatched + n, start, start + n) === 0) {
          if (n === need) {
            this.eomMatched = 0;
            this.head = start + n;
            if (this.head >= buf.length) this.dropHead();
            return this.takeBody();
          }
          this.eomMatched += n;
          this.dropHead();
          continue;
        }
        // Not a delimiter after all: the held-back bytes were body. Re-scan them with this
        // buffer, since a delimiter may start inside them (`]]>]]` + `>]]>`... overlaps).
        const held = EOM.subarray(0, this.eomMatched);
        this.eomMatched = 0;
        this.queue[0] = Buffer.concat([held, buf.subarray(start)]);
        this.head = 0;
        continue;
      }
      const at = buf.indexOf(EOM, start);
      if (at >= 0) {
        this.addBody(buf.subarray(start, at));
        this.head = at + EOM.length;
        if (this.head >= buf.length) this.dropHead();
        return this.takeBody();
      }
      // No whole delimiter here; keep back a trailing partial one.
      const partial = trailingPrefixLength(buf, start, EOM);
      this.addBody(buf.subarray(start, buf.length - partial));
      this.eomMatched = partial;
      this.dropHead();
    }
    return undefined;
  }

  /** Skips white space at the head; true when it used up the buffer. */
  private skipSpace(buf: Buffer): boolean {
    let i = this.head;
    while (i < buf.length && isSpace(buf[i])) i++;
    this.head = i;
    if (i < buf.length) return false;
    this.dropHead();
    return true;
  }

  // --- chunked framing ----------------------------------------------------------------------

  private nextChunked(): Buffer[] | undefined {
    while (this.queue.length > 0) {
      const buf = this.queue[0];
      if (this.state === ChunkState.Data) {
        const avail = buf.length - this.head;
        const n = Math.min(avail, this.chunkRemaining);
        this.addBody(buf.subarray(this.head, this.head + n));
        this.chunkRemaining -= n;
        this.head += n;
        if (this.head >= buf.length) this.dropHead();
        if (this.chunkRemaining === 0) this.state = ChunkState.HeaderLf;
        continue;
      }
      // Header bytes: a handful per chunk, so a byte loop here stays linear and cheap.
      const byte = buf[this.head++];
      if (this.head >= buf.length) this.dropHead();
      if (this.headerByte(byte)) return this.takeBody();
    }
    return undefined;
  }

  /** Feeds one header byte; returns true when the end-of-chunks marker completes a message. */
  private headerByte(byte: number): boolean {
    switch (this.state) {
      case ChunkState.HeaderLf:
      case ChunkState.HeaderHash:
        // `#` must follow LF; any other white space before that is tolerated.
        if (byte === HASH && this.state === ChunkState.HeaderHash) this.state = ChunkState.SizeFirst;
        else if (byte === LF) this.state = ChunkState.HeaderHash;
        else if (isSpace(byte)) this.state = ChunkState.HeaderLf;
        else throw this.badHeader(byte, this.state === ChunkState.HeaderLf ? 'LF' : '#');
        return false;
      case ChunkState.SizeFirst:
        if (byte === HASH) {
          if (this.bodyLength === 0) throw new NetconfProtocolError('end-of-chunks marker before any chunk');
          this.state = ChunkState.EndLf;
          return false;
        }
        if (byte <= ZERO || byte > NINE) throw this.badHeader(byte, 'a chunk size (1-9)');
        this.chunkRemaining = byte - ZERO;
        this.sizeDigits = 1;
        this.state = ChunkState.SizeDigits;
        return false;
      case ChunkState.SizeDigits:
        if (byte === LF) {
          if (this.bodyLength + this.chunkRemaining > this.maxMessageSize) {
            throw new NetconfProtocolError(
              `chunk of ${this.chunkRemaining} bytes exceeds maxMessageSize (${this.maxMessageSize} bytes)`,
            );
          }
          this.state = ChunkState.Data;
          return false;
        }
        if (byte < ZERO || byte > NINE) throw this.badHeader(byte, 'a digit or LF');
        this.chunkRemaining = this.chunkRemaining * 10 + (byte - ZERO);
        if (++this.sizeDigits > 10 || this.chunkRemaining > MAX_CHUNK_SIZE) {
          throw new NetconfProtocolError(`chunk size exceeds ${MAX_CHUNK_SIZE}`);
        }
        return false;
      case ChunkState.EndLf:
        if (byte !== LF) throw this.badHeader(byte, 'LF after ##');
        this.state = ChunkState.HeaderLf;
        return true;
      default:
        throw new NetconfProtocolError('chunk decoder in an impossible state');
    }
  }

  private badHeader(byte: number, expected: string): NetconfProtocolError {
    const shown = byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `0x${byte.toString(16)}`;
    return new NetconfProtocolError(`malformed chunked framing: expected ${expected}, got ${shown}`);
  }
}

/** Length of the longest proper prefix of `needle` that `buf[start..]` ends with. */
function trailingPrefixLength(buf: Buffer, start: number, needle: Buffer): number {
  const max = Math.min(needle.length - 1, buf.length - start);
  for (let k = max; k > 0; k--) {
    if (buf.compare(needle, 0, k, buf.length - k, buf.length) === 0) return k;
  }
  return 0;
}
