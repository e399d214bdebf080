/**
 * NETCONF over TLS (RFC 7589), the transport half: mutual TLS with a client certificate; the TLS
 * socket itself is the stream a Session then runs on (src/connect.ts puts the two together). netconf_client's connect_tls, but the server certificate is verified by
 * default (chain AND host name, RFC 6125), TLS 1.3 is allowed, and every failure is a
 * ConnectError that says which check failed.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { ConnectError } from '../errors';
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from '../timeout';
import type { Logger } from '../logger';
import { inputPacer } from './input-pacer';
import type { TransportStream } from './stream';

export const TLS_PORT = 6513;

/** Everything TLS needs to reach and authenticate to a device (keys included); nothing NETCONF. */
export interface TlsTransportOptions {
  /** Host name or address; with `sock`, only used for the host name check and messages. */
  host?: string;
  port?: number;
  /** Our private key: a file path or the PEM text/Buffer. */
  key?: string | Buffer;
  /** Our certificate (chain): a file path or the PEM text/Buffer. */
  cert?: string | Buffer;
  /** CA certificate(s) that sign the server's certificate: paths or PEM text. Default: Node's public roots. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** The name to check the server certificate against (and send as SNI). Default: host. */
  servername?: string;
  /** Verify the server certificate (default true). false is an explicit, logged opt-out. */
  rejectUnauthorized?: boolean;
  /** An already-connected socket to run TLS over (call home). */
  sock?: Duplex;
  /** Seconds to wait for TCP + TLS handshake (default 120, as in netconf_client). */
  timeout?: number;
  /**
   * Our key and certificate (chain) as one PKCS#12 file: a path or its bytes. Node-RED 5's
   * tls-config hands this over (`pfx` + `passphrase`) instead of cert/key.
   */
  pfx?: string | Buffer;
  /** Passphrase of an encrypted private key or of the PKCS#12 file. */
  passphrase?: string;
  /** Lowest TLS version (default TLSv1.2, as RFC 7589 requires). */
  minVersion?: tls.SecureVersion;
  /** Peer description for messages (default `host:port`). */
  peer?: string;
  logger?: Logger;
}

/** A TLS connection that finished its handshake, before NETCONF starts: `stream` is the TLS socket. */
export interface TlsStream extends TransportStream {
  readonly stream: tls.TLSSocket;
  /** SHA-256 fingerprint of the server's certificate (`AB:CD:...`). */
  readonly fingerprint: string;
}

/** SHA-256 fingerprint of a certificate (PEM text, DER bytes or a PEM file path), as Node's `fingerprint256`. */
export function tlsFingerprint(certPemOrDer: string | Buffer): string {
  const input =
    typeof certPemOrDer === 'string' && !certPemOrDer.includes('-----BEGIN')
      ? readFileSync(certPemOrDer)
      : certPemOrDer;
  return new X509Certificate(input).fingerprint256;
}

/** `ab:cd..`, `ABCD..` or `AB:CD..` → `AB:CD:..`; undefined when it is not a SHA-256 hex fingerprint. */
export function normaliseTlsFingerprint(fp: string): string | undefined {
  const hex = fp
    .trim()
    .replace(/^sha-?256:/i, '')
    .replace(/:/g, '');
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return hex.toUpperCase().match(/../g)?.join(':');
}

/** TCP (unless `sock` is given) and the TLS handshake, bounded by `timeout`. Rejects with ConnectError. */
export async function openTlsStream(options: TlsTransportOptions): Promise<TlsStream> {
  const host = options.host;
  if (!host && !options.sock) throw new ConnectError('connectTls: host is required');
  const port = options.port ?? TLS_PORT;
  const peer = options.peer ?? (options.sock ? (host ?? 'callhome') : `${host}:${port}`);
  const verify = options.rejectUnauthorized ?? true;
  if (!verify) options.logger?.debug(`WARNING: TLS server certificate verification is turned off for ${peer}`);
  const connectOptions = buildConnectOptions(options, host, port, verify);
  const timeoutS = timeoutSeconds(options.timeout, DEFAULT_TIMEOUT_SECONDS, 'connect timeout', options.logger);
  // A burst of set-ups (a fleet) starts a few per loop turn, as SSH's do: 500 handshakes begun in
  // one turn answer in one poll phase, and their crypto (done by Node on this thread) is one long turn.
  await inputPacer.turn();
  const socket = startTls(connectOptions, peer, options.sock);
  return new Promise<TlsStream>((resolve, reject) => {
    let settled = false;
    socket.setNoDelay(true); // NETCONF is request/reply: Nagle would add delayed-ACK stalls to every RPC
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('secureConnect', onSecure);
      if (!err) {
        const fingerprint = socket.getPeerCertificate().fingerprint256 ?? '';
        const close = (): void => {
          socket.destroy();
          options.sock?.destroy();
        };
        resolve({ stream: socket, peer, fingerprint, close });
        return;
      }
      socket.destroy();
      options.sock?.destroy();
      reject(err);
    };
    const onSecure = (): void => finish();
    const timer = setTimeout(
      () => finish(new ConnectError(`timed out connecting to ${peer} (TCP or TLS handshake, ${timeoutS} s)`)),
      timeoutS * 1000,
    );
    socket.once('secureConnect', onSecure);
    // Keeps an 'error' after the handshake from ever being unhandled; the Session adds its own.
    socket.on('error', (err: Error) => {
      if (!settled) finish(describeTlsError(err, peer, connectOptions.servername ?? host));
      else options.logger?.debug(`TLS ${peer}: ${err.message}`);
    });
    socket.once('close', () => finish(new ConnectError(`TLS connection to ${peer} closed during the handshake`)));
  });
}

