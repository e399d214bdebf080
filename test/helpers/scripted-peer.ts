/**
 * An in-memory NETCONF server peer for session tests: the test decides, message by message, what
 * the "server" answers (out of order, malformed, never), which the real simulator and netconfd
 * cannot be told to do so precisely.
 */
import { Duplex, PassThrough } from 'node:stream';
import { FrameDecoder, encodeMessage, type FramingMode } from '../../src/framing';

export const BASE = 'urn:ietf:params:xml:ns:netconf:base:1.0';

export function serverHello(
  sessionId = 7,
  caps = ['urn:ietf:params:netconf:base:1.0', 'urn:ietf:params:netconf:base:1.1'],
): string {
  return `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${BASE}"><capabilities>${caps
    .map((c) => `<capability>${c}</capability>`)
    .join('')}</capabilities><session-id>${sessionId}</session-id></hello>`;
}

export interface ReceivedRpc {
  id: string;
  xml: string;
}

export class ScriptedPeer {
  /** The client's end of the connection. */
  readonly clientStream: Duplex;
  private readonly toClient = new PassThrough();
  private readonly fromClient = new PassThrough();
  private readonly decoder = new FrameDecoder({ mode: 'eom' });
  mode: FramingMode = 'eom';
  clientHello?: string;
  readonly rpcs: ReceivedRpc[] = [];
  private waiters: (() => void)[] = [];

  constructor() {
    this.clientStream = Duplex.from({ readable: this.toClient, writable: this.fromClient });
    this.fromClient.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      for (let m = this.decoder.next(); m; m = this.decoder.next()) this.onMessage(m.toString('utf8'));
    });
  }

  private onMessage(xml: string): void {
    if (!this.clientHello) {
      this.clientHello = xml;
      this.maybeSwitch();
      return;
    }
    const id = /message-id="([^"]*)"/.exec(xml)?.[1] ?? '';
    this.rpcs.push({ id, xml });
    for (const w of this.waiters.splice(0)) w();
  }

  private offered11 = false;
  private helloSent = false;

  /** Sends our hello; framing switches to chunked once both hellos are out and both offer 1.1. */
  hello(sessionId = 7, caps?: string[]): void {
    const xml = serverHello(sessionId, caps);
    this.sendRaw(Buffer.concat(encodeMessage(xml, 'eom')));
    this.offered11 = (caps ?? ['urn:ietf:params:netconf:base:1.1']).includes('urn:ietf:params:netconf:base:1.1');
    this.helloSent = true;
    this.maybeSwitch();
  }

  private maybeSwitch(): void {
    if (!this.helloSent || !this.clientHello || this.mode === 'chunked') return;
    if (this.offered11 && this.clientHello.includes('urn:ietf:params:netconf:base:1.1')) {
      this.mode = 'chunked';
      this.decoder.setMode('chunked');
    }
  }

  send(xml: string): void {
    this.sendRaw(Buffer.concat(encodeMessage(xml, this.mode)));
  }

  sendRaw(bytes: Buffer | string): void {
    this.toClient.write(bytes);
  }

  reply(id: string, body = '<ok/>'): void {
    this.send(`<rpc-reply xmlns="${BASE}" message-id="${id}">${body}</rpc-reply>`);
  }

  /** Resolves when at least `n` RPCs have arrived. */
  async waitForRpcs(n: number): Promise<ReceivedRpc[]> {
    while (this.rpcs.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.rpcs.slice(0, n);
  }

  /** The server ends the stream cleanly (EOF after what it sent). */
  hangUp(): void {
    this.toClient.end();
  }

  /** The transport drops. */
  drop(): void {
    this.toClient.destroy();
    this.clientStream.destroy();
  }
}
