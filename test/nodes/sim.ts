/**
 * The device simulator for node tests: start, restart on the same port and key, flow pieces (a
 * device on a simulator, a fleet device), and the set-up most node tests share (over SSH, and
 * over TLS with a test PKI).
 */
import { after, afterEach, before } from 'node:test';
import { connectSsh, Manager } from '../../src/index';
import { NetconfSimulator } from '../../simulator/server';
import type { SimulatorOptions } from '../../simulator/options';
import { startSimTlsListener, type SimTlsListener } from '../../simulator/tls';
import { allNodes, baseFlow, helper, type FlowNode } from './helper';
import { makeTestPki, type TestPki } from '../helpers/certs';
import { sshKeyPair } from '../helpers/ssh-keys';

export { NetconfSimulator };

/** One host key for all simulators of a run, so a restarted simulator keeps its fingerprint. */
const hostKey = sshKeyPair().private;

export async function startSimulator(options: SimulatorOptions = {}): Promise<NetconfSimulator> {
  return new NetconfSimulator({ hostKey, users: { admin: 'admin' }, ...options }).listen();
}

/** A netconf-device node pinned to the simulator's host key. */
export function simDevice(sim: NetconfSimulator, id = 'dev', extra: Record<string, unknown> = {}): FlowNode {
  return {
    id,
    type: 'netconf-device',
    name: `sim-${id}`,
    transport: 'ssh',
    host: '127.0.0.1',
    port: String(sim.port),
    hostFingerprint: sim.hostFingerprint,
    verifyHostKey: true,
    connectTimeout: '5',
    rpcTimeout: '10',
    keepalive: '0',
    reconnectMax: '2',
    queueSize: '100',
    queueTimeout: '10',
    ...extra,
  };
}

export const adminCredentials = { username: 'admin', password: 'admin' };

/** Loads baseFlow(simDevice(sim), ...nodes) with the device's credentials: device id `dev`. */
export async function loadWithDevice(sim: NetconfSimulator, ...nodes: FlowNode[]): Promise<void> {
  await helper.load(allNodes, baseFlow(simDevice(sim), ...nodes), { dev: adminCredentials });
}

/**
 * The set-up of node tests that start their own simulators, on the enclosing describe block: the
 * test helper's server for the whole block; after each test its flow unloaded, then every
 * simulator the test started through the returned function closed (a restarted one too; closing
 * twice is harmless). Returns that start function.
 */
export function simulatorsPerTest(): (options?: SimulatorOptions) => Promise<NetconfSimulator> {
  const started: NetconfSimulator[] = [];
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(async () => {
    await helper.unload();
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const sim = await startSimulator(options);
    started.push(sim);
    return sim;
  };
}

/** A simulator behind a mutual-TLS listener (RFC 7589): the listener's streams are its sessions. */
export interface TlsSimulator {
  sim: NetconfSimulator;
  listener: SimTlsListener;
}

/** What tlsSimulatorPerTest() gives the tests of its describe block. */
export interface TlsSimulatorFixture {
  /** The block's PKI (made in its before hook): client certificate, key and CAs for tls-config nodes. */
  readonly pki: TestPki;
  /** Starts a simulator behind a TLS listener on 127.0.0.1 with the PKI's server certificate. */
  start(): Promise<TlsSimulator>;
}

/**
 * simulatorsPerTest over TLS, on the enclosing describe block: a test PKI and the test helper's
 * server for the whole block; after each test its flow unloaded, then every listener and
 * simulator the test started closed.
 */
export function tlsSimulatorPerTest(): TlsSimulatorFixture {
  let pki: TestPki | undefined;
  const started: Partial<TlsSimulator>[] = [];
  before(async () => {
    pki = makeTestPki();
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    pki?.cleanup();
  });
  afterEach(async () => {
    await helper.unload();
    for (const { listener, sim } of started.splice(0)) {
      await listener?.close();
      await sim?.close();
    }
  });
  const fixture: TlsSimulatorFixture = {
    get pki(): TestPki {
      if (!pki) throw new Error('the PKI is made in the before hook: use it inside a test');
      return pki;
    },
    async start() {
      const entry: Partial<TlsSimulator> = {};
      started.push(entry); // closed after the test even if the listener fails to start
      const sim = (entry.sim = await startSimulator());
      entry.listener = await startSimTlsListener({
        host: '127.0.0.1',
        port: 0,
        key: fixture.pki.server.key,
        cert: fixture.pki.server.cert,
        ca: fixture.pki.ca,
        handler: (stream, user, details) => sim.serveStream(stream, user, details),
      });
      return { sim, listener: entry.listener };
    },
  };
  return fixture;
}

/**
 * A fleet netconf-device (Host empty: each message names its device in msg.device), id `fleet`,
 * with the short timeouts of simDevice.
 */
export function fleetDevice(extra: Record<string, unknown> = {}): FlowNode {
  return {
    id: 'fleet',
    type: 'netconf-device',
    name: 'test fleet',
    transport: 'ssh',
    host: '',
    port: '830',
    verifyHostKey: true,
    connectTimeout: '5',
    rpcTimeout: '10',
    keepalive: '0',
    reconnectMax: '30',
    queueSize: '1000',
    queueTimeout: '30',
    maxSessions: '10',
    idleTimeout: '60',
    ...extra,
  };
}

/** A second, independent session to a simulator (the library, not the nodes), as admin, key pinned. */
export async function secondSession(sim: { port: number; hostFingerprint: string }): Promise<Manager> {
  const session = await connectSsh({
    host: '127.0.0.1',
    port: sim.port,
    username: 'admin',
    password: 'admin',
    hostFingerprint: sim.hostFingerprint,
  });
  return new Manager(session, { timeout: 10 });
}

/** Records the operations the simulator receives and how sessions end. */
export function watch(sim: NetconfSimulator): { rpcs: string[]; ends: { id: number; closeSession: boolean }[] } {
  const seen = { rpcs: [] as string[], ends: [] as { id: number; closeSession: boolean }[] };
  sim.on('rpc', (_id: number, op: string) => seen.rpcs.push(op));
  sim.on('session-end', (id: number, end: { closeSession: boolean }) =>
    seen.ends.push({ id, closeSession: end.closeSession }),
  );
  return seen;
}