/**
 * tls.connect builds the secure context at once and throws on unusable credentials (a PKCS#12
 * whose passphrase is wrong, a key that does not match): that becomes a ConnectError too.
 */
function startTls(connectOptions: tls.ConnectionOptions, peer: string, sock?: Duplex): tls.TLSSocket {
  try {
    return tls.connect(connectOptions);
  } catch (err) {
    sock?.destroy();
    const what =
      connectOptions.pfx !== undefined ? 'PKCS#12 (pfx): wrong passphrase or not a PKCS#12 file?' : 'key/certificate';
    throw new ConnectError(`TLS to ${peer}: cannot use our ${what} (${(err as Error).message})`, { cause: err });
  }
}

function buildConnectOptions(
  options: TlsTransportOptions,
  host: string | undefined,
  port: number,
  verify: boolean,
): tls.ConnectionOptions {
  // SNI must be a DNS name; Node then checks the certificate against `servername ?? host`.
  const servername = options.servername ?? (host && !isIP(host) ? host : undefined);
  const nameToCheck = options.servername ?? host;
  const base: tls.ConnectionOptions = {
    key: options.key === undefined ? undefined : loadPem(options.key, 'private key'),
    cert: options.cert === undefined ? undefined : loadPem(options.cert, 'certificate'),
    ca: options.ca === undefined ? undefined : [options.ca].flat().map((c) => loadPem(c, 'CA certificate')),
    pfx: options.pfx === undefined ? undefined : loadFile(options.pfx, 'PKCS#12 (pfx)'),
    passphrase: options.passphrase,
    servername,
    rejectUnauthorized: verify,
    minVersion: options.minVersion ?? 'TLSv1.2',
    // A call-home socket has no name we could check: the device is identified by its certificate
    // (chain above, fingerprint in CallhomeManager) unless the caller names it explicitly.
    checkServerIdentity:
      nameToCheck === undefined ? () => undefined : (_name, cert) => tls.checkServerIdentity(nameToCheck, cert),
  };
  // Not paced (unlike SSH, src/transport/paced-socket.ts): a paced Duplex under TLS is wrapped by
  // Node in a JSStreamSocket, which kept a 500-device fleet's loop delay under 100 ms but cost a
  // single session about 18% of its throughput (BENCHMARKS.md, "TLS fleets"); left off.
  if (options.sock) return { ...base, socket: options.sock };
  return { ...base, host, port };
}

/**
 * Servers that check the client certificate after the handshake (TLS 1.3, Node's tls server)
 * just close the connection, without an alert: closing before the <hello> is the sign.
 */
export function closedBeforeHello(peer: string, hasClientCert: boolean, cause: Error): ConnectError {
  const hint = !hasClientCert
    ? "we gave none: set 'cert' and 'key', or 'pfx'"
    : 'is it signed by a CA the server trusts, still valid, and mapped to a NETCONF user?';
  return new ConnectError(
    `TLS to ${peer}: the server closed the connection before its <hello>; it probably refused our client certificate (${hint})`,
    { cause },
  );
}

function loadPem(value: string | Buffer, what: string): string | Buffer {
  if (Buffer.isBuffer(value) || value.includes('-----BEGIN')) return value;
  return loadFile(value, what);
}

/** A Buffer is the content itself; a string is a file path (PKCS#12 is binary: never inline text). */
function loadFile(value: string | Buffer, what: string): string | Buffer {
  if (Buffer.isBuffer(value)) return value;
  try {
    return readFileSync(value);
  } catch (err) {
    throw new ConnectError(`cannot read the TLS ${what} file ${value}: ${(err as Error).message}`, { cause: err });
  }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/** Says which check failed, in words a user can act on. */
export function describeTlsError(err: Error & { code?: string }, peer: string, name: string | undefined): ConnectError {
  const code = err.code ?? '';
  const say = (text: string): ConnectError => new ConnectError(`TLS to ${peer}: ${text}`, { cause: err });
  if (UNTRUSTED.has(code)) {
    return say(`the server certificate is not signed by a trusted CA (${code}); give the CA that signed it as 'ca'`);
  }
  if (code === 'CERT_HAS_EXPIRED') return say('the server certificate has expired (CERT_HAS_EXPIRED)');
  if (code === 'CERT_NOT_YET_VALID') return say('the server certificate is not valid yet (CERT_NOT_YET_VALID)');
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return say(
      `host name mismatch: the server certificate is not valid for '${name ?? '?'}' (${err.message}); set 'servername' to a name it has`,
    );
  }
  const alert = /ALERT_([A-Z_]+)$/.exec(code)?.[1];
  if (alert)
    return say(
      `the server refused the handshake (TLS alert ${alert.toLowerCase().replace(/_/g, ' ')}): ${alertHint(alert)}`,
    );
  if (code.startsWith('ERR_SSL_')) return say(`TLS handshake failed (${code}): ${err.message}`);
  if (code) return say(`cannot connect: ${code} (${err.message})`);
  return say(err.message);
}

function alertHint(alert: string): string {
  if (alert === 'CERTIFICATE_REQUIRED' || alert === 'HANDSHAKE_FAILURE') {
    return "it probably requires a client certificate: give 'cert' and 'key', or 'pfx'";
  }
  if (alert === 'UNKNOWN_CA' || alert === 'BAD_CERTIFICATE' || alert === 'DECRYPT_ERROR') {
    return 'it does not accept our client certificate (signed by a CA it does not trust?)';
  }
  if (alert === 'CERTIFICATE_EXPIRED') return 'our client certificate has expired';
  if (alert === 'PROTOCOL_VERSION') return "no common TLS version (see 'minVersion')";
  return 'see the server log';
}
