/**
 * One NETCONF session on the server side, over any Duplex stream (an SSH channel, a TLS socket,
 * a call-home connection): hello exchange, framing switch, RPC dispatch, replies through the
 * fault pipeline and the single output queue, and an orderly end that reports whether the client
 * said <close-session> or just went away.
 */
import type { Duplex } from 'node:stream';
import { FrameDecoder, type FramingMode } from '../src/framing';
import { CAP_BASE_10, CAP_BASE_11, NS_BASE } from '../src/namespaces';
import {
  childElement,
  childElements,
  escapeAttribute,
  escapeText,
  parseTree,
  type XmlElement,
} from '../src/xml/element';
import type { OpResult, SessionApi, SimCore } from './context';
import type { FaultController } from './faults';
import { ReplyPipeline } from './faults';
import { findOperation } from './operations';
import { OutputQueue, type OutgoingMessage } from './output';
import type { Subscription } from './notifications';
import { operationNotSupported, rpcError, rpcErrorXml, SimRpcError, type RpcErrorSpec } from './rpc-error';

export interface SessionEnd {
  /** True when the client sent <close-session> (and got its <ok/>). */
  closeSession: boolean;
  /** Set when another session killed this one. */
  killedBy?: number;
  reason: string;
}

export interface SessionHost {
  readonly core: SimCore;
  readonly faults: FaultController;
  /** Capabilities for our hello (base versions included). */
  readonly capabilities: readonly string[];
  rpcReceived(session: ServerSession, operation: string): void;
  sessionEnded(session: ServerSession, end: SessionEnd): void;
}

export interface SessionDetails {
  transport?: string;
  sourceHost?: string;
}

export class ServerSession implements SessionApi {
  subscription?: Subscription;
  /** Operation names received, in order (for tests). */
  readonly rpcs: string[] = [];
  readonly startedAt = new Date();
  clientCapabilities?: string[];
  private readonly decoder = new FrameDecoder({ mode: 'eom' });
  private mode: FramingMode = 'eom';
  private readonly output: OutputQueue;
  private readonly pipeline: ReplyPipeline;
  private closeRequested = false;
  private killedBy?: number;
  private ended = false;

  constructor(
    readonly id: number,
    readonly username: string,
    private readonly stream: Duplex,
    private readonly host: SessionHost,
    readonly details: SessionDetails = {},
  ) {
    this.output = new OutputQueue(stream, () => this.mode);
    this.pipeline = new ReplyPipeline(host.faults, (m) => this.output.send(m));
    stream.on('data', (data: Buffer) => this.onData(data));
    stream.on('end', () => this.end('the client ended the stream'));
    stream.on('close', () => this.end('the stream closed'));
    stream.on('error', (err: Error) => this.end(`stream error: ${err.message}`));
  }

  get framing(): FramingMode {
    return this.mode;
  }

  get helloReceived(): boolean {
    return this.clientCapabilities !== undefined;
  }

