/**
 * The netconf-device editor's admin HTTP endpoints: "Test connection" (connects with the form's
 * values and reports capabilities and YANG), "Fetch" (reads the SSH host key fingerprint), and
 * the deployed device's YANG state.
 */
import {
  ConnectError,
  connectSsh,
  failedJumpHost,
  Manager,
  sharedYangCache,
  type Logger,
  type Session,
} from '../../src/index';
import { toError, type DeviceConnection } from './connection';
import {
  directOpener,
  isCallhome,
  isFleet,
  readSettings,
  type DeviceCredentials,
  type DeviceDef,
  type DeviceSettings,
} from './device-settings';
import { jumpChain } from './jump-hosts';
import { errorCode } from './message';
import type { AdminRequest, NodeAPI } from './red-types';

/** The placeholder the editor sends for a secret it has but did not change. */
const UNCHANGED_SECRET = '__PWRD__';
/** Upper bound on the editor's "Test connection" (seconds). */
const TEST_TIMEOUT_MAX = 30;

/** The form values the editor posts: the node's properties and (maybe placeholder) credentials. */
type TestBody = DeviceDef &
  DeviceCredentials & {
    // fleet mode: the device to try, asked for by the dialog when Host is empty
    testHost?: string;
    testPort?: string | number;
    testFingerprint?: string;
  };

/**
 * Fleet mode: a fleet device (Host empty) has no host of its own, so the dialog asks for one to
 * try (and, optionally, its port and pinned key). Returns an answer for the editor when none was given.
 */
function fleetTestTarget(settings: DeviceSettings, body: TestBody): Record<string, unknown> | undefined {
  if (!isFleet(settings)) return undefined;
  const host = typeof body.testHost === 'string' ? body.testHost.trim() : '';
  if (!host) return { ok: false, needsHost: true, error: 'This is a fleet device (Host empty): give a host to try.' };
  settings.host = host;
  const port = Number(body.testPort);
  if (Number.isInteger(port) && port > 0 && port < 65536) settings.port = port;
  const fingerprint = typeof body.testFingerprint === 'string' ? body.testFingerprint.trim() : '';
  settings.hostFingerprint = fingerprint || undefined;
  return undefined;
}

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

export function registerAdminEndpoints(RED: NodeAPI): void {
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
    const device = RED.nodes.getNode(req.params.id) as { connection?: DeviceConnection } | null;
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
      fetchFingerprint(RED, req, quiet).then(
        (result) => res.json(result),
        (err: unknown) => res.json(failure(err)),
      );
    },
  );
}

async function testConnection(RED: NodeAPI, req: AdminRequest, logger: Logger): Promise<Record<string, unknown>> {
  const body = bodyOf(req);
  const settings = readSettings(body, mergedCredentials(RED, req.params.id, body));
  if (isCallhome(settings)) {
    return {
      ok: false,
      error: 'A call-home device dials in by itself: deploy, then watch the status of the nodes that use it.',
    };
  }
  const askHost = fleetTestTarget(settings, body);
  if (askHost) return askHost;
  settings.connectTimeout = Math.min(settings.connectTimeout, TEST_TIMEOUT_MAX);
  settings.keepalive = 0;
  settings.netconfKeepalive = 0;
  let session: Session;
  try {
    session = await directOpener(RED, settings, logger).open(new AbortController().signal);
  } catch (err) {
    return { ...failure(err), hops: hopReport(RED, settings, err) };
  }
  try {
    const yang = await testYang(session, settings);
    const hops = hopReport(RED, settings);
    return { ok: true, sessionId: session.sessionId, capabilities: session.serverCapabilities, yang, hops };
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

// --- reaching devices: per-hop report of Test connection ---

interface HopResult {
  name: string;
  ok: boolean;
  error?: string;
  /** For a hop whose host key was refused: the key it presented. */
  fingerprint?: string;
}

/** Each jump host's part in a test: reached, failed (with why), or not tried. undefined without jump hosts. */
function hopReport(RED: NodeAPI, settings: DeviceSettings, err?: unknown): HopResult[] | undefined {
  if (!settings.jump || settings.transport !== 'ssh') return undefined;
  let hops;
  try {
    hops = jumpChain(RED, settings.jump);
  } catch {
    return undefined; // the error itself already says what is wrong with the chain
  }
  const failed = err === undefined ? undefined : failedJumpHost(err);
  return hops.map((hop, i): HopResult => {
    const name = `jump host ${i + 1} (${hop.host}:${hop.port ?? 22})`;
    if (failed === undefined || i + 1 < failed) return { name, ok: true };
    if (i + 1 > failed) return { name, ok: false, error: 'not tried' };
    const error = toError(err);
    return {
      name,
      ok: false,
      error: error.message,
      fingerprint: error instanceof ConnectError ? error.fingerprint : undefined,
    };
  });
}

async function fetchFingerprint(RED: NodeAPI, req: AdminRequest, logger: Logger): Promise<Record<string, unknown>> {
  const body = bodyOf(req);
  const settings = readSettings({ ...body, transport: 'ssh' }, {});
  if (!settings.host) return { ok: false, error: 'enter the host first' };
  try {
    // With verification on and nothing pinned the handshake stops at the host key, before any
    // authentication, and the error carries the key's fingerprint.
    const session = await connectSsh({
      host: settings.host,
      port: settings.port,
      // Behind jump hosts (deployed ones, with their pinned keys) the device's key is read through them.
      jumpHosts: jumpChain(RED, settings.jump),
      algorithms: settings.algorithms,
      verifyHostKey: true,
      timeout: Math.min(settings.connectTimeout, TEST_TIMEOUT_MAX),
      logger,
    });
    await session.close().catch(() => undefined);
    return { ok: false, error: 'the server did not present a host key to verify' };
  } catch (err) {
    // A jump host's refused key is not the device's: that is an error to fix in the jump host node.
    if (err instanceof ConnectError && err.fingerprint && failedJumpHost(err) === undefined)
      return { ok: true, fingerprint: err.fingerprint, message: err.message };
    throw err;
  }
}
