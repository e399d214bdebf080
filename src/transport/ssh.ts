/**
 * NETCONF over SSH (RFC 6242), the transport half: an ssh2 client up to the opened `netconf`
 * subsystem channel, which is the stream a Session then runs on (src/connect.ts puts the two
 * together). netconf_client's connect_ssh, plus host key verification (on by default), keys from
 * a path or PEM text, keyboard-interactive, an agent, keepalives and an already-open socket.
 * Passwords and keys are used here and go no further up.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import { Client, type AnyAuthMethod, type ConnectConfig } from 'ssh2';
import { ConnectError } from '../errors';
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from '../timeout';
import type { Logger } from '../logger';
import { keyType, sshFingerprint, verifyHostKey, type HostKeyVerdict } from './host-key';
import { describeAlgorithmMismatch, ServerOffer, ssh2Algorithms, type SshAlgorithms } from './ssh-algorithms';
import { forwardRefused, openJumpChain, type HopDial, type OpenHop, type SshJumpHost } from './ssh-jump';
import { inputPacer } from './input-pacer';
import { pacedConnection, PacedSocket } from './paced-socket';
import type { TransportStream } from './stream';

/** Everything SSH needs to reach and authenticate to a device (secrets included); nothing NETCONF. */
export interface SshTransportOptions {
  /** Host name or address; only informative when `sock` is given. */
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  /** A private key: a file path, or the key itself (PEM/OpenSSH text or Buffer). */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** SSH agent socket path, or true for $SSH_AUTH_SOCK. */
  agent?: string | boolean;
  /** The server's key fingerprint as OpenSSH prints it (`SHA256:...`), or several. */
  hostFingerprint?: string | string[];
  /** An OpenSSH known_hosts file to verify the server's key against. */
  knownHostsFile?: string;
  /** Record unknown hosts' keys into `knownHostsFile` (trust on first use; default false). */
  trustOnFirstUse?: boolean;
  /** Verify the server's host key (default true). false is an explicit, logged opt-out. */
  verifyHostKey?: boolean;
  /** Seconds to wait for TCP + SSH handshake + authentication (default 120, as in netconf_client). */
  timeout?: number;
  /** Seconds between SSH keepalives; 0 = none (default). */
  keepaliveInterval?: number;
  /** An already-connected socket to run SSH over (call home). */
  sock?: Duplex;
  /**
   * SSH jump hosts (bastions), in order: the first is dialled directly, each next one (and
   * finally the device) is reached through a forwarded channel of the previous one, like
   * OpenSSH's ProxyJump. Each hop's host key is verified like the device's. Ignored with `sock`.
   */
  jumpHosts?: SshJumpHost[];
  /** Algorithms to add, remove or restrict (ssh2's shape); default ssh2's secure defaults. */
  algorithms?: SshAlgorithms;
  /** Peer description for messages (default `host:port`). */
  peer?: string;
  logger?: Logger;
}

/** The credentials part of SshTransportOptions: what call home picks per device after the host key check. */
export type SshCredentials = Pick<SshTransportOptions, 'username' | 'password' | 'privateKey' | 'passphrase' | 'agent'>;

/**
 * Call home: the device is told apart by its host key, so the key decides (before any
 * authentication) whether to go on and with which device's credentials.
 */
export type SshIdentify = (
  fingerprint: string,
  keyType: string,
) => { ok: true; credentials: SshCredentials } | { ok: false; reason: string };

export type Verdict = HostKeyVerdict & { fingerprint: string; type: string };

/**
 * Connects, authenticates and opens the `netconf` subsystem; resolves with that channel. With
 * `identify`, the host key picks the credentials (ssh2's authHandler runs after the key check).
 * Rejects with ConnectError on any failure.
 */
