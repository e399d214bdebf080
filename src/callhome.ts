/**
 * NETCONF Call Home (RFC 8071): the device opens the TCP connection, we accept it and are still
 * the SSH/TLS *client* and the NETCONF client on it. netconf_client's CallhomeManager
 * (acceptOne / acceptOneSsh / acceptOneTls), plus a long-lived mode for Node-RED: keep accepting,
 * tell devices apart by their SSH host key or TLS certificate fingerprint, hand each session to
 * whoever registered that identity, and refuse (close) everybody else with a logged reason.
 *
 * Because the device dials in, pinning its key or certificate is the only thing that stops a
 * stranger from posing as it, so unknown identities are always refused.
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { connectSsh, startSession, startTlsSession, type SshOptions, type TlsOptions } from './connect';
import { ConnectError } from './errors';
import { defaultLogger, type Logger } from './logger';
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from './timeout';
import type { Session } from './session/session';
import { withDevice, type CallhomeDevice } from './callhome-device';
import { normaliseFingerprint } from './transport/host-key';
import { openSshStream, type SshIdentify } from './transport/ssh';
import { normaliseTlsFingerprint, openTlsStream } from './transport/tls';

/** IANA ports for call home (RFC 8071). */
export const CALLHOME_SSH_PORT = 4334;
export const CALLHOME_TLS_PORT = 4335;

/** Sockets accepted before anyone called acceptOne() wait this many at most; more are closed. */
const MAX_QUEUED = 16;

export type { CallhomeDevice } from './callhome-device';

export interface CallhomeManagerOptions {
  /** Address to listen on (default: all interfaces). */
  bindTo?: string;
  /** TCP port (default 4334; use 4335 for TLS; 0 = a free port, see `port`). */
  port?: number;
  backlog?: number;
  logger?: Logger;
}

/** Seconds acceptOneSsh/acceptOneTls wait for the device to dial in (default 120). */
export interface AcceptOptions {
  acceptTimeout?: number;
}

export interface RefusedInfo {
  remoteAddress: string;
  /** The SSH host key fingerprint or TLS certificate fingerprint, when it got that far. */
  identity?: string;
  reason: string;
}

export interface CallhomeEvents {
  refused: [RefusedInfo];
  session: [{ identity: string; remoteAddress: string; session: Session }];
}

type Transport = 'ssh' | 'tls';

interface Waiter {
  resolve(sock: net.Socket): void;
  reject(err: Error): void;
}

export class CallhomeManager extends EventEmitter<CallhomeEvents> {
  private readonly options: CallhomeManagerOptions;
  private readonly logger: Logger;
  private server?: net.Server;
  private listening?: Promise<void>;
  private closed = false;
  /** Accepted before anyone asked, with the listener that forgets them if they close meanwhile. */
  private readonly queued: Array<{ sock: net.Socket; onClose: () => void }> = [];
  private readonly waiters = new Set<Waiter>();
  private serving?: { transport: Transport; options: TlsOptions | SshOptions };
  private readonly devices = new Map<string, CallhomeDevice>();
  private readonly sessions = new Map<string, Session>();
  /** Served sockets still in their handshake: closed with the manager. */
  private readonly handshaking = new Set<net.Socket>();

  constructor(options: CallhomeManagerOptions = {}) {
    super();
    this.options = options;
    this.logger = options.logger ?? defaultLogger;
  }

