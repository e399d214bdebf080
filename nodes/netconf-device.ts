/**
 * netconf-device: the config node that owns a device's NETCONF session (SSH, TLS, or call home
 * over either), shared by every node that uses it; plus the editor's "Test connection" and
 * "Fetch fingerprint" admin endpoints.
 */
import {
  ConnectError,
  connectSsh,
  connectTls,
  Manager,
  sharedYangCache,
  type Logger,
  type Session,
  type SshOptions,
  type TlsOptions,
} from '../src/index';
import { isCallhomeApi, type CallhomeApi } from './shared/callhome-api';
import { DeviceConnection, toError } from './shared/connection';
import type { DeviceApi } from './shared/device-api';
import { errorCode } from './shared/message';
import type { AdminRequest, AdminResponse, Node, NodeAPI, NodeDef, TlsConfigNode } from './shared/red-types';

const TRANSPORTS = ['ssh', 'tls', 'callhome-ssh', 'callhome-tls'] as const;
type Transport = (typeof TRANSPORTS)[number];

interface DeviceDef extends NodeDef {
  host?: string;
  port?: string | number;
  transport?: string;
  hostFingerprint?: string;
  verifyHostKey?: boolean | string;
  tls?: string;
  callhome?: string;
  identity?: string;
  connectTimeout?: string | number;
  rpcTimeout?: string | number;
  keepalive?: string | number;
  reconnectMax?: string | number;
  queueSize?: string | number;
  queueTimeout?: string | number;
}

