/**
 * A NETCONF session over any byte stream (an SSH channel, a TLS socket, an accepted call-home
 * socket): the hello exchange, message-ids, many RPCs in flight, notifications, and a clean end.
 *
 * Replies are matched by message-id (never by order, netconf_client's bug). Writes are issued in
 * call order on one stream, so requests never interleave. Any transport loss or protocol error
 * fails every waiting RPC at once with SessionClosedError: nothing is left hanging.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { NetconfClientError, NetconfProtocolError, RpcError, RpcTimeoutError, SessionClosedError } from '../errors';
import { DEFAULT_MAX_MESSAGE_SIZE, FrameDecoder, encodeMessage, type FramingMode } from '../framing';
import { NS_BASE } from '../namespaces';
import { buildHello, clientCapabilities, hasCommonBase, negotiateFraming, parseServerHello } from './hello';
import { checkEncoding, MessageDecoder, messageKind, readMessage, type IncomingMessage } from './message';
import type { TextSource } from '../xml/sax';
import { Notification } from './notification';
import { wholeText } from './message-text';
import { NotificationQueue, type TakeOptions } from './notification-queue';
import { CoalescingWriter } from './writer';
import { toReplyOrError, type RpcReply } from './reply';
import type { Logger } from '../logger';
import { defaultLogger } from '../logger';
import type { JsonDecoder } from './json-decoder';
import { sessionOptionsOf, type RpcOptions, type SessionOptions } from './options';
import { abortReason, PendingRpcs } from './pending';
import { nudgeRpc } from './nudge';
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from '../timeout';

export type { RpcOptions, SessionOptions } from './options';
const CLOSED_BY_CLIENT = 'session closed by the client';
/** A message in progress is decoded once this many of its bytes have arrived. */
const PARTIAL_DECODE_BYTES = 1024 * 1024;

export interface SessionEvents {
  notification: [Notification];
  close: [Error | undefined];
  warning: [string];
}

export class Session extends EventEmitter<SessionEvents> {
  readonly clientCapabilities: string[];
  serverCapabilities: string[] = [];
  sessionId?: number;
  readonly peer: string;
  private readonly stream: Duplex;
  private readonly decoder: FrameDecoder;
  private readonly options: SessionOptions;
  private readonly logger: Logger;
  private readonly pending = new PendingRpcs();
  /** Given by the owner of the device's YANG (Manager.loadYang()) for the notifications' `json`. */
  private jsonDecoder?: JsonDecoder;
  private readonly queue: NotificationQueue;
  private writeMode: FramingMode = 'eom';
  private nextId = 1;
  private helloDone = false;
  private helloWaiter?: { resolve(): void; reject(err: Error): void };
  /** Messages are handled one after the other, in arrival order, even when one parses slowly. */
  private chain: Promise<void> = Promise.resolve();
  private closedWith?: Error;
  private closing?: Promise<void>;
  /** Bytes received since the hello, to tell a silent server from a slow answer. */
  private bytesSinceHello = 0;
  private nudgeTimer?: NodeJS.Timeout;
  /** A `<close-session>` went out (by close() or by the caller): the end that follows is normal. */
  private closeSessionSent = false;
  /** The decoder of a large message that is still arriving. */
  private inProgress?: MessageDecoder;
  private readonly writer: CoalescingWriter;
  private tornDown = false;

  /** Opens a session on a connected stream: sends our hello and waits for the server's. */
  static async start(stream: Duplex, options: SessionOptions = {}): Promise<Session> {
    const session = new Session(stream, options);
    await session.handshake();
    return session;
  }

  private constructor(stream: Duplex, options: SessionOptions) {
    super();
    this.stream = stream;
    // Only the session's own settings are kept: whatever else the caller's object holds
    // (a password, a key, when it was a connectSsh options object) is not.
    this.options = sessionOptionsOf(options);
    this.peer = options.peer ?? 'netconf-server';
    this.logger = options.logger ?? defaultLogger;
    this.clientCapabilities = clientCapabilities(options.base ?? ['1.0', '1.1'], options.capabilities);
    this.decoder = new FrameDecoder({
      mode: 'eom',
      maxMessageSize: options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE,
    });
    this.writer = new CoalescingWriter(stream, () => this.closedError());
    this.queue = new NotificationQueue(options.notificationQueueSize ?? 10000, (_n, total) =>
      this.notify('warning', `notification queue full: dropped the oldest notification (${total} dropped so far)`),
    );
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    // The end of the stream is handled after the messages received before it: a reply that came
    // just before the server hung up (close-session, kill-session) still reaches its caller.
    stream.on('error', (err: Error) =>
      this.failAfterReceived(new SessionClosedError(`transport error: ${err.message}`, { cause: err })),
    );
    stream.on('end', () => this.failAfterReceived(this.endReason('the server closed the session')));
    stream.on('close', () => this.failAfterReceived(this.endReason('the transport closed')));
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }
  /** Why the session ended, once it has. */
  get closeReason(): Error | undefined {
    return this.closedWith;
  }