  /** The port actually listened on (differs from the option when it was 0). */
  get port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : (this.options.port ?? CALLHOME_SSH_PORT);
  }

  /** Starts listening; safe to call again. Rejects with ConnectError when the port cannot be bound. */
  listen(): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectError('the call-home manager is closed'));
    this.listening ??= this.startServer().catch((err: unknown) => {
      this.listening = undefined; // let a later call try again
      throw err;
    });
    return this.listening;
  }

  private startServer(): Promise<void> {
    const { bindTo, backlog } = this.options;
    const port = this.options.port ?? CALLHOME_SSH_PORT;
    const where = `${bindTo || '*'}:${port}`;
    const server = net.createServer((sock) => this.onConnection(sock));
    return new Promise<void>((resolve, reject) => {
      server.once('error', (err: Error & { code?: string }) => {
        server.close();
        reject(new ConnectError(`cannot listen for call home on ${where}: ${err.code ?? err.message}`, { cause: err }));
      });
      server.listen({ host: bindTo || undefined, port, backlog }, () => {
        server.removeAllListeners('error');
        server.on('error', (err: Error) => this.logger.debug(`call home listener ${where}: ${err.message}`));
        this.server = server;
        this.logger.debug(`call home: listening on ${bindTo || '*'}:${this.port}`);
        resolve();
      });
    });
  }

  private onConnection(sock: net.Socket): void {
    const remote = describeRemote(sock);
    sock.setNoDelay(true); // NETCONF is request/reply: Nagle would add delayed-ACK stalls to every RPC
    // Whatever happens to the socket later, an 'error' must never go unhandled.
    sock.on('error', (err: Error) => this.logger.debug(`call home ${remote}: ${err.message}`));
    if (this.closed) {
      sock.destroy();
    } else if (this.serving) {
      this.serve1(sock, this.serving.transport, this.serving.options);
    } else if (this.waiters.size > 0) {
      const [waiter] = this.waiters;
      waiter.resolve(sock);
    } else if (this.queued.length < MAX_QUEUED) {
      const onClose = (): void => this.dequeue(sock);
      this.queued.push({ sock, onClose });
      sock.once('close', onClose);
    } else {
      this.refuse(sock, undefined, `more than ${MAX_QUEUED} connections are waiting for acceptOne()`);
    }
  }

  private dequeue(sock: net.Socket): void {
    const i = this.queued.findIndex((q) => q.sock === sock);
    if (i >= 0) this.queued.splice(i, 1);
  }

  /** Takes the queued sockets over, so the queue no longer tracks them. */
  private takeQueued(): net.Socket[] {
    return this.queued.splice(0).map(({ sock, onClose }) => {
      sock.removeListener('close', onClose);
      return sock;
    });
  }

  /** Waits for one device to dial in and returns its raw TCP socket. netconf_client's accept_one. */
  async acceptOne(timeoutArg?: number): Promise<net.Socket> {
    const timeout = timeoutSeconds(timeoutArg, DEFAULT_TIMEOUT_SECONDS, 'acceptOne timeout', this.logger);
    await this.listen();
    if (this.serving) throw new ConnectError('acceptOne() cannot be used once serve() has started');
    const early = this.queued.shift();
    if (early) {
      early.sock.removeListener('close', early.onClose);
      return early.sock;
    }
    return new Promise<net.Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ConnectError(`no call-home connection arrived on port ${this.port} within ${timeout} s`));
      }, timeout * 1000);
      const waiter: Waiter = {
        resolve: (sock) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(sock);
        },
        reject: (err) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(err);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** acceptOne, then SSH over the socket with connectSsh's options (host key verification applies). */
  async acceptOneSsh(options: SshOptions & AcceptOptions): Promise<Session> {
    const sock = await this.acceptOne(options.acceptTimeout);
    return connectSsh({
      ...options,
      sock,
      host: options.host ?? sock.remoteAddress ?? 'callhome',
      peer: options.peer ?? describeRemote(sock),
    });
  }

  /**
   * acceptOne, then TLS over the socket with connectTls's options. The certificate chain is
   * verified as usual; its name only when `host` or `servername` is given (a dialling device has
   * no name we could know).
   */
  async acceptOneTls(options: TlsOptions & AcceptOptions): Promise<Session> {
    const sock = await this.acceptOne(options.acceptTimeout);
    const connection = await openTlsStream({ ...options, sock, peer: options.peer ?? describeRemote(sock) });
    return startTlsSession(connection, options);
  }

  /**
   * Long-lived mode: from now on every device that dials in is identified and handed to the
   * one who registered its identity. For TLS, `options` (our client certificate, the CA) are
   * shared by all devices; for SSH they give timeouts and session options, and each device's
   * credentials come from register().
   */
  async serve(transport: Transport, options: TlsOptions | SshOptions = {}): Promise<void> {
    if (this.serving && this.serving.transport !== transport) {
      throw new ConnectError(`the call-home manager already serves ${this.serving.transport}`);
    }
    this.serving = { transport, options };
    await this.listen();
    for (const waiter of [...this.waiters]) waiter.reject(new ConnectError('serve() took over the call-home listener'));
    for (const sock of this.takeQueued()) this.serve1(sock, transport, options);
  }

  /**
   * Registers a device by its SSH host key fingerprint (`SHA256:...`) or TLS certificate
   * fingerprint (`AB:CD:...`, any case, colons optional). Returns the function that unregisters it.
   */
  register(identity: string, device: CallhomeDevice): () => void {
    const key = normaliseIdentity(identity);
    this.devices.set(key, device);
    return () => {
      if (this.devices.get(key) === device) this.devices.delete(key);
    };
  }

  /** Registered identities, normalised. */
  get identities(): string[] {
    return [...this.devices.keys()];
  }

  private serve1(sock: net.Socket, transport: Transport, options: TlsOptions | SshOptions): void {
    this.handshaking.add(sock);
    const remote = describeRemote(sock);
    const attempt = transport === 'ssh' ? this.serveSsh(sock, remote, options) : this.serveTls(sock, remote, options);
    attempt
      .catch((err: unknown) => this.logger.debug(`call home ${remote}: ${(err as Error).message}`))
      .finally(() => this.handshaking.delete(sock));
  }

  private async serveSsh(sock: net.Socket, remote: string, options: SshOptions): Promise<void> {
    let identity: string | undefined;
    let device: CallhomeDevice | undefined;
    const identify: SshIdentify = (fingerprint) => {
      identity = fingerprint;
      device = this.devices.get(fingerprint);
      if (!device) return { ok: false, reason: `no device is registered for SSH host key ${fingerprint}` };
      return { ok: true, credentials: device.sshOptions ?? {} };
    };
    try {
      const stream = await openSshStream(
        { ...options, sock, host: sock.remoteAddress ?? 'callhome', peer: remote },
        identify,
      );
      // The identity check ran during the handshake, so the device (and its settings) is known now.
      const session = await startSession(stream, withDevice(options, device));
      this.deliver(sock, identity, device, session, remote);
    } catch (err) {
      this.failed(sock, identity, device, err as Error);
    }
  }

  private async serveTls(sock: net.Socket, remote: string, options: TlsOptions): Promise<void> {
    let identity: string | undefined;
    let device: CallhomeDevice | undefined;
    try {
      const connection = await openTlsStream({ ...options, sock, peer: remote });
      identity = connection.fingerprint;
      device = this.devices.get(identity);
      if (!device) {
        connection.stream.destroy();
        this.refuse(sock, identity, `no device is registered for TLS certificate ${identity}`);
        return;
      }
      const session = await startTlsSession(connection, withDevice(options, device));
      this.deliver(sock, identity, device, session, remote);
    } catch (err) {
      this.failed(sock, identity, device, err as Error);
    }
  }

  /** A recognised device failing is its owner's business; anything else is a refusal. */
  private failed(sock: net.Socket, identity: string | undefined, device: CallhomeDevice | undefined, err: Error): void {
    sock.destroy();
    if (device && identity) {
      this.logger.debug(`call home ${identity}: session setup failed: ${err.message}`);
      this.callSafely(() => device?.onError?.(err), identity);
    } else {
      const reason = identity ? `no device is registered for ${identity}` : err.message;
      this.emitRefused({ remoteAddress: sock.remoteAddress ?? 'unknown', identity, reason });
    }
  }

  private deliver(
    sock: net.Socket,
    identity: string | undefined,
    device: CallhomeDevice | undefined,
    session: Session,
    remote: string,
  ): void {
    this.handshaking.delete(sock); // from now on the session owns the socket; close() must not touch it
    // The identity callback ran (or the session would not exist), but the device may have been
    // unregistered or the manager closed while the handshake went on.
    if (!identity || !device || this.closed || this.devices.get(identity) !== device) {
      void session.close();
      this.emitRefused({ remoteAddress: remote, identity, reason: 'the device was unregistered during the handshake' });
      return;
    }
    const old = this.sessions.get(identity);
    this.sessions.set(identity, session);
    session.once('close', () => {
      if (this.sessions.get(identity) === session) this.sessions.delete(identity);
    });
    if (old && !old.closed) {
      this.logger.debug(`call home ${identity}: dialled in again from ${remote}; closing its previous session`);
      void old.close();
    }
    this.logger.debug(`call home ${identity}: new session from ${remote}`);
    this.emit('session', { identity, remoteAddress: remote, session });
    this.callSafely(() => device.onSession(session), identity);
  }

  /** A throwing user callback must not take the listener (or the process) down. */
  private callSafely(fn: () => void, identity: string): void {
    try {
      fn();
    } catch (err) {
      this.logger.debug(`call home ${identity}: device callback threw: ${(err as Error).message}`);
    }
  }

  private refuse(sock: net.Socket, identity: string | undefined, reason: string): void {
    sock.destroy();
    this.emitRefused({ remoteAddress: sock.remoteAddress ?? 'unknown', identity, reason });
  }

  private emitRefused(info: RefusedInfo): void {
    this.logger.debug(
      `call home: refused ${info.remoteAddress}${info.identity ? ` (${info.identity})` : ''}: ${info.reason}`,
    );
    this.emit('refused', info);
  }

  /**
   * Stops listening and drops connections nobody took yet. Sessions already handed out (by the
   * acceptOne* calls or to registered devices) live on until they are closed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.reject(new ConnectError('the call-home manager was closed'));
    for (const sock of this.takeQueued()) sock.destroy();
    for (const sock of this.handshaking) sock.destroy();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // Not waiting for server.close()'s callback: it only fires once every accepted socket,
    // handed-out sessions included, has ended. The listening handle itself is closed now.
    server.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** SSH fingerprints to `SHA256:...`, TLS ones to upper-case hex with colons. */
export function normaliseIdentity(identity: string): string {
  return normaliseTlsFingerprint(identity) ?? normaliseFingerprint(identity);
}

function describeRemote(sock: net.Socket): string {
  const address = sock.remoteAddress ?? 'unknown';
  return `${address.includes(':') ? `[${address}]` : address}:${sock.remotePort ?? '?'} (call home)`;
}