interface DeviceCredentials {
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** Everything needed to open a session, normalised from the node's properties. */
interface DeviceSettings {
  transport: Transport;
  host: string;
  port: number;
  hostFingerprint?: string;
  verifyHostKey: boolean;
  tls?: string;
  callhome?: string;
  identity?: string;
  /** Seconds. */
  connectTimeout: number;
  rpcTimeout: number;
  keepalive: number;
  reconnectMax: number;
  queueSize: number;
  queueTimeout: number;
  credentials: DeviceCredentials;
}

type DeviceNode = Node<DeviceCredentials> & DeviceApi & { label: string; connection: DeviceConnection };
type Opener = (signal: AbortSignal) => Promise<Session>;

/** The placeholder the editor sends for a secret it has but did not change. */
const UNCHANGED_SECRET = '__PWRD__';
/** Upper bound on the editor's "Test connection" (seconds). */
const TEST_TIMEOUT_MAX = 30;

function positive(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function readSettings(def: DeviceDef, credentials: DeviceCredentials): DeviceSettings {
  const transport = (TRANSPORTS as readonly string[]).includes(def.transport ?? '')
    ? (def.transport as Transport)
    : 'ssh';
  const defaultPort = transport === 'tls' ? 6513 : 830;
  return {
    transport,
    host: def.host?.trim() ?? '',
    port: Math.trunc(positive(def.port, defaultPort)),
    hostFingerprint: nonEmpty(def.hostFingerprint),
    // Verification is on unless explicitly turned off.
    verifyHostKey: def.verifyHostKey !== false && def.verifyHostKey !== 'false',
    tls: nonEmpty(def.tls),
    callhome: nonEmpty(def.callhome),
    identity: nonEmpty(def.identity),
    connectTimeout: positive(def.connectTimeout, 30),
    rpcTimeout: positive(def.rpcTimeout, 60),
    keepalive: Number(def.keepalive) >= 0 ? Number(def.keepalive) : 30,
    reconnectMax: positive(def.reconnectMax, 60),
    queueSize: Math.trunc(positive(def.queueSize, 100)),
    queueTimeout: positive(def.queueTimeout, 30),
    credentials,
  };
}

/** SSH options from the settings (also used for call home over SSH). */
function sshOptions(s: DeviceSettings, logger: Logger): SshOptions {
  const c = s.credentials;
  return {
    host: s.host,
    port: s.port,
    username: nonEmpty(c.username),
    password: c.password || undefined,
    privateKey: nonEmpty(c.privateKey),
    passphrase: c.passphrase || undefined,
    hostFingerprint: s.hostFingerprint,
    verifyHostKey: s.verifyHostKey,
    timeout: s.connectTimeout,
    helloTimeout: s.connectTimeout,
    keepaliveInterval: s.keepalive,
    closeTimeout: 3,
    logger,
  };
}

function tlsOptions(RED: NodeAPI, s: DeviceSettings, logger: Logger): TlsOptions {
  const tlsNode = s.tls ? (RED.nodes.getNode(s.tls) as TlsConfigNode | null) : null;
  if (s.tls && !tlsNode?.addTLSOptions)
    throw new ConnectError('the TLS configuration node is missing (deploy it first)');
  const base: TlsOptions = { host: s.host, port: s.port, timeout: s.connectTimeout, closeTimeout: 3, logger };
  return tlsNode ? { ...base, ...(tlsNode.addTLSOptions({}) as Partial<TlsOptions>) } : base;
}

/** Opens sessions by dialling the device (SSH or TLS). */
function directOpener(RED: NodeAPI, s: DeviceSettings, logger: Logger): Opener {
  return async () => {
    if (!s.host) throw new ConnectError('no host configured');
    return s.transport === 'tls' ? connectTls(tlsOptions(RED, s, logger)) : connectSsh(sshOptions(s, logger));
  };
}

/**
 * Call home: sessions come when the device dials the listener. open() hands out the session the
 * device opened (or waits for one); a session offered while none is wanted is kept for the next
 * open(), replacing an older one.
 */
class CallhomeSource {
  private detach?: () => void;
  private ready?: Session;
  private waiter?: { resolve(session: Session): void; reject(err: Error): void };

  constructor(
    private readonly listener: CallhomeApi,
    private readonly identity: string,
    private readonly ssh: SshOptions,
    private readonly logger: Logger,
  ) {}

  open(signal: AbortSignal): Promise<Session> {
    this.attach();
    const ready = this.ready;
    this.ready = undefined;
    if (ready && !ready.closed) return Promise.resolve(ready);
    this.waiter?.reject(new ConnectError('superseded by a newer wait for call home'));
    return new Promise<Session>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiter = undefined;
        reject(toError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (session) => {
          signal.removeEventListener('abort', onAbort);
          resolve(session);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
    });
  }

  private attach(): void {
    if (this.detach) return;
    const { host: _host, port: _port, ...ssh } = this.ssh;
    this.detach = this.listener.attach(this.identity, {
      sshOptions: ssh,
      onSession: (session) => this.offer(session),
      onError: (err) => this.onError(err),
    });
  }

  private offer(session: Session): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) return waiter.resolve(session);
    const old = this.ready;
    this.ready = session;
    if (old) void old.close().catch(() => undefined);
  }

  private onError(err: Error): void {
    this.logger.debug(`call home from ${this.identity}: ${err.message}`);
    // Attach afresh on the next open(): the listener may have failed and been reset.
    this.detach?.();
    this.detach = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
    this.waiter?.reject(new ConnectError('call home wait cancelled'));
    this.waiter = undefined;
    if (this.ready) void this.ready.close().catch(() => undefined);
    this.ready = undefined;
  }
}

function deviceLabel(def: DeviceDef, s: DeviceSettings): string {
  if (def.name) return def.name;
  if (s.transport.startsWith('callhome')) return `call home ${s.identity ?? s.hostFingerprint ?? ''}`.trim();
  return `${s.host}:${s.port}`;
}

