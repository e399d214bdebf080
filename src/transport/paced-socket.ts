/**
 * A TCP socket whose input goes through the process's InputPacer (src/transport/input-pacer.ts):
 * the Duplex ssh2 runs on (its `sock` option) instead of a socket of its own. Writes go straight
 * through; each incoming chunk is handed on whole, in order, at once when the pacer allows and
 * otherwise in a later turn. While more than `maxQueuedBytes` wait, the TCP socket is paused (the
 * kernel's buffer and TCP flow control hold the rest), and resumed once half of it is delivered.
 * End, close and errors of the TCP socket come out after the chunks that arrived before them;
 * ending or destroying this stream ends or destroys the TCP socket.
 *
 * ssh2 treats a stream with a boolean `connecting` as a net.Socket: it waits for 'connect' with
 * its ready timeout already running, so the connect timeout still covers TCP connect.
 */
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { inputPacer, type InputPacer, type PacedInput } from './input-pacer';

export const DEFAULT_MAX_QUEUED_BYTES = 256 * 1024;

export interface PacedSocketOptions {
  pacer?: InputPacer;
  /** Bytes that may wait for delivery before the TCP socket is paused (default 256 KiB). */
  maxQueuedBytes?: number;
}

export class PacedSocket extends Duplex implements PacedInput {
  private readonly pacer: InputPacer;
  private readonly maxQueuedBytes: number;
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  /** The consumer takes more (push() did not say stop, or _read() asked again). */
  private consumerReady = true;
  private rawPaused = false;
  /** What the TCP socket did after its last chunk, to be passed on once the chunks are delivered. */
  private rawEnded = false;
  private rawClosed = false;
  private rawError: Error | undefined;

  constructor(
    readonly raw: Socket,
    options: PacedSocketOptions = {},
  ) {
    super({ allowHalfOpen: false });
    this.pacer = options.pacer ?? inputPacer;
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    raw.on('connect', () => this.emit('connect'));
    raw.on('data', (chunk: Buffer) => this.arrived(chunk));
    raw.on('end', () => {
      this.rawEnded = true;
      this.passOnEnd();
    });
    raw.on('error', (err: Error) => {
      this.rawError = err;
      this.passOnEnd();
    });
    raw.on('close', () => {
      this.rawClosed = true;
      this.passOnEnd();
    });
  }

  /** As net.Socket's: ssh2 waits for 'connect' while this is true. */
  get connecting(): boolean {
    return this.raw.connecting;
  }

  /** Bytes received and not yet handed on (for tests). */
  get queued(): number {
    return this.queuedBytes;
  }

  setNoDelay(noDelay = true): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }

  deliverOne(): boolean {
    const chunk = this.consumerReady && !this.destroyed ? this.chunks.shift() : undefined;
    if (!chunk) return false;
    this.queuedBytes -= chunk.length;
    if (this.rawPaused && this.queuedBytes <= this.maxQueuedBytes / 2) {
      this.rawPaused = false;
      this.raw.resume();
    }
    this.consumerReady = this.push(chunk);
    if (this.chunks.length === 0) this.passOnEnd();
    return this.consumerReady && this.chunks.length > 0 && !this.destroyed;
  }

  private arrived(chunk: Buffer): void {
    if (this.destroyed) return;
    this.pacer.received += chunk.length;
    if (this.chunks.length === 0 && this.consumerReady && this.pacer.deliverNow()) {
      this.consumerReady = this.push(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    if (!this.rawPaused && this.queuedBytes > this.maxQueuedBytes) {
      this.rawPaused = true;
      this.raw.pause();
    }
    if (this.consumerReady) this.pacer.wake(this);
  }

  /** The TCP socket's end, error or close, once every chunk before it is delivered. */
  private passOnEnd(): void {
    if (this.chunks.length > 0 || this.destroyed) return;
    if (this.rawError) {
      this.destroy(this.rawError);
      return;
    }
    if (this.rawEnded && !this.readableEnded) this.push(null);
    if (this.rawClosed) this.destroy();
  }

  override _read(): void {
    if (this.consumerReady) return;
    this.consumerReady = true;
    if (this.chunks.length > 0) this.pacer.wake(this);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.raw.write(chunk)) callback();
    else this.raw.once('drain', () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (!this.raw.writableEnded) this.raw.end();
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.pacer.forget(this);
    this.chunks.length = 0;
    this.queuedBytes = 0;
    this.raw.destroy();
    callback(err);
  }
}

/** A TCP connection to host:port (Nagle off: NETCONF is request/reply), its input paced. */
export function pacedConnection(host: string, port: number, options?: PacedSocketOptions): PacedSocket {
  return new PacedSocket(connect({ host, port, noDelay: true }), options);
}