  /** Sends our hello; call once, right after construction. */
  start(): void {
    const caps = this.host.capabilities.map((c) => `<capability>${escapeText(c)}</capability>`).join('');
    const hello = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NS_BASE}"><capabilities>${caps}</capabilities><session-id>${this.id}</session-id></hello>`;
    this.output.send({ body: [Buffer.from(hello, 'utf8')], mode: 'eom' });
  }

  sendNotification(xml: string): void {
    if (!this.ended) this.output.send({ body: [Buffer.from(xml, 'utf8')] });
  }

  closeGracefully(): void {
    this.output.finish();
    // Over a plain stream nothing else would tell us the session is over: the client may keep
    // its side open after reading the <ok/>.
    this.end('close-session');
  }

  /** Terminates the session from outside (kill-session, simulator close). */
  terminate(reason: string, killedBy?: number): void {
    if (this.ended) return;
    this.killedBy = killedBy;
    this.output.discard();
    this.end(reason);
    this.stream.destroy();
  }

  private onData(data: Buffer): void {
    if (this.ended) return;
    this.decoder.push(data);
    try {
      for (let m = this.decoder.next(); m; m = this.decoder.next()) {
        this.onMessage(m.toString('utf8'));
        if (this.ended || this.closeRequested) return;
      }
    } catch (err) {
      // RFC 6242 section 4.2: a framing error ends the session.
      this.terminate(`framing error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onMessage(xml: string): void {
    let root: XmlElement;
    try {
      root = parseTree(xml);
    } catch (err) {
      const message = `malformed XML: ${err instanceof Error ? err.message : String(err)}`;
      if (!this.helloReceived) {
        this.terminate(`${message} instead of <hello>`);
        return;
      }
      this.sendErrorReply(undefined, [{ type: 'rpc', tag: 'malformed-message', message }], 'malformed');
      return;
    }
    if (!this.helloReceived) {
      this.onHello(root);
      return;
    }
    if (root.local !== 'rpc' || root.ns !== NS_BASE) {
      const message = root.local === 'hello' ? 'a second <hello> is not allowed' : `expected <rpc>, got <${root.name}>`;
      this.sendErrorReply(undefined, [{ type: 'rpc', tag: 'malformed-message', message }], 'malformed');
      return;
    }
    this.onRpc(root);
  }

  private onHello(root: XmlElement): void {
    if (root.local !== 'hello' || root.ns !== NS_BASE) {
      // An RPC before the hello exchange: refuse it and end the session (RFC 6241 8.1).
      if (root.local === 'rpc') {
        const error = { type: 'rpc' as const, tag: 'operation-failed', message: 'no <hello> received before <rpc>' };
        this.output.send({ body: [errorReply(root, [error])], mode: 'eom' });
      }
      this.end(`expected <hello>, got <${root.name}>`);
      return;
    }
    const capsEl = childElement(root, 'capabilities', NS_BASE);
    const caps = capsEl ? childElements(capsEl, 'capability', NS_BASE).map((c) => c.text.trim()) : [];
    if (childElement(root, 'session-id', NS_BASE)) {
      this.terminate('the client <hello> contains a session-id');
      return;
    }
    const ours = this.host.capabilities;
    const common = [CAP_BASE_10, CAP_BASE_11].filter((b) => caps.includes(b) && ours.includes(b));
    if (common.length === 0) {
      this.terminate('no common base capability');
      return;
    }
    this.clientCapabilities = caps;
    if (common.includes(CAP_BASE_11)) {
      this.mode = 'chunked';
      this.decoder.setMode('chunked');
    }
  }

  private onRpc(rpc: XmlElement): void {
    if (rpc.attributes['message-id'] === undefined) {
      this.sendErrorReply(
        rpc,
        [
          {
            type: 'rpc',
            tag: 'missing-attribute',
            message: 'rpc has no message-id',
            info: { 'bad-attribute': 'message-id', 'bad-element': 'rpc' },
          },
        ],
        'rpc',
      );
      return;
    }
    const op = rpc.children[0];
    if (!op) {
      this.sendErrorReply(
        rpc,
        [{ type: 'rpc', tag: 'malformed-message', message: '<rpc> contains no operation' }],
        'rpc',
      );
      return;
    }
    this.rpcs.push(op.local);
    if (op.local === 'close-session' && op.ns === NS_BASE) this.closeRequested = true;
    this.host.rpcReceived(this, op.local);
    let result: OpResult;
    try {
      const handler = findOperation(op.ns, op.local);
      if (!handler) throw operationNotSupported(`<${op.local}> (${op.ns || 'no namespace'})`);
      result = handler({ core: this.host.core, session: this, op });
    } catch (err) {
      const errors = err instanceof SimRpcError ? err.errors : [internalError(err)];
      this.sendErrorReply(rpc, errors, op.local);
      return;
    }
    this.sendReply(rpc, op.local, result);
  }

  private sendReply(rpc: XmlElement, operation: string, result: OpResult): void {
    const { head, tail } = envelope(rpc);
    let message: OutgoingMessage;
    if (result.stream) {
      message = { body: result.stream(head, tail), ...this.host.faults.takeOneShot(operation, undefined) };
    } else {
      const body = Buffer.from(head + (result.body ?? `<ok xmlns="${NS_BASE}"/>`) + tail, 'utf8');
      message = { body: [body], ...this.host.faults.takeOneShot(operation, body.length) };
    }
    message.onWritten = result.afterWritten;
    this.pipeline.submit(operation, message);
    result.afterQueued?.();
  }

  private sendErrorReply(rpc: XmlElement | undefined, errors: RpcErrorSpec[], operation: string): void {
    const body = errorReply(rpc, errors);
    this.pipeline.submit(operation, { body: [body], ...this.host.faults.takeOneShot(operation, body.length) });
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.subscription?.stop();
    this.subscription = undefined;
    this.pipeline.close();
    // Whatever ended the session, our side of the stream ends too (after queued output).
    this.output.finish();
    this.host.sessionEnded(this, { closeSession: this.closeRequested, killedBy: this.killedBy, reason });
  }
}

function errorReply(rpc: XmlElement | undefined, errors: RpcErrorSpec[]): Buffer {
  const { head, tail } = rpc ? envelope(rpc) : { head: `<rpc-reply xmlns="${NS_BASE}">`, tail: '</rpc-reply>' };
  return Buffer.from(head + errors.map(rpcErrorXml).join('') + tail, 'utf8');
}

function internalError(err: unknown): RpcErrorSpec {
  return rpcError('operation-failed', `simulator error: ${err instanceof Error ? err.message : String(err)}`, {
    type: 'application',
  }).errors[0];
}

/**
 * The reply's start and end tags: same prefix as the <rpc>, its namespace declarations and all
 * its attributes echoed (RFC 6241 4.2), so prefixed attributes keep their bindings.
 */
export function envelope(rpc: XmlElement): { head: string; tail: string } {
  const colon = rpc.name.indexOf(':');
  const qname = colon > 0 ? `${rpc.name.slice(0, colon)}:rpc-reply` : 'rpc-reply';
  let head = `<${qname}`;
  for (const [prefix, uri] of Object.entries(rpc.scope)) {
    if (prefix === 'xml') continue;
    head += prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
  }
  for (const a of rpc.attributeList) head += ` ${a.name}="${escapeAttribute(a.value)}"`;
  return { head: `${head}>`, tail: `</${qname}>` };
}
