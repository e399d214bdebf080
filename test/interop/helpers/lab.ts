/**
 * The netconfd lab as the interop tests see it: its description (lab.json, written by
 * test/interop/lab/start.sh), connections as the admin or the restricted user, state resets,
 * and a few low-level tools (a raw SSH channel, a byte tap) for the framing tests.
 *
 * There is no skip here: if the lab description is missing the tests fail, so a suite that did
 * not reach the server can never look green.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { connectSsh, type SshOptions } from '../../../src/connect';
import { Manager } from '../../../src/manager';
import { RpcError } from '../../../src/errors';
import type { Session } from '../../../src/session/session';
import { sharedYangCache } from '../../../src/schema-loader';
import { YangModuleCache } from '../../../src/yang';

export const LAB_NS = 'urn:example:netconf-lab';
export const TOASTER_NS = 'http://netconfcentral.org/ns/toaster';
export const NC_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const YUMA_NCX_NS = 'http://netconfcentral.org/ns/yuma-ncx';
export const NOTIF_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
export const NC_NOTIF_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';

export interface Lab {
  dir: string;
  host: string;
  sshPort: number;
  runningPort: number;
  tlsPort: number;
  users: { admin: { username: string; password: string }; ro: { username: string; password: string } };
  clientKeys: { ed25519: string; rsa: string };
  knownHosts: string;
  hostFingerprints: string[];
  hostKeys: Record<string, { type: string; base64: string; fingerprint: string }>;
  tls: {
    ca: string;
    cert: string;
    key: string;
    roCert: string;
    roKey: string;
    rogueCert: string;
    rogueKey: string;
    serverCert: string;
    serverName: string;
  };
  callhome: { script: string; sshPort: number; tlsPort: number };
  replay: { script: string; port: number };
  python: { interpreter: string; ncclientClient: string };
  logs: string;
}

let cached: Lab | undefined;

/** The lab description; throws (never skips) when the lab was not started. */
export function lab(): Lab {
  if (cached) return cached;
  const path = process.env.NETCONF_LAB_JSON ?? '/tmp/ncred-lab/lab.json';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `the netconfd lab description ${path} is missing (${(err as Error).message}). ` +
        'Run the suite with `bash test/interop/run.sh`, or start the lab with test/interop/lab/start.sh',
    );
  }
  cached = JSON.parse(text) as Lab;
  return cached;
}

export type Instance = 'candidate' | 'running';
export type Who = 'admin' | 'ro';

export interface ConnectOptions extends Partial<SshOptions> {
  instance?: Instance;
  who?: Who;
  /** Manager reply timeout in seconds (default 30). */
  rpcTimeout?: number;
}

/** SSH options for the lab: password auth, host key checked against the lab's known_hosts. */
export function sshOptions(o: ConnectOptions = {}): SshOptions {
  const l = lab();
  const user = l.users[o.who ?? 'admin'];
  const { instance, who, rpcTimeout, ...rest } = o;
  void who;
  void rpcTimeout;
  return {
    host: l.host,
    port: instance === 'running' ? l.runningPort : l.sshPort,
    username: user.username,
    password: user.password,
    knownHostsFile: l.knownHosts,
    timeout: 20,
    helloTimeout: 20,
    ...rest,
  };
}

export async function connect(o: ConnectOptions = {}): Promise<Manager> {
  const session = await connectSsh(sshOptions(o));
  return new Manager(session, { timeout: o.rpcTimeout ?? 30 });
}

/** Closes managers, ignoring errors (for finally blocks / after hooks). */
export async function closeAll(...managers: Array<Manager | undefined>): Promise<void> {
  const open = managers.filter((m): m is Manager => m !== undefined);
  await Promise.all(open.map((m) => m.close().catch(() => undefined)));
}

/** Runs an RPC that must fail; returns its RpcError (fails the test when it succeeds or fails otherwise). */
export async function rpcError(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error('expected an rpc-error, but the RPC succeeded');
}

/** Ignores rpc-errors with one of these tags (e.g. data-missing when deleting what is not there). */
export async function tolerate(p: Promise<unknown>, ...tags: string[]): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError && tags.includes(err.tag ?? '')) return;
    throw err;
  }
}

export const labFilter = `<lab xmlns="${LAB_NS}"/>`;

/**
 * The module cache every interop test shares, on disk in the lab's directory. netconfd 2.13
 * corrupts its heap when asked for the get-schema of ietf-netconf a second time in its life
 * (README "Quirks"; test/interop/py/getschema_crash.py shows it with ncclient alone): it dies then
 * or a few requests later. So each module is fetched from netconfd once per lab directory.
 */
let diskCache: YangModuleCache | undefined;
export function labYangCache(): YangModuleCache {
  diskCache ??= new YangModuleCache({ directory: path.join(lab().dir, 'yang-cache') });
  return diskCache;
}

/**
 * For tests whose Node-RED nodes load YANG themselves (RFC 7951 output): they use the library's
 * process-wide cache, which starts empty in every test process and would ask netconfd again. This
 * fills the lab's disk cache through one session (fetching only what it lacks), then puts every
 * module of it into the process-wide cache, so the nodes fetch nothing.
 */
export async function seedSharedYangCache(): Promise<void> {
  const m = await connect();
  try {
    await m.loadYang({ cache: labYangCache() });
  } finally {
    await closeAll(m);
  }
  const dir = path.join(lab().dir, 'yang-cache');
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yang')).sort())
    await sharedYangCache.put(await readFile(path.join(dir, file), 'utf8'));
}