export async function openSshStream(options: SshTransportOptions, identify?: SshIdentify): Promise<TransportStream> {
  const host = options.host ?? (options.sock ? 'callhome' : undefined);
  if (!host) throw new ConnectError('connectSsh: host is required');
  const port = options.port ?? 830;
  const peer = options.peer ?? `${host}:${port}`;
  if (!(options.verifyHostKey ?? true))
    options.logger?.debug(`WARNING: host key verification is turned off for ${peer}`);
  // A burst of connections (a fleet) starts a few per loop turn, not all in one.
  await inputPacer.turn();
  const hops = options.sock ? [] : (options.jumpHosts ?? []);
  const chain =
    hops.length > 0
      ? await openJumpChain(hops, { host, port, peer }, (d) => dialHop(d, options), options.logger)
      : undefined;
  const check = hostKeyCheck(options, host, port, identify);
  const client = new Client();
  const sock = chain?.sock ?? options.sock;
  let channel: Duplex;
  try {
    channel = await openSshChannel(client, sshConfig({ ...options, sock }, host, port, check), {
      peer: chain ? `${peer} (through ${chain.description})` : peer,
      username: options.username ?? 'netconf',
      password: options.password,
      verdict: () => check.verdict,
      open: netconfSubsystem,
    });
  } catch (err) {
    chain?.close();
    throw err;
  }
  // From here on the Session reports failures; the client must still never throw unhandled.
  client.removeAllListeners('error');
  client.removeAllListeners('close');
  client.on('error', (err: Error) => options.logger?.debug(`SSH ${peer}: ${err.message}`));
  client.on('close', () => {
    channel.destroy();
    chain?.close();
  });
  // One NETCONF session per connection: when its channel ends, so does the connection (a server
  // may close the channel and keep the connection, which would otherwise stay open for good).
  channel.on('close', () => close());
  const close = (): void => {
    client.end();
    // The hops close once the device's connection has (above); this is the bound on that.
    if (chain) setTimeout(() => chain.close(), 2000).unref();
  };
  return { stream: channel, peer, fingerprint: check.verdict?.fingerprint ?? '', close };
}

/** Connects to one jump host (over the previous hop's channel) and opens its forwarded channel to the next. */
async function dialHop(d: HopDial, device: SshTransportOptions): Promise<OpenHop> {
  const port = d.hop.port ?? 22;
  // The hop's own credentials and host key settings; timeouts and keepalives as for the device.
  const hopOptions: SshTransportOptions = {
    ...d.hop,
    port,
    sock: d.sock,
    timeout: device.timeout,
    keepaliveInterval: device.keepaliveInterval,
  };
  if (!(d.hop.verifyHostKey ?? true))
    device.logger?.debug(`WARNING: host key verification is turned off for ${d.name}`);
  const check = hostKeyCheck(hopOptions, d.hop.host, port);
  const client = new Client();
  const forwarded = await openSshChannel(client, sshConfig(hopOptions, d.hop.host, port, check), {
    peer: d.name,
    username: d.hop.username ?? 'netconf',
    password: d.hop.password,
    verdict: () => check.verdict,
    open: (c, name, done) =>
      c.forwardOut('127.0.0.1', 0, d.next.host, d.next.port, (err, stream) =>
        err ? done(forwardRefused(name, d.next.name, err)) : done(undefined, stream),
      ),
  });
  client.removeAllListeners('error');
  client.removeAllListeners('close');
  client.on('error', (err: Error) => device.logger?.debug(`SSH ${d.name}: ${err.message}`));
  return {
    forwarded,
    end: () => client.end(),
    onClose: (listener) => client.once('close', listener),
  };
}

/** Opens the `netconf` subsystem on a ready client. */
function netconfSubsystem(client: Client, peer: string, done: (err: Error | undefined, stream?: Duplex) => void): void {
  client.subsys('netconf', (err, stream) => {
    if (err) done(new ConnectError(`${peer} refused the netconf SSH subsystem: ${err.message}`, { cause: err }));
    else done(undefined, stream);
  });
}

