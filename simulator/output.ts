/**
 * The one writer of a simulated session. Messages are framed at write time (the framing switches
 * after the hello exchange), written whole and in order with backpressure, so a notification can
 * never land inside a large reply. One-shot faults (drop mid-message, malformed chunk header) are
 * applied here because they are about bytes on the wire.
 */
import type { Duplex } from 'node:stream';
import { EOM, type FramingMode } from '../src/framing';

export interface OutgoingMessage {
  /** Body pieces; each becomes one chunk in chunked framing. */
  body: Iterable<Buffer>;
  /** Force a framing (the hello is always end-of-message framed). */
  mode?: FramingMode;
  /** Write only this many bytes of the framed message, then destroy the stream. */
  dropAfterBytes?: number;
  /** Corrupt the first chunk header (`\n#ab\n`); in EOM framing the bytes precede the body. */
  malformedChunk?: boolean;
  /** Called once the whole message has been handed to the stream. */
  onWritten?: () => void;
}

const END_OF_CHUNKS = Buffer.from('\n##\n', 'latin1');
const BAD_HEADER = Buffer.from('\n#ab\n', 'latin1');

export class OutputQueue {
  private readonly queue: OutgoingMessage[] = [];
  private busy = false;
  private dead = false;
  private finishing = false;

  constructor(
    private readonly stream: Duplex,
    private readonly framing: () => FramingMode,
  ) {
    stream.once('close', () => {
      this.dead = true;
    });
  }

  send(message: OutgoingMessage): void {
    if (this.dead || this.finishing) return;
    this.queue.push(message);
    if (!this.busy) void this.pump();
  }

  /** Ends the stream once everything queued so far has been written; later sends are ignored. */
  finish(): void {
    if (this.finishing) return;
    this.finishing = true;
    if (!this.busy) this.endStream();
  }

  private endStream(): void {
    if (!this.dead && !this.stream.writableEnded) this.stream.end();
  }

  /** Drops what has not been written yet (the session is ending). */
  discard(): void {
    this.dead = true;
    this.queue.length = 0;
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      for (let m = this.queue.shift(); m && !this.dead; m = this.queue.shift()) await this.write(m);
    } catch {
      // A write error means the peer is gone; the session notices through 'close'/'error'.
      this.dead = true;
    } finally {
      this.busy = false;
      if (this.finishing) this.endStream();
    }
  }

  private async write(m: OutgoingMessage): Promise<void> {
    const mode = m.mode ?? this.framing();
    let sent = 0;
    let first = true;
    const put = async (buf: Buffer): Promise<boolean> => {
      if (this.dead) return false;
      if (m.dropAfterBytes !== undefined && sent + buf.length >= m.dropAfterBytes) {
        this.stream.write(buf.subarray(0, m.dropAfterBytes - sent));
        this.dead = true;
        // Let the partial bytes leave before the connection goes away.
        setImmediate(() => this.stream.destroy());
        return false;
      }
      sent += buf.length;
      if (!this.stream.write(buf)) await this.drained();
      return true;
    };
    if (m.malformedChunk && mode === 'eom' && !(await put(BAD_HEADER))) return;
    for (const piece of m.body) {
      if (piece.length === 0) continue;
      if (mode === 'chunked') {
        const header = m.malformedChunk && first ? BAD_HEADER : Buffer.from(`\n#${piece.length}\n`, 'latin1');
        if (!(await put(header))) return;
      }
      first = false;
      if (!(await put(piece))) return;
    }
    if (!(await put(mode === 'chunked' ? END_OF_CHUNKS : EOM))) return;
    m.onWritten?.();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
}