  get framing(): FramingMode {
    return this.writeMode;
  }
  /** RPCs waiting for their reply. */
  get pendingCount(): number {
    return this.pending.size;
  }

  private async handshake(): Promise<void> {
    const timeoutMs = timeoutSeconds(this.options.helloTimeout, 30, 'helloTimeout', this.logger) * 1000;
    const serverHello = new Promise<void>((resolve, reject) => {
      this.helloWaiter = { resolve, reject };
    });
    // The hello goes out in a write of its own, and no RPC before it is flushed and the server's hello is
    // in: netconfd leaves an <rpc> unanswered when it arrives in the same read as the client's hello.
    const helloWritten = this.write(buildHello(this.clientCapabilities));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new NetconfProtocolError(`no <hello> from ${this.peer} within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all([serverHello, helloWritten]), timeout]);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.fail(error);
      this.teardown();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closedWith) return;
    if (this.helloDone) this.bytesSinceHello += chunk.length;
    this.decoder.push(chunk);
    try {
      for (let parts = this.decoder.nextParts(); parts; parts = this.decoder.nextParts()) {
        if (!this.helloDone) {
          this.onHello(Buffer.concat(parts).toString('utf8'));
          continue;
        }
        // A message whose beginning was already decoded (see below) is finished here.
        const decoder = this.inProgress ?? new MessageDecoder();
        this.inProgress = undefined;
        decoder.write(parts);
        this.enqueue(decoder.end());
      }
      // Decode a large message's bytes while the rest of it is still arriving.
      if (this.helloDone && this.decoder.partialBytes >= PARTIAL_DECODE_BYTES) {
        (this.inProgress ??= new MessageDecoder()).write(this.decoder.drainPartial());
      }
    } catch (err) {
      this.failAndClose(err);
    }
  }

  private onHello(text: string): void {
    checkEncoding(text);
    const hello = parseServerHello(text, this.options.maxDepth);
    if (!hasCommonBase(this.clientCapabilities, hello.capabilities)) {
      throw new NetconfProtocolError('no common base version with the server');
    }
    this.serverCapabilities = hello.capabilities;
    this.sessionId = hello.sessionId;
    this.helloDone = true;
    // Switch exactly here: bytes after the hello in the same read are already chunked.
    const mode = negotiateFraming(this.clientCapabilities, hello.capabilities);
    this.decoder.setMode(mode);
    this.writeMode = mode;
    this.logger.debug(`session ${hello.sessionId} with ${this.peer} established (${mode} framing)`);
    this.helloWaiter?.resolve();
  }

  private enqueue(text: TextSource): void {
    this.chain = this.chain.then(() => this.handleMessage(text)).catch((err: unknown) => this.failAndClose(err));
  }

  private async handleMessage(text: TextSource): Promise<void> {
    if (this.closedWith) return;
    const message = await readMessage(text, { maxDepth: this.options.maxDepth });
    switch (messageKind(message.root)) {
      case 'rpc-reply':
        return this.onReply(message);
      case 'notification': {
        const notification = new Notification(wholeText(text), message.root, this.jsonDecoder, message.maxDepth);
        this.queue.push(notification);
        this.notify('notification', notification);
        return;
      }
      case 'hello':
        throw new NetconfProtocolError('the server sent a second <hello>');
      default:
        this.notify('warning', `ignored an unexpected <${message.root.name}> message`);
    }
  }

  private onReply(message: IncomingMessage): void {
    const id = message.root.attributes['message-id'];
    const pending = this.pending.answer(id);
    if (!pending) {
      if (id !== undefined && this.pending.forgetLate(id)) {
        return this.logger.debug(`dropped the late reply to message-id ${id} (it had timed out or was aborted)`);
      }
      const why =
        id === undefined
          ? `a reply without message-id was dropped (${this.pending.size} RPCs in flight: it matches none for sure)`
          : `reply with unknown message-id ${id} ignored`;
      if (id === undefined) this.logger.debug(`WARNING: ${this.peer}: ${why}`);
      return this.notify('warning', why);
    }
    const rttMs = performance.now() - pending.sentAt;
    try {
      pending.resolve(toReplyOrError(message, rttMs));
    } catch (err) {
      if (id === undefined && !(err instanceof RpcError)) {
        pending.reject(new NetconfProtocolError('the server sent an <rpc-reply> without message-id'));
      } else pending.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Lets notifications that arrive from now on offer RFC 7951 `json`. Called by the owner of the
   * device's YANG (the Manager); the session never looks inside.
   */
  useJsonDecoder(decoder: JsonDecoder): void {
    this.jsonDecoder = decoder;
  }

  /**
   * Sends one RPC; `operation` is the XML inside `<rpc>` (e.g. `<get-config>...</get-config>`),
   * sent as given (Manager.dispatch checks and converts user input first). Resolves with the
   * reply; rejects with RpcError, RpcTimeoutError, SessionClosedError or the abort reason.
   */
  sendRpc(operation: string, options: RpcOptions = {}): Promise<RpcReply> {
    if (this.closedWith) return Promise.reject(this.closedError());
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    const id = String(this.nextId++);
    const xml = `<rpc xmlns="${NS_BASE}" message-id="${id}">${operation}</rpc>`;
    if (operation.startsWith('<close-session')) this.closeSessionSent = true;
    const seconds = timeoutSeconds(options.timeout, DEFAULT_TIMEOUT_SECONDS, 'RPC timeout', this.logger);
    return new Promise<RpcReply>((resolve, reject) => {
      const timeout = {
        seconds,
        error: () => new RpcTimeoutError(`no reply to message-id ${id} from ${this.peer} within ${seconds} s`),
      };
      this.pending.add(id, { resolve, reject }, { timeout, signal: options.signal });
      this.write(xml).catch((err: unknown) => this.failAndClose(err));
      if (id === '1') this.armNudge(id);
    });
  }

  /** See SessionOptions.firstRpcNudge. */
  private armNudge(firstId: string): void {
    const seconds = this.options.firstRpcNudge ?? 1;
    if (seconds <= 0) return;
    const received = this.bytesSinceHello;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      if (this.closedWith || !this.pending.has(firstId) || this.bytesSinceHello !== received) return;
      const nudgeId = String(this.nextId++);
      this.pending.expectLate(nudgeId);
      this.logger.debug(`no answer yet to the first RPC from ${this.peer}: sending a no-op get-config (${nudgeId})`);
      this.write(nudgeRpc(nudgeId)).catch(() => undefined);
    }, seconds * 1000);
  }

  /** Sends a raw message (framed for the current mode). netconf_client's send_msg. */
  sendMessage(xml: string | Buffer): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedError());
    return this.write(xml);
  }

  private write(message: string | Buffer): Promise<void> {
    return this.writer.write(encodeMessage(message, this.writeMode));
  }

  /** Next notification from the queue; undefined when `timeout` seconds pass with none. */
  takeNotification(options: TakeOptions = {}): Promise<Notification | undefined> {
    return this.queue.takeNotification(options);
  }

  /** Notifications as an async iterator; it ends when the session closes. */
  notifications(signal?: AbortSignal): AsyncGenerator<Notification, void, undefined> {
    return this.queue.iterate(signal);
  }

  /** Notifications dropped because the queue was full. */
  get droppedNotifications(): number {
    return this.queue.dropped;
  }

  /**
   * Ends the session: `<close-session>`, a bounded wait for its reply, then the transport is
   * torn down. Pending RPCs reject with SessionClosedError. Safe to call more than once.
   */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.doClose();
    return this.closing;
  }

  /** After our `<close-session>`, the server ending the stream is the expected end. */
  private endReason(unexpected: string): SessionClosedError {
    return new SessionClosedError(this.closing || this.closeSessionSent ? CLOSED_BY_CLIENT : unexpected);
  }

  /** The stream ended or failed: so does the transport (a server may end the channel, keep the SSH connection). */
  private failAfterReceived(reason: Error): void {
    const end = (): void => {
      this.fail(reason);
      this.teardown();
    };
    if (this.helloDone) this.chain = this.chain.then(end);
    else end();
  }

  private async doClose(): Promise<void> {
    if (!this.closedWith) {
      try {
        const timeout = timeoutSeconds(this.options.closeTimeout, 5, 'closeTimeout', this.logger);
        await this.sendRpc('<close-session/>', { timeout });
      } catch (err) {
        this.logger.debug(`close-session to ${this.peer}: ${(err as Error).message}`);
      }
    }
    this.fail(new SessionClosedError(CLOSED_BY_CLIENT));
    this.teardown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private closedError(): SessionClosedError {
    const reason = this.closedWith;
    if (reason instanceof SessionClosedError) return reason;
    return new SessionClosedError(`session closed: ${reason?.message ?? 'unknown reason'}`, { cause: reason });
  }

  private failAndClose(err: unknown): void {
    const error =
      err instanceof NetconfClientError
        ? err
        : new NetconfProtocolError(err instanceof Error ? err.message : String(err), { cause: err });
    this.fail(error);
    this.teardown();
  }

  /** Marks the session dead and rejects everything that waits on it, once. */
  private fail(reason: Error): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    this.helloWaiter?.reject(reason);
    const closedError = this.closedError();
    this.pending.rejectAll(closedError);
    this.queue.close(closedError);
    this.logger.debug(`session ${this.sessionId ?? '-'} with ${this.peer} ended: ${reason.message}`);
    // A close the client asked for is reported without a reason.
    this.notify('close', reason.message === CLOSED_BY_CLIENT ? undefined : reason);
  }

  /**
   * Emits to the application's listeners. A listener that throws must not take the session (or,
   * from inside a socket callback, the whole process) down with it: the error is logged instead.
   */
  private notify<K extends keyof SessionEvents>(event: K, ...args: SessionEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: SessionEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.logger.debug(
        `a '${String(event)}' listener of session ${this.sessionId ?? '-'} threw: ${(err as Error).message}`,
      );
    }
  }

  /** Destroys the stream and closes the transport below it, once, whichever end came first. */
  private teardown(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    this.stream.destroy();
    this.options.closeTransport?.();
  }
}
