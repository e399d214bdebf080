/**
 * Fleet backup from one Node-RED process (issue 18): N simulated devices in another process
 * (test/helpers/fleet-process), a netconf-device with an empty Host (fleet mode, maxSessions
 * --max) and a netconf-get node (get-config of running, XML), fed one message per device as a
 * split node would (msg.device = the inventory entry), all at once. Reports wall time until every
 * message came out, peak RSS, the worst event-loop delay, and, in a second run with a pool as
 * large as the fleet and every session kept open, the RSS one open session costs.
 *
 *   node dist/bench/worker-fleet-nodered.js --devices 500 --max 50 [--transport tls]
 *
 * `--transport tls`: the same job over NETCONF over TLS (RFC 7589): every simulator behind a
 * mutual-TLS listener, a PKI made for the run by openssl (test/helpers/certs), the device node
 * with a core tls-config node (client certificate, CA, server certificate verified).
 *
 * Runtime: node-red-node-test-helper (Node-RED's runtime without the editor), its sinon spies
 * removed for the timed run (a test-harness cost a real runtime does not have).
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { makeTestPki, type TestPki } from '../test/helpers/certs';
import { fleetGetNodes, fleetInventory, type InventoryEntry } from '../test/helpers/fleet-flow';
import { startFleet, type Fleet } from '../test/helpers/fleet-process';
import { currentRss, emit, LoopDelay, parseArgs, peakRss, resetPeakRss, runMain } from './common';
import { startNodeRedRuntime, type NodeRedRuntime } from './nodered-runtime';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The run's transport: SSH (host keys pinned per device) or TLS (a tls-config node over the run's PKI). */
type Transport = { kind: 'ssh' } | { kind: 'tls'; pki: TestPki };

const TLS_CONFIG_NODE = require.resolve('@node-red/nodes/core/network/05-tls.js');

function tlsConfig(t: Transport): object[] {
  if (t.kind !== 'tls') return [];
  const { client, caFile } = t.pki;
  return [
    {
      id: 'tlsconf',
      type: 'tls-config',
      cert: client.certFile,
      key: client.keyFile,
      ca: caFile,
      verifyservercert: true,
    },
  ];
}

function flow(maxSessions: number, devices: number, t: Transport): object[] {
  const z = { z: 'tab', x: 0, y: 0 }; // x and y make a node a flow node (not a config node)
  return [
    { id: 'tab', type: 'tab', label: 'fleet' },
    ...tlsConfig(t),
    {
      id: 'fleet',
      type: 'netconf-device',
      host: '',
      port: t.kind === 'tls' ? '6513' : '830',
      transport: t.kind,
      ...(t.kind === 'tls' ? { tls: 'tlsconf' } : {}),
      connectTimeout: '60',
      queueSize: String(devices + 10),
      queueTimeout: '600',
      maxSessions: String(maxSessions),
      idleTimeout: '600',
    },
    ...fleetGetNodes({ tab: 'tab', device: 'fleet', answers: 'out', caught: 'out' }),
    { id: 'out', type: 'helper', ...z },
  ];
}

interface Run {
  ms: number;
  worstDelayMs: number;
  failed: number;
  /** CPU seconds used during the run by this process (the client) and by the fleet process (the servers). */
  clientCpuS: number;
  serverCpuS: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The inventory: over TLS the server is known by its certificate, so no SSH host key is given. */
function inventory(fleet: Fleet, t: Transport): InventoryEntry[] {
  return fleetInventory(fleet).map((d) => (t.kind === 'tls' ? { host: d.host, port: d.port, name: d.name } : d));
}

/** Every device's get-config through the flow, all messages at once; resolves when all came out. */
async function backup(runtime: NodeRedRuntime, fleet: Fleet, maxSessions: number, t: Transport): Promise<Run> {
  const credentials = { fleet: { username: 'admin', password: 'admin' } };
  const [get, out] = await runtime.load(flow(maxSessions, fleet.devices.length, t), credentials, ['get', 'out']);
  let received = 0;
  let failed = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  // Answers and failures (through the Catch node) both come to `out`: every message is counted.
  out.on('input', (msg) => {
    if (msg.error) failed++;
    if (++received === fleet.devices.length) done();
  });
  const loop = new LoopDelay();
  loop.start();
  const server0 = (await fleet.stats()).cpuMicros;
  const client0 = cpuSeconds();
  const t0 = performance.now();
  for (const device of inventory(fleet, t)) get.receive({ device });
  await finished;
  const ms = performance.now() - t0;
  const clientCpuS = cpuSeconds() - client0;
  const serverCpuS = ((await fleet.stats()).cpuMicros - server0) / 1e6;
  return { ms, worstDelayMs: loop.stop(), failed, clientCpuS, serverCpuS };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const devices = Number(a.devices ?? 500);
  const maxSessions = Number(a.max ?? 50);
  const pki = a.transport === 'tls' ? makeTestPki() : undefined;
  const t: Transport = pki ? { kind: 'tls', pki } : { kind: 'ssh' };
  const fleet = await startFleet(
    devices,
    pki ? { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca } } : {},
  );
  try {
    const runtime = await startNodeRedRuntime(pki ? [TLS_CONFIG_NODE] : []);
    gc();
    const baseline = currentRss();
    resetPeakRss();
    const bounded = await backup(runtime, fleet, maxSessions, t);
    const peak = peakRss();
    const server = await fleet.stats();
    await runtime.unload();

    // Every session kept open: what one open session costs in RSS.
    gc();
    const beforeOpen = currentRss();
    const all = await backup(runtime, fleet, devices, t);
    gc();
    const open = (await fleet.stats()).live;
    const perSession = (currentRss() - beforeOpen) / Math.max(1, open);
    await runtime.unload();
    const closedLive = (await fleet.stats()).live;
    emit({
      transport: t.kind,
      devices,
      maxSessions,
      ms: bounded.ms,
      failed: bounded.failed + all.failed,
      worstDelayMs: bounded.worstDelayMs,
      clientCpuS: bounded.clientCpuS,
      serverCpuS: bounded.serverCpuS,
      loadAverage: loadavg()[0],
      baselineRss: baseline,
      peakRss: peak,
      serverPeakSessions: server.peakLive,
      serverPeakPerDevice: server.peakPerDevice,
      allOpenMs: all.ms,
      allOpenWorstDelayMs: all.worstDelayMs,
      openSessions: open,
      rssPerSession: perSession,
      liveAfterRedeploy: closedLive,
    });
    await runtime.stop();
  } finally {
    await fleet.stop();
    pki?.cleanup();
  }
}

runMain(main);
