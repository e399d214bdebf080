/**
 * SSH jump hosts (bastions), OpenSSH's ProxyJump: hop 1 is dialled over TCP; on each hop a
 * `direct-tcpip` channel (ssh2 forwardOut) is opened to the next hop, whose SSH connection then
 * runs over that channel (ssh2's `sock` option), and the last hop's channel leads to the device.
 * Every hop's host key is verified like the device's. Errors name the hop that failed.
 */
import type { Duplex } from 'node:stream';
import { ConnectError } from '../errors';
import type { Logger } from '../logger';
import type { SshAlgorithms } from './ssh-algorithms';

/** One jump host: where it is, how to log in, how its host key is verified. */
export interface SshJumpHost {
  host: string;
  /** Default 22. */
  port?: number;
  /** Default 'netconf' (as for the device); bastions usually want the user's own name. */
  username?: string;
  password?: string;
  /** A private key: a file path, or the key itself (PEM/OpenSSH text or Buffer). */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** SSH agent socket path, or true for $SSH_AUTH_SOCK. */
  agent?: string | boolean;
  /** The hop's host key fingerprint (`SHA256:...`), or several. */
  hostFingerprint?: string | string[];
  knownHostsFile?: string;
  /** Verify this hop's host key (default true). */
  verifyHostKey?: boolean;
  algorithms?: SshAlgorithms;
}

/** What one hop needs to be dialled: the hop's settings, and the socket to run over (none for hop 1). */
export interface HopDial {
  hop: SshJumpHost;
  /** `jump host 1 (10.0.0.1:22)`: how messages name the hop. */
  name: string;
  sock?: Duplex;
  /** Where the hop's forwarded channel must lead. */
  next: { host: string; port: number; name: string };
}

/** A connected hop: the channel it forwards to the next, and how to end its SSH connection. */
export interface OpenHop {
  forwarded: Duplex;
  end(): void;
  /** Called once when the hop's SSH connection closes. */
  onClose(listener: () => void): void;
}

export interface JumpChain {
  /** The last hop's channel to the device: the device's SSH runs over it. */
  sock: Duplex;
  /** `jump host 1 (a:22) -> jump host 2 (b:22)`. */
  description: string;
  /** Ends every hop's connection, last hop first. Safe to call more than once. */
  close(): void;
}

/** Opens every hop in order with `dial` (ssh.ts's ssh2 client); closes the opened ones if one fails. */
export async function openJumpChain(
  hops: readonly SshJumpHost[],
  target: { host: string; port: number; peer: string },
  dial: (d: HopDial) => Promise<OpenHop>,
  logger?: Logger,
): Promise<JumpChain> {
  const names = hops.map((hop, i) => `jump host ${i + 1} (${hop.host}:${hop.port ?? 22})`);
  const opened: OpenHop[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const hop of [...opened].reverse()) hop.end();
  };
  let sock: Duplex | undefined;
  for (const [i, hop] of hops.entries()) {
    if (!hop.host) {
      close();
      throw new ConnectError(`${names[i]}: host is required`);
    }
    const next = hops[i + 1];
    const to = next
      ? { host: next.host, port: next.port ?? 22, name: names[i + 1] }
      : { host: target.host, port: target.port, name: `the device ${target.peer}` };
    try {
      const open = await dial({ hop, name: names[i], sock, next: to });
      opened.push(open);
      // A hop that goes away takes everything behind it along.
      open.onClose(close);
      sock = open.forwarded;
      logger?.debug(`SSH ${names[i]} is up, forwarding to ${to.name}`);
    } catch (err) {
      close();
      throw markHop(err, i + 1);
    }
  }
  if (!sock) throw new ConnectError('openJumpChain: no jump host given');
  return { sock, description: names.join(' -> '), close };
}

/** Which jump host (1-based) a connect error is about; undefined for the device itself or any other error. */
const HOP = Symbol('jump host');

function markHop(err: unknown, hop: number): unknown {
  if (err instanceof Error) Object.defineProperty(err, HOP, { value: hop });
  return err;
}

/** The 1-based number of the jump host a ConnectError is about; undefined when it is about the device. */
export function failedJumpHost(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const hop: unknown = (err as Error & { [HOP]?: number })[HOP];
  return typeof hop === 'number' ? hop : undefined;
}

/** The error for a hop that connected but would not open the forwarded channel (AllowTcpForwarding no). */
export function forwardRefused(name: string, to: string, err: Error): ConnectError {
  return new ConnectError(
    `${name} refused to forward the connection to ${to}: ${err.message} ` +
      `(the jump host must allow TCP forwarding, e.g. AllowTcpForwarding yes in its sshd_config)`,
    { cause: err },
  );
}