/**
 * Candidate instance: candidate and running without /lab, candidate clean. Uses an admin
 * session of its own unless `m` is given.
 */
export async function resetCandidate(m?: Manager): Promise<void> {
  const own = m ?? (await connect());
  try {
    await own.discardChanges();
    const running = await own.getConfig({ source: 'running', filter: labFilter });
    if (/<lab[\s>/]/.test(running.dataXml) || /:lab[\s>/]/.test(running.dataXml)) {
      await own.editConfig(`<lab xmlns="${LAB_NS}" xmlns:nc="${NC_NS}" nc:operation="remove"/>`, {
        target: 'candidate',
      });
      await own.commit();
    }
  } finally {
    if (!m) await own.close();
  }
}

/** Running instance: no /lab. */
export async function resetRunning(m?: Manager): Promise<void> {
  const own = m ?? (await connect({ instance: 'running' }));
  try {
    await own.editConfig(`<lab xmlns="${LAB_NS}" xmlns:nc="${NC_NS}" nc:operation="remove"/>`, { target: 'running' });
  } finally {
    if (!m) await own.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects after `ms` with a message: keeps a wait on the server bounded. */
export async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A raw `netconf` subsystem channel (no Session): for tests that must control the bytes. */
export async function openChannel(o: { instance?: Instance } = {}): Promise<{ channel: Duplex; client: Client }> {
  const l = lab();
  const client = new Client();
  const channel = await new Promise<Duplex>((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () => client.subsys('netconf', (err, stream) => (err ? reject(err) : resolve(stream))));
    client.connect({
      host: l.host,
      port: o.instance === 'running' ? l.runningPort : l.sshPort,
      username: l.users.admin.username,
      password: l.users.admin.password,
      readyTimeout: 20000,
    });
  });
  client.removeAllListeners('error');
  client.on('error', () => undefined);
  return { channel, client };
}

/**
 * A Duplex in front of `inner` that records every byte read, and can hold back the first
 * write (our hello) so it goes out in the same write as the second one (the first RPC).
 */
export class TapStream extends Duplex {
  readonly received: Buffer[] = [];
  readonly writes: Buffer[] = [];
  /** Bytes held back in coalescing mode; null once they went out. */
  private held?: Buffer | null;

  constructor(
    private readonly inner: Duplex,
    private readonly options: { coalesceHelloWithFirstRpc?: boolean } = {},
  ) {
    super();
    inner.on('data', (chunk: Buffer) => {
      this.received.push(chunk);
      this.push(chunk);
    });
    inner.on('end', () => this.push(null));
    inner.on('close', () => this.destroy());
    inner.on('error', (err: Error) => this.destroy(err));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.writes.push(chunk);
    if (this.options.coalesceHelloWithFirstRpc && this.held !== null) {
      // Hold (and acknowledge) everything until the first RPC is complete, then send the hello
      // and that RPC in ONE write, as a client that does not wait would.
      this.held = Buffer.concat([this.held ?? Buffer.alloc(0), chunk]);
      const text = this.held.toString('latin1');
      const rpcAt = text.indexOf('<rpc');
      if (rpcAt >= 0 && (text.endsWith(']]>]]>') || text.endsWith('\n##\n'))) {
        const both = this.held;
        this.held = null;
        this.inner.write(both, callback);
        return;
      }
      callback();
      return;
    }
    this.inner.write(chunk, callback);
  }

  override _destroy(err: Error | null, callback: (err: Error | null) => void): void {
    this.inner.destroy();
    callback(err);
  }

  get receivedBytes(): Buffer {
    return Buffer.concat(this.received);
  }
}

/** Sizes of the chunks (RFC 6242 `\n#N\n` headers) in a base:1.1 byte stream after the hello. */
export function chunkSizes(bytes: Buffer): number[] {
  const text = bytes.toString('latin1');
  const helloEnd = text.indexOf(']]>]]>');
  const sizes: number[] = [];
  let i = helloEnd >= 0 ? helloEnd + 6 : 0;
  while (i < text.length) {
    const m = /^\n#(\d+)\n/.exec(text.slice(i, i + 20));
    if (m) {
      const n = Number(m[1]);
      sizes.push(n);
      i += m[0].length + n;
      continue;
    }
    const end = /^\n##\n/.exec(text.slice(i, i + 4));
    if (end) {
      i += 4;
      continue;
    }
    throw new Error(`not a chunk header at byte ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
  }
  return sizes;
}

export type { Session };

/**
 * Makes the lab "device" call home once (test/interop/lab/callhome.sh; it needs root, so sudo -n
 * is used when the tests do not run as root). The device retries its dial for a few seconds.
 */
export async function deviceCallsHome(transport: 'ssh' | 'tls', port: number): Promise<void> {
  const { execFile } = await import('node:child_process');
  const l = lab();
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? l.callhome.script : 'sudo';
  const args = asRoot
    ? [transport, String(port)]
    : ['-n', 'env', `NETCONF_LAB_DIR=${l.dir}`, l.callhome.script, transport, String(port)];
  await new Promise<void>((resolve, reject) =>
    execFile(cmd, args, { env: { ...process.env, NETCONF_LAB_DIR: l.dir }, timeout: 15000 }, (err, _out, stderr) =>
      err ? reject(new Error(`callhome.sh ${transport} ${port} failed: ${err.message} ${stderr}`)) : resolve(),
    ),
  );
}