export = function register(RED: NodeAPI): void {
  function NetconfDeviceNode(this: DeviceNode, def: DeviceDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const settings = readSettings(def, node.credentials ?? {});
    const logger: Logger = { debug: (message) => node.debug(message) };
    const label = deviceLabel(def, settings);
    const callhome = settings.transport.startsWith('callhome');
    let source: CallhomeSource | undefined;
    let open: Opener;
    if (callhome) {
      const listener = settings.callhome ? RED.nodes.getNode(settings.callhome) : undefined;
      // For call home over SSH the device's identity is its host key fingerprint.
      const identity = settings.transport === 'callhome-ssh' ? settings.hostFingerprint : settings.identity;
      const wanted = settings.transport === 'callhome-ssh' ? 'ssh' : 'tls';
      if (!isCallhomeApi(listener))
        open = () => Promise.reject(new ConnectError('no call-home listener is configured for this device'));
      else if (listener.transport !== wanted) {
        open = () =>
          Promise.reject(
            new ConnectError(
              `the call-home listener accepts ${listener.transport.toUpperCase()}, but this device calls home over ${wanted.toUpperCase()}`,
            ),
          );
      } else if (!identity)
        open = () => Promise.reject(new ConnectError('call home needs the device identity (its fingerprint)'));
      else {
        const s = new CallhomeSource(listener, identity, sshOptions(settings, logger), logger);
        source = s;
        open = (signal) => s.open(signal);
      }
    } else open = directOpener(RED, settings, logger);

    const makeConnection = (connectionLabel: string): DeviceConnection =>
      new DeviceConnection({
        open,
        label: connectionLabel,
        connectingText: callhome ? 'waiting for call home' : undefined,
        rpcTimeout: settings.rpcTimeout,
        reconnectMinMs: 1000,
        reconnectMaxMs: settings.reconnectMax * 1000,
        queueSize: settings.queueSize,
        queueTimeoutMs: settings.queueTimeout * 1000,
        closeBoundMs: 8000,
        debug: (message) => node.debug(message),
      });

    const dedicated = new Set<DeviceConnection>();
    node.label = label;
    node.connection = makeConnection(label);
    node.dedicatedConnection = (purpose: string) => {
      // A call-home device dials one session: everything shares it.
      if (callhome) return { connection: node.connection, release: () => Promise.resolve() };
      const connection = makeConnection(`${label} (${purpose})`);
      dedicated.add(connection);
      return {
        connection,
        release: () => {
          dedicated.delete(connection);
          return connection.close();
        },
      };
    };

    node.on('close', (_removed: boolean, done: () => void) => {
      const all = [node.connection, ...dedicated].map((c) => c.close());
      dedicated.clear();
      Promise.all(all)
        .then(() => source?.close())
        .catch((err: unknown) => node.debug(`close: ${toError(err).message}`))
        .then(() => done());
    });
  }

  RED.nodes.registerType('netconf-device', NetconfDeviceNode, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      privateKey: { type: 'password' },
      passphrase: { type: 'password' },
    },
  });

  registerAdminEndpoints(RED);
};

/** The form values the editor posts: the node's properties and (maybe placeholder) credentials. */
type TestBody = DeviceDef & DeviceCredentials;

function bodyOf(req: AdminRequest): TestBody {
  return typeof req.body === 'object' && req.body !== null ? (req.body as TestBody) : ({} as TestBody);
}

/** Credentials from the form, falling back to the stored ones for secrets the editor did not send. */
function mergedCredentials(RED: NodeAPI, id: string, body: TestBody): DeviceCredentials {
  const stored = (RED.nodes.getCredentials(id) ?? {}) as DeviceCredentials;
  const pick = (key: keyof DeviceCredentials): string | undefined => {
    const value = body[key];
    if (value === UNCHANGED_SECRET) return stored[key];
    return typeof value === 'string' ? value : stored[key];
  };
  return {
    username: pick('username'),
    password: pick('password'),
    privateKey: pick('privateKey'),
    passphrase: pick('passphrase'),
  };
}

function failure(err: unknown): Record<string, unknown> {
  const error = toError(err);
  const fingerprint = error instanceof ConnectError ? error.fingerprint : undefined;
  return { ok: false, error: error.message, code: errorCode(error), fingerprint };
}

