/**
 * The session's one writer. Messages written in the same turn of the event loop go out as one
 * stream write: each write is an SSH packet and a socket write of its own, so 64 pipelined RPCs
 * cost one write instead of 192 (three framing pieces each), and a message's pieces never travel
 * in separate TCP segments. Order is the order of the write() calls.
 */
import type { Duplex } from 'node:stream';

/** Batches up to this size are copied into one buffer; larger bodies are written as they are. */
const SMALL_WRITE = 256 * 1024;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class CoalescingWriter {
  private pieces: Buffer[] = [];
  private bytes = 0;
  private waiters: Waiter[] = [];
  private scheduled = false;

  /** `closedError` is what writes reject with once the stream is gone. */
  constructor(
    private readonly stream: Duplex,
    private readonly closedError: () => Error,
  ) {}

  /** Queues one framed message; resolves when the stream has taken it. */
  write(pieces: Buffer[]): Promise<void> {
    return new Promise((resolve, reject) => {
      for (const p of pieces) {
        this.pieces.push(p);
        this.bytes += p.length;
      }
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const { pieces, waiters, bytes } = this;
    this.pieces = [];
    this.waiters = [];
    this.bytes = 0;
    const done = (err?: Error | null): void => {
      for (const w of waiters) {
        if (err) w.reject(err);
        else w.resolve();
      }
    };
    if (this.stream.destroyed) return done(this.closedError());
    if (bytes <= SMALL_WRITE) {
      this.stream.write(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, bytes), done);
      return;
    }
    const last = pieces.length - 1;
    pieces.forEach((piece, i) => this.stream.write(piece, i === last ? done : undefined));
  }
}