/** The host key check (and, for call home, the choice of credentials it implies), remembering its verdict. */
export interface HostKeyCheck {
  verdict?: Verdict;
  /** Auth methods chosen by `identify`, consumed by ssh2's authHandler. */
  authMethods: AnyAuthMethod[];
  identified: boolean;
  verify(key: Buffer): boolean;
}

export function hostKeyCheck(
  options: SshTransportOptions,
  host: string,
  port: number,
  identify?: SshIdentify,
): HostKeyCheck {
  const check: HostKeyCheck = {
    authMethods: [],
    identified: identify !== undefined,
    verify: (key) => {
      const seen = { fingerprint: sshFingerprint(key), type: keyType(key) };
      if (identify) {
        let found = identify(seen.fingerprint, seen.type);
        try {
          if (found.ok) check.authMethods = identifiedAuthMethods(found.credentials);
        } catch (err) {
          found = { ok: false, reason: (err as Error).message }; // an unreadable key file must not throw inside ssh2
        }
        check.verdict = { ...(found.ok ? { ok: true } : found), ...seen };
        return found.ok;
      }
      const { verifyHostKey: verify = true, hostFingerprint, knownHostsFile, trustOnFirstUse, logger } = options;
      const policy = { verifyHostKey: verify, hostFingerprint, knownHostsFile, trustOnFirstUse, host, port, logger };
      const result = verifyHostKey(policy, key);
      check.verdict = { ...result, ...seen };
      return result.ok;
    },
  };
  return check;
}

export function sshConfig(
  options: SshTransportOptions,
  host: string,
  port: number,
  check: HostKeyCheck,
): ConnectConfig {
  return {
    algorithms: ssh2Algorithms(options.algorithms),
    host,
    port,
    username: options.username ?? 'netconf',
    password: options.password,
    passphrase: options.passphrase,
    privateKey: options.privateKey === undefined ? undefined : loadPrivateKey(options.privateKey),
    agent: options.agent === true ? process.env.SSH_AUTH_SOCK : options.agent || undefined,
    tryKeyboard: options.password !== undefined,
    readyTimeout: timeoutSeconds(options.timeout, DEFAULT_TIMEOUT_SECONDS, 'connect timeout', options.logger) * 1000,
    keepaliveInterval: (options.keepaliveInterval ?? 0) * 1000,
    keepaliveCountMax: 3,
    sock: options.sock,
    // Returning false tells ssh2 that every method failed (its typings only know next()).
    authHandler: check.identified
      ? (_methodsLeft, _partial, next) => {
          const method = check.authMethods.shift();
          return method ? next(method) : false;
        }
      : undefined,
    hostVerifier: (key: Buffer) => check.verify(key),
  };
}

/** What openSshChannel needs besides the config: names for messages, and what to open once ready. */
export interface ChannelContext {
  peer: string;
  username: string;
  password?: string;
  verdict(): Verdict | undefined;
  /** Opens the wanted channel on the ready client (the netconf subsystem, a forwarded TCP channel). */
  open(client: Client, peer: string, done: (err: Error | undefined, stream?: Duplex) => void): void;
}

/** Runs the ssh2 connection up to the channel `ctx.open` opens; every failure a ConnectError. */
export function openSshChannel(client: Client, config: ConnectConfig, ctx: ChannelContext): Promise<Duplex> {
  const { peer } = ctx;
  const offer = new ServerOffer();
  let handshaking = true;
  const debug = offer.hook();
  return new Promise<Duplex>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => {
      // Devices that only offer keyboard-interactive ask for the password this way.
      finish(prompts.map(() => ctx.password ?? ''));
    });
    client.on('error', (err: Error & { level?: string }) =>
      fail(describeSshError(err, peer, ctx.username, ctx.verdict(), offer)),
    );
    client.on('close', () => fail(new ConnectError(`SSH connection to ${peer} closed during setup`)));
    client.on('ready', () => {
      handshaking = false;
      // RPCs are small messages that wait for their answer: with Nagle's algorithm and the
      // server's delayed ACK each one would sit ~40 ms in the socket (22 RPCs/s instead of 2000).
      client.setNoDelay(true);
      ctx.open(client, peer, (err, stream) => {
        if (err || !stream) return fail(err ?? new ConnectError(`${peer}: no channel`));
        settled = true;
        resolve(stream);
      });
    });
    let sock: Readable | undefined;
    try {
      sock = pacedSock(config);
      // The server's algorithm offer is only in ssh2's debug lines, and only needed until the handshake is done.
      client.connect({ ...config, sock, debug: (line) => (handshaking ? debug(line) : undefined) });
    } catch (err) {
      sock?.destroy();
      fail(new ConnectError(`cannot connect to ${peer}: ${(err as Error).message}`, { cause: err }));
    }
  });
}

