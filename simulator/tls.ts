/**
 * The simulator's NETCONF-over-TLS listener (RFC 7589): mutual TLS, a client certificate is
 * required and must chain to the configured CA. The NETCONF username is the client
 * certificate's CN (a simplified cert-to-name mapping, as in the netconfd lab). Each
 * authenticated TLS socket is handed to a transport-independent stream handler, normally the
 * simulator's per-connection server.
 */
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { Logger } from '../src/index';
import { silentLogger } from './logger';

/** How the stream came in, for the simulator's session list (ietf-netconf-monitoring). */
export interface StreamDetails {
  transport?: string;
  sourceHost?: string;
}

/**
 * Runs one NETCONF server session over an authenticated stream; NetconfSimulator's
 * `serveStream` fits: `handler: (s, u, d) => sim.serveStream(s, u, d)`.
 */
export type StreamHandler = (stream: Duplex, username: string, details: StreamDetails) => void;

export interface SimTlsCredentials {
  /** Our (server) private key and certificate: PEM text or Buffer. */
  key: string | Buffer;
  cert: string | Buffer;
  /** CA(s) that client certificates must chain to. */
  ca: string | Buffer | Array<string | Buffer>;
}

export interface SimTlsListenerOptions extends SimTlsCredentials {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 6513; 0 = a free port (see `port` of the result). */
  port?: number;
  handler: StreamHandler;
  /** Seconds a client gets to finish the TLS handshake (default 30). */
  handshakeTimeout?: number;
  logger?: Logger;
}

export interface SimTlsListener {
  readonly port: number;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** TLS server options shared by the listener and the call-home dialer. */
export function simTlsServerOptions(creds: SimTlsCredentials): tls.TlsOptions {
  return {
    key: creds.key,
    cert: creds.cert,
    ca: creds.ca === undefined ? undefined : [creds.ca].flat(),
    requestCert: true,
    rejectUnauthorized: true, // no certificate, or one from another CA or expired: refused in the handshake
    minVersion: 'TLSv1.2',
  };
}

/** The NETCONF username of an authenticated TLS client: its certificate's CN. */
export function tlsUsername(socket: tls.TLSSocket): string {
  const cn = socket.getPeerCertificate().subject?.CN;
  return (Array.isArray(cn) ? cn[0] : cn) || 'netconf';
}

export async function startSimTlsListener(options: SimTlsListenerOptions): Promise<SimTlsListener> {
  const logger = options.logger ?? silentLogger;
  const server = tls.createServer({
    ...simTlsServerOptions(options),
    noDelay: true,
    handshakeTimeout: (options.handshakeTimeout ?? 30) * 1000,
  });
  const sockets = new Set<tls.TLSSocket>();
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err: Error) => logger.debug(`sim TLS ${socket.remoteAddress}: ${err.message}`));
    runHandler(options.handler, socket, 'netconf-tls', logger);
  });
  // A client that fails the handshake (no or bad certificate) is the normal refusal path.
  server.on('tlsClientError', (err: Error) => logger.debug(`sim TLS: refused a client: ${err.message}`));
  server.on('error', (err: Error) => logger.debug(`sim TLS listener: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 6513, options.host ?? '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler that throws must not take the simulator down. */
export function runHandler(handler: StreamHandler, socket: tls.TLSSocket, transport: string, logger: Logger): void {
  try {
    handler(socket, tlsUsername(socket), { transport, sourceHost: socket.remoteAddress });
  } catch (err) {
    logger.debug(`sim TLS: the session handler threw: ${(err as Error).message}`);
    socket.destroy();
  }
}