function registerAdminEndpoints(RED: NodeAPI): void {
  const quiet: Logger = { debug: () => undefined };

  // Connects with the form's values, reports the capabilities (or the exact error) and closes.
  RED.httpAdmin.post('/netconf-device/:id/test', RED.auth.needsPermission('netconf-device.write'), (req, res) => {
    testConnection(RED, req, quiet).then(
      (result) => res.json(result),
      (err: unknown) => res.json(failure(err)),
    );
  });

  // The deployed device's YANG: modules in its session's schema, and the process-wide cache.
  RED.httpAdmin.get('/netconf-device/:id/yang', RED.auth.needsPermission('netconf-device.read'), (req, res) => {
    const device = RED.nodes.getNode(req.params.id) as Partial<DeviceNode> | null;
    const connection = device?.connection;
    res.json({
      deployed: connection !== undefined,
      state: connection?.state.state,
      modules: connection?.yangModules,
      cached: sharedYangCache.size,
    });
  });

  // Reads the SSH host key fingerprint without authenticating, for the user to confirm and pin.
  RED.httpAdmin.post(
    '/netconf-device/:id/fingerprint',
    RED.auth.needsPermission('netconf-device.write'),
    (req, res) => {
      fetchFingerprint(req, quiet).then(
        (result) => res.json(result),
        (err: unknown) => res.json(failure(err)),
      );
    },
  );
}

async function testConnection(RED: NodeAPI, req: AdminRequest, logger: Logger): Promise<Record<string, unknown>> {
  const body = bodyOf(req);
  const settings = readSettings(body, mergedCredentials(RED, req.params.id, body));
  if (settings.transport.startsWith('callhome')) {
    return {
      ok: false,
      error: 'A call-home device dials in by itself: deploy, then watch the status of the nodes that use it.',
    };
  }
  settings.connectTimeout = Math.min(settings.connectTimeout, TEST_TIMEOUT_MAX);
  settings.keepalive = 0;
  const session = await directOpener(RED, settings, logger)(new AbortController().signal);
  try {
    const yang = await testYang(session, settings);
    return { ok: true, sessionId: session.sessionId, capabilities: session.serverCapabilities, yang };
  } finally {
    await session.close().catch(() => undefined);
  }
}

/**
 * Loads the device's YANG modules as RFC 7951 output would (into the process-wide cache, so a
 * deployed flow then fetches nothing), bounded by TEST_TIMEOUT_MAX. Reports how many modules the
 * device's schema has, how many were fetched now, and what could not be had.
 */
async function testYang(session: Session, settings: DeviceSettings): Promise<Record<string, unknown>> {
  const manager = new Manager(session, { timeout: Math.min(settings.rpcTimeout, TEST_TIMEOUT_MAX) });
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not loaded within ${TEST_TIMEOUT_MAX} s`)), TEST_TIMEOUT_MAX * 1000);
  });
  try {
    const schema = await Promise.race([manager.loadYang(), bound]);
    return {
      modules: schema.schema.modules.size,
      fetched: schema.fetched.length,
      cached: sharedYangCache.size,
      warnings: schema.warnings,
    };
  } catch (err) {
    return { error: toError(err).message, cached: sharedYangCache.size };
  } finally {
    clearTimeout(timer);
  }
}

async function fetchFingerprint(req: AdminRequest, logger: Logger): Promise<Record<string, unknown>> {
  const body = bodyOf(req);
  const settings = readSettings({ ...body, transport: 'ssh' }, {});
  if (!settings.host) return { ok: false, error: 'enter the host first' };
  try {
    // With verification on and nothing pinned the handshake stops at the host key, before any
    // authentication, and the error carries the key's fingerprint.
    const session = await connectSsh({
      host: settings.host,
      port: settings.port,
      verifyHostKey: true,
      timeout: Math.min(settings.connectTimeout, TEST_TIMEOUT_MAX),
      logger,
    });
    await session.close().catch(() => undefined);
    return { ok: false, error: 'the server did not present a host key to verify' };
  } catch (err) {
    if (err instanceof ConnectError && err.fingerprint)
      return { ok: true, fingerprint: err.fingerprint, message: err.message };
    throw err;
  }
}