/**
 * The stream ssh2 runs on. TCP sockets (our own connection, a call-home socket) get their input
 * paced (src/transport/paced-socket.ts), so that many connections receiving at once share the
 * event loop; a jump host's forwarded channel is used as it is (its bytes arrive through the
 * first hop's paced socket).
 */
function pacedSock(config: ConnectConfig): Readable {
  if (config.sock === undefined) return pacedConnection(config.host ?? 'localhost', config.port ?? 22);
  if (config.sock instanceof Socket) return new PacedSocket(config.sock);
  return config.sock;
}

/** The auth attempts ssh2 would make from a config, in its order, for credentials known only after the key check. */
function identifiedAuthMethods(c: SshCredentials): AnyAuthMethod[] {
  const username = c.username ?? 'netconf';
  const methods: AnyAuthMethod[] = [{ type: 'none', username }];
  if (c.password !== undefined) methods.push({ type: 'password', username, password: c.password });
  if (c.privateKey !== undefined) {
    methods.push({ type: 'publickey', username, key: loadPrivateKey(c.privateKey), passphrase: c.passphrase });
  }
  const agent = c.agent === true ? process.env.SSH_AUTH_SOCK : c.agent || undefined;
  if (agent) methods.push({ type: 'agent', username, agent });
  if (c.password !== undefined) {
    const password = c.password;
    methods.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => password)),
    });
  }
  return methods;
}

function loadPrivateKey(key: string | Buffer): Buffer | string {
  if (Buffer.isBuffer(key)) return key;
  if (key.includes('-----BEGIN')) return key;
  try {
    return readFileSync(key);
  } catch (err) {
    throw new ConnectError(`cannot read the private key file ${key}: ${(err as Error).message}`, { cause: err });
  }
}

function describeSshError(
  err: Error & { level?: string; code?: string },
  peer: string,
  username: string,
  verdict: Verdict | undefined,
  offer: ServerOffer,
): ConnectError {
  if (verdict && !verdict.ok) {
    return new ConnectError(
      `host key verification failed for ${peer}: ${verdict.reason}. The server presented ${verdict.type} key ` +
        `${verdict.fingerprint}; if that is the device's key, pin it as hostFingerprint (or set verifyHostKey: false ` +
        `to skip the check)`,
      { cause: err, fingerprint: verdict.fingerprint, reason: 'host-key' },
    );
  }
  const mismatch = err.level === 'handshake' ? describeAlgorithmMismatch(err.message, peer, offer) : undefined;
  if (mismatch) return new ConnectError(mismatch, { cause: err });
  if (err.level === 'client-authentication') {
    return new ConnectError(`SSH authentication failed for user '${username}' on ${peer} (wrong password or key?)`, {
      cause: err,
      reason: 'auth',
    });
  }
  if (err.level === 'client-timeout') {
    return new ConnectError(`timed out connecting to ${peer} (TCP, SSH handshake or authentication)`, {
      cause: err,
      reason: 'timeout',
    });
  }
  if (err.code)
    return new ConnectError(`cannot connect to ${peer}: ${err.code} (${err.message})`, {
      cause: err,
      reason: 'network',
    });
  return new ConnectError(`SSH to ${peer} failed: ${err.message}`, { cause: err });
}
