/**
 * The simulator as a call-home device (RFC 8071): it dials out to the NETCONF client's
 * listener, then acts as the SSH server or TLS server on that one socket and hands the
 * authenticated stream to the transport-independent session handler. When the connection
 * ends, or the dial fails, it waits `retryDelay` seconds and dials again, like a real device,
 * until stop().
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Server as SshServer, type AuthContext, type Connection, type ParsedKey } from 'ssh2';
import type { Logger } from '../src/index';
import { silentLogger } from './logger';
import { parseFirstKey } from './parse-key';
import { runHandler, simTlsServerOptions, tlsUsername, type SimTlsCredentials, type StreamHandler } from './tls';

export interface SimSshUser {
  password?: string;
  /** Authorized public keys (OpenSSH `ssh-ed25519 AAAA...` lines or PEM). */
  publicKeys?: Array<string | Buffer>;
}

export interface SimSshCredentials {
  /** Host private keys (PEM/OpenSSH text or Buffer); the client pins these. */
  hostKeys: Array<string | Buffer>;
  users: Record<string, SimSshUser>;
}

export interface SimCallhomeOptions {
  /** The NETCONF client's call-home listener. */
  host: string;
  port: number;
  transport: 'ssh' | 'tls';
  handler: StreamHandler;
  ssh?: SimSshCredentials;
  tls?: SimTlsCredentials;
  /** Seconds between a drop (or failed dial) and the next dial (default 5). */
  retryDelay?: number;
  /** Seconds for the TCP connect and the SSH/TLS handshake (default 30). */
  handshakeTimeout?: number;
  logger?: Logger;
}

export interface SimCallhomeEvents {
  /** The TCP connection to the client is up (before the SSH/TLS handshake). */
  dialled: [];
  /** A NETCONF stream was handed to the handler. */
  session: [username: string];
  /** The connection ended; the next dial follows after retryDelay. */
  dropped: [reason: string];
}

export class SimCallhomeDialer extends EventEmitter<SimCallhomeEvents> {
  private readonly options: SimCallhomeOptions;
  private readonly logger: Logger;
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private socket?: net.Socket;
  /** How many times the TCP connection was made. */
  dials = 0;

  constructor(options: SimCallhomeOptions) {
    super();
    if (options.transport === 'ssh' && !options.ssh) throw new Error('SimCallhomeDialer: ssh credentials are required');
    if (options.transport === 'tls' && !options.tls) throw new Error('SimCallhomeDialer: tls credentials are required');
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts dialling (at once). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.dial();
  }

  /** Stops dialling and drops the current connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
  }

  /** Drops the current connection as a device reboot would; dialling goes on. */
  drop(): void {
    this.socket?.destroy();
  }

  private dial(): void {
    if (this.stopped) return;
    const { host, port } = this.options;
    const socket = net.connect({ host, port, noDelay: true });
    this.socket = socket;
    const handshakeMs = (this.options.handshakeTimeout ?? 30) * 1000;
    // Bounds the TCP connect and the handshake; cleared once a NETCONF stream is handed over.
    socket.setTimeout(handshakeMs, () =>
      socket.destroy(new Error(`no connection/handshake within ${handshakeMs / 1000} s`)),
    );
    let reason = 'closed';
    socket.on('error', (err: Error) => {
      reason = err.message;
    });
    socket.once('connect', () => {
      this.dials++;
      this.emit('dialled');
      if (this.options.transport === 'tls') this.serveTls(socket);
      else this.serveSsh(socket);
    });
    socket.once('close', () => {
      if (this.socket === socket) this.socket = undefined;
      this.logger.debug(`sim call home to ${host}:${port}: ${reason}`);
      this.emit('dropped', reason);
      this.scheduleRedial();
    });
  }

  private scheduleRedial(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dial(), (this.options.retryDelay ?? 5) * 1000);
  }

  private serveTls(socket: net.Socket): void {
    const creds = this.options.tls as SimTlsCredentials;
    // A tls.Server that never listens: handing it the socket as a 'connection' gives the full
    // server-side checks (client certificate required, chain, validity) that a bare TLSSocket skips.
    const server = tls.createServer(simTlsServerOptions(creds), (secure) => {
      secure.on('error', (err: Error) => this.logger.debug(`sim call home TLS: ${err.message}`));
      socket.setTimeout(0); // the session has its own life from here
      runHandler(this.options.handler, secure, 'netconf-tls (call home)', this.logger);
      this.emit('session', tlsUsername(secure));
    });
    server.on('tlsClientError', (err: Error) => {
      this.logger.debug(`sim call home TLS: refused the client: ${err.message}`);
      socket.destroy(err);
    });
    server.emit('connection', socket);
  }

  private serveSsh(socket: net.Socket): void {
    const creds = this.options.ssh as SimSshCredentials;
    const server = new SshServer({ hostKeys: creds.hostKeys }, (client) => this.onSshClient(client, socket, creds));
    server.on('error', (err: Error) => this.logger.debug(`sim call home SSH: ${err.message}`));
    server.injectSocket(socket);
  }

  private onSshClient(client: Connection, socket: net.Socket, creds: SimSshCredentials): void {
    let username = '';
    client.on('error', (err: Error) => {
      this.logger.debug(`sim call home SSH: ${err.message}`);
      socket.destroy(err);
    });
    client.on('authentication', (ctx) => {
      if (checkSshAuth(ctx, creds.users)) {
        username = ctx.username;
        ctx.accept();
      } else ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (accept, reject, info) => {
          if (info.name !== 'netconf') return reject();
          const channel = accept();
          socket.setTimeout(0); // the session has its own life from here
          try {
            this.options.handler(channel, username, {
              transport: 'netconf-ssh (call home)',
              sourceHost: socket.remoteAddress,
            });
            this.emit('session', username);
          } catch (err) {
            this.logger.debug(`sim call home SSH: the session handler threw: ${(err as Error).message}`);
            socket.destroy();
          }
        });
      });
    });
  }
}

/** Password or public-key authentication against the configured users. */
export function checkSshAuth(ctx: AuthContext, users: Record<string, SimSshUser>): boolean {
  const user = Object.prototype.hasOwnProperty.call(users, ctx.username) ? users[ctx.username] : undefined;
  if (!user) return false;
  if (ctx.method === 'password') return user.password !== undefined && ctx.password === user.password;
  if (ctx.method !== 'publickey') return false;
  const key = (user.publicKeys ?? []).map(parsePublicKey).find((k) => k?.getPublicSSH().equals(ctx.key.data));
  if (!key) return false;
  // Without a signature the client only asks whether this key would do.
  if (!ctx.signature || !ctx.blob) return true;
  return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
}

function parsePublicKey(text: string | Buffer): ParsedKey | undefined {
  const key = parseFirstKey(text);
  return key instanceof Error ? undefined : key;
}
