/**
 * Connecting = a transport (src/transport/: SSH, TLS; yields a connected stream) + a NETCONF
 * session started on that stream (src/session/). This is the only place the two meet, and the
 * only place where one options object is split into the transport's part (host, credentials,
 * keys: they stay in the transport) and the session's part (which holds no secret).
 */
import { SessionClosedError } from './errors';
import { startKeepalive, type KeepaliveOptions } from './session/keepalive';
import { sessionOptionsOf } from './session/options';
import { Session, type SessionOptions } from './session/session';
import { openSshStream, type SshTransportOptions } from './transport/ssh';
import type { TransportStream } from './transport/stream';
import {
  closedBeforeHello,
  describeTlsError,
  openTlsStream,
  type TlsStream,
  type TlsTransportOptions,
} from './transport/tls';

/** connectSsh's options: the SSH transport's and the session's, in one object (as documented). */
export interface SshOptions extends SshTransportOptions, SessionOptions, KeepaliveOptions {}

/** connectTls's options: the TLS transport's and the session's, in one object (as documented). */
export interface TlsOptions extends TlsTransportOptions, SessionOptions, KeepaliveOptions {}

/** Starts NETCONF on a transport's stream; the session tears the transport down when it ends. */
export async function startSession(
  transport: TransportStream,
  options: SessionOptions & KeepaliveOptions = {},
): Promise<Session> {
  const { closeTransport } = options;
  const session = await Session.start(transport.stream, {
    ...sessionOptionsOf(options),
    peer: transport.peer,
    closeTransport: () => {
      transport.close();
      closeTransport?.();
    },
  });
  startKeepalive(session, options.netconfKeepalive ?? 0, {
    peer: transport.peer,
    logger: options.logger,
    onActivity: (listener) => transport.stream.on('data', listener),
    // Reported as a stream error, the session ends like on any transport failure (pending calls
    // reject with it); destroy() alone would look like a normal end (an ssh2 channel emits no error).
    kill: (reason) => {
      transport.stream.emit('error', reason);
      transport.stream.destroy();
      transport.close();
      closeTransport?.();
    },
  });
  return session;
}

/** Connects over SSH and opens a NETCONF session. Rejects with ConnectError on any connection failure. */
export async function connectSsh(options: SshOptions): Promise<Session> {
  return startSession(await openSshStream(options), options);
}

/** Connects over TLS and opens a NETCONF session. Rejects with ConnectError on any connection failure. */
export async function connectTls(options: TlsOptions): Promise<Session> {
  return startTlsSession(await openTlsStream(options), options);
}

/**
 * Runs NETCONF over a handshaken TLS socket; a refusal that only shows up now (TLS 1.3) becomes a
 * ConnectError. `options.cert`/`pfx` only tell whether we offered a client certificate, for the message.
 */
export async function startTlsSession(
  transport: TlsStream,
  options: SessionOptions & { cert?: unknown; pfx?: unknown } = {},
): Promise<Session> {
  const { stream: socket, peer } = transport;
  // With TLS 1.3 the client finishes its handshake before the server has checked our
  // certificate, so the server's refusal arrives as an alert during the hello exchange.
  let transportError: Error | undefined;
  const remember = (err: Error): void => {
    transportError ??= err;
  };
  socket.on('error', remember);
  try {
    return await startSession(transport, options);
  } catch (err) {
    // A reset right after the handshake is the same refusal, when the server's RST beats its alert.
    const reset =
      transportError && ['ECONNRESET', 'EPIPE'].includes((transportError as NodeJS.ErrnoException).code ?? '');
    if (transportError && !reset) throw describeTlsError(transportError, peer, undefined);
    if (reset || err instanceof SessionClosedError)
      throw closedBeforeHello(peer, options.cert !== undefined || options.pfx !== undefined, err as Error);
    throw err;
  } finally {
    socket.removeListener('error', remember);
  }
}
