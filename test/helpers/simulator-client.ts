/**
 * A raw NETCONF client for simulator tests: framing by hand (the library's framing module),
 * over an SSH channel (ssh2 Client) or an in-memory stream pair given to serveStream. It keeps
 * every message in arrival order, so tests can check ordering, notifications and faults.
 */
import { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { FrameDecoder, encodeMessage, type FramingMode } from '../../src/framing';
import { parseTree, type XmlElement } from '../../src/xml/element';
import type { NetconfSimulator } from '../../simulator';

export const BASE = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const NOTIF = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
export const CAP10 = 'urn:ietf:params:netconf:base:1.0';
export const CAP11 = 'urn:ietf:params:netconf:base:1.1';

/** Two connected in-memory Duplex ends; destroying one ends the other. */
export function duplexPair(): [Duplex, Duplex] {
  const make = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        peer().push(chunk);
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
      destroy(err, cb) {
        const p = peer();
        if (!p.destroyed) p.destroy();
        cb(err);
      },
    });
  const a: Duplex = make(() => b);
  const b: Duplex = make(() => a);
  return [a, b];
}

export interface Received {
  xml: string;
  root?: XmlElement;
}

export class RawClient {
  mode: FramingMode = 'eom';
  readonly messages: Received[] = [];
  serverHello?: XmlElement;
  sessionId = 0;
  closed = false;
  readonly closedPromise: Promise<void>;
  frameError?: Error;
  private readonly decoder = new FrameDecoder({ mode: 'eom' });
  private waiters: (() => void)[] = [];
  private nextId = 1;
  private ssh?: Client;

  constructor(readonly stream: Duplex) {
    this.closedPromise = new Promise((resolve) => {
      const done = (): void => {
        this.closed = true;
        this.wake();
        resolve();
      };
      stream.on('close', done);
      stream.on('end', done);
    });
    stream.on('error', () => undefined);
    stream.on('data', (d: Buffer) => {
      this.decoder.push(d);
      try {
        for (let m = this.decoder.next(); m; m = this.decoder.next()) this.onMessage(m.toString('utf8'));
      } catch (err) {
        this.frameError = err as Error;
        this.wake();
      }
    });
  }

  /** Connects over SSH to the simulator's listener (subsystem netconf). */
  static async ssh(sim: NetconfSimulator, config: Partial<ConnectConfig> = {}): Promise<RawClient> {
    const conn = new Client();
    const stream = await new Promise<Duplex>((resolve, reject) => {
      conn.once('error', reject);
      conn.once('ready', () => {
        conn.subsys('netconf', (err, channel) => (err ? reject(err) : resolve(channel)));
      });
      conn.connect({
        host: '127.0.0.1',
        port: sim.port,
        username: 'admin',
        password: 'admin',
        readyTimeout: 5000,
        ...config,
      });
    });
    conn.on('error', () => undefined);
    const client = new RawClient(stream);
    client.ssh = conn;
    stream.on('close', () => conn.end());
    return client;
  }

  /** Connects in memory through serveStream. */
  static memory(sim: NetconfSimulator, username = 'tester'): RawClient {
    const [server, client] = duplexPair();
    const raw = new RawClient(client);
    sim.serveStream(server, username, { transport: 'memory' });
    return raw;
  }

  private onMessage(xml: string): void {
    let root: XmlElement | undefined;
    try {
      // Huge test replies are checked by size and text; building a tree of them only costs time.
      if (xml.length < 8 * 1024 * 1024) root = parseTree(xml);
    } catch {
      root = undefined;
    }
    if (!this.serverHello && root?.local === 'hello') {
      this.serverHello = root;
      this.sessionId = Number(root.children.find((c) => c.local === 'session-id')?.text);
    } else this.messages.push({ xml, root });
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `pred` holds (checked on every message), or fails after `ms`. */
  async waitFor<T>(pred: () => T | undefined, ms = 3000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v !== undefined) return v;
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  get capabilities(): string[] {
    const caps = this.serverHello?.children.find((c) => c.local === 'capabilities');
    return caps ? caps.children.map((c) => c.text.trim()) : [];
  }

  async waitHello(): Promise<void> {
    await this.waitFor(() => this.serverHello, 3000, 'server hello');
  }

  /** Receives the server hello and sends ours; switches to chunked when both offer 1.1. */
  async handshake(caps = [CAP10, CAP11]): Promise<this> {
    await this.waitHello();
    this.sendFramed(
      `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${BASE}"><capabilities>${caps.map((c) => `<capability>${c}</capability>`).join('')}</capabilities></hello>`,
      'eom',
    );
    if (caps.includes(CAP11) && this.capabilities.includes(CAP11)) {
      this.mode = 'chunked';
      this.decoder.setMode('chunked');
    }
    return this;
  }

  sendFramed(xml: string, mode: FramingMode = this.mode): void {
    for (const piece of encodeMessage(xml, mode)) this.stream.write(piece);
  }

  sendRaw(data: string | Buffer): void {
    this.stream.write(data);
  }

  /** Sends an rpc with the next message-id; returns the id. */
  send(operation: string, attrs = ''): string {
    const id = String(this.nextId++);
    this.sendFramed(`<rpc xmlns="${BASE}" message-id="${id}"${attrs}>${operation}</rpc>`);
    return id;
  }

  reply(id: string): Received | undefined {
    return this.messages.find((m) => m.root?.local === 'rpc-reply' && m.root.attributes['message-id'] === id);
  }

  async waitReply(id: string, ms = 3000): Promise<XmlElement> {
    const r = await this.waitFor(() => this.reply(id), ms, `reply ${id}`);
    if (!r.root) throw new Error('unparseable reply');
    return r.root;
  }

  /** Sends an rpc and waits for its reply. */
  async rpc(operation: string, ms = 3000): Promise<XmlElement> {
    return this.waitReply(this.send(operation), ms);
  }

  notifications(): XmlElement[] {
    return this.messages.flatMap((m) => (m.root?.local === 'notification' && m.root.ns === NOTIF ? [m.root] : []));
  }

  /** The first notification (after `skip` ones) whose event element has this local name. */
  async waitNotification(event: string, ms = 3000, skip = 0): Promise<XmlElement> {
    return this.waitFor(
      () => this.notifications().filter((n) => n.children.some((c) => c.local === event))[skip],
      ms,
      `notification ${event}`,
    );
  }

  close(): void {
    this.stream.destroy();
    this.ssh?.end();
  }
}

/** The rpc-error fields of a reply, for assertions. */
export function errorsOf(reply: XmlElement): Record<string, string>[] {
  return reply.children
    .filter((c) => c.local === 'rpc-error')
    .map((e) => {
      const out: Record<string, string> = {};
      for (const c of e.children) {
        if (c.local === 'error-info') for (const i of c.children) out[`info:${i.local}`] = i.text.trim();
        else out[c.local.replace(/^error-/, '')] = c.text.trim();
      }
      return out;
    });
}

export function isOk(reply: XmlElement): boolean {
  return reply.children.length === 1 && reply.children[0].local === 'ok' && reply.children[0].ns === BASE;
}

/** Descendant elements with this local name, depth first. */
export function findAll(el: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.local === local) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function texts(el: XmlElement, local: string): string[] {
  return findAll(el, local).map((e) => e.text.trim());
}
