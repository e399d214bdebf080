/**
 * Scale-out over MQTT 5 (examples 10 and 11): jobs per second with 1 and 3 worker Node-RED
 * instances behind Debian's mosquitto, and the same get-config of every device on the fleet path in
 * ONE Node-RED (inject -> split -> get-config on a fleet device -> join, as example 06), so the
 * broker's cost per job shows: wall time and CPU time (every process of the path: Node-RED
 * instances and mosquitto, from /proc) per job. Each path runs twice: cold (every SSH session opened
 * in the run) and warm (the pool's idle sessions reused), the warm run isolating the broker's share.
 *
 *   node dist/bench/worker-scale-out.js --devices 300
 *
 * Devices: simulators in another process (test/helpers/fleet-process). Node-RED: the repository's
 * node-red with this package linked into each user directory (dist/ must be built).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fleetGetFlow, fleetInventory, type InventoryEntry } from '../test/helpers/fleet-flow';
import { startFleet, type Fleet } from '../test/helpers/fleet-process';
import { Comms } from '../test/e2e/comms';
import { NodeRed, tempDir, waitFor } from '../test/e2e/harness';
import { startMosquitto, type Broker } from '../test/e2e/mosquitto';
import { DISPATCHER, dispatcherFlow, loadExample, WORKER, workerFlow, type Summary } from '../test/e2e/scale-out-flows';
import { emit, parseArgs, runMain } from './common';
import { ROOT } from './paths';

const CREDENTIALS = { username: 'admin', password: 'admin' };
const SESSIONS = '50';
const TICKS_PER_S = 100; // USER_HZ on Linux

type Inventory = InventoryEntry[];

/** utime + stime of a process, in ms. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** A user directory with this package linked in (as npm start's demo does). */
function userDir(prefix: string): string {
  const dir = tempDir(prefix);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'node-red-contrib-netconf'), 'dir');
  return dir;
}

/** The fleet path in one process: inventory -> split -> msg.device -> get-config -> join -> debug. */
function fleetFlow(inventory: Inventory): Record<string, unknown>[] {
  const fleetNode = loadExample('11-scale-out-worker.json').find((n) => n.type === 'netconf-device');
  const z = { z: 'bench', x: 100, y: 100 };
  return [
    { id: 'bench', type: 'tab', label: 'fleet path' },
    { ...fleetNode, maxSessions: SESSIONS, credentials: CREDENTIALS },
    ...fleetGetFlow({
      tab: 'bench',
      device: String(fleetNode?.id),
      inventory,
      injects: [{ id: 'inj' }],
      answers: 'join',
      caught: 'join',
    }),
    { id: 'join', type: 'join', mode: 'auto', build: 'array', wires: [['done']], ...z },
    {
      id: 'done',
      type: 'debug',
      active: true,
      tosidebar: true,
      complete: 'payload.length',
      targetType: 'msg',
      wires: [],
      ...z,
    },
  ];
}

interface Timed {
  ms: number;
  cpuMs: number;
  failed: number;
}

/** Presses `inject` on `nr` and waits for the next message of debug node `debugId`. */
async function timed(
  nr: NodeRed,
  comms: Comms,
  inject: string,
  debugId: string,
  pids: () => (number | undefined)[],
): Promise<Timed & { last: unknown }> {
  const before = comms.debugFrom(debugId).length;
  const cpu0 = pids().reduce<number>((sum, p) => sum + cpuMs(p), 0);
  const t0 = performance.now();
  // the flow starts after the deploy request returns: retry until the inject node exists
  await waitFor('the inject node', async () => (await nr.api('POST', `/inject/${inject}`)).status === 200, 30000, 100);
  const last = await waitFor(`${debugId} output`, () => comms.debugFrom(debugId)[before]?.value, 600000, 20);
  const ms = performance.now() - t0;
  const cpu = pids().reduce<number>((sum, p) => sum + cpuMs(p), 0) - cpu0;
  const failed = typeof last === 'object' && last !== null && 'failed' in last ? (last as Summary).failed.length : 0;
  return { ms, cpuMs: cpu, failed, last };
}

interface Setup {
  broker: Broker;
  fleet: Fleet;
  nodes: NodeRed[];
  comms: Comms[];
  inventory: Inventory;
}

async function fleetPath(s: Setup): Promise<Record<string, number>> {
  const [, nr] = s.nodes;
  await nr.deploy(fleetFlow(s.inventory));
  const pids = (): (number | undefined)[] => [nr.proc?.pid];
  const cold = await timed(nr, s.comms[1], 'inj', 'done', pids);
  const warm = await timed(nr, s.comms[1], 'inj', 'done', pids);
  await nr.deploy([{ id: 'bench', type: 'tab', label: 'empty' }]); // closes its sessions
  return { fleetColdMs: cold.ms, fleetWarmMs: warm.ms, fleetColdCpuMs: cold.cpuMs, fleetWarmCpuMs: warm.cpuMs };
}

/** Dispatcher + `count` workers: cold and warm run. */
async function brokerPath(s: Setup, count: number): Promise<Record<string, number>> {
  const [dispatcher, ...all] = s.nodes;
  const workers = all.slice(0, count);
  await Promise.all(
    all.map((w, i) =>
      w.deploy(
        i < count
          ? workerFlow(s.broker.port, `w${i + 1}`, CREDENTIALS, { maxSessions: SESSIONS })
          : [{ id: 'worker-tab', type: 'tab', label: 'idle' }],
      ),
    ),
  );
  await dispatcher.deploy(
    dispatcherFlow(s.broker.port, s.inventory, { deadlineSeconds: 120, maxAttempts: 2, inFlight: Number(SESSIONS) }),
  );
  const connected = (c: Comms, id: string): boolean => c.status.get(id)?.text === 'node-red:common.status.connected';
  await waitFor(
    'subscriptions',
    () => workers.every((_, i) => connected(s.comms[i + 1], WORKER.jobs)) && connected(s.comms[0], 'd100000000000007'),
    30000,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const pids = (): (number | undefined)[] => [
    dispatcher.proc?.pid,
    ...workers.map((w) => w.proc?.pid),
    s.broker.proc.pid,
  ];
  const cold = await timed(dispatcher, s.comms[0], DISPATCHER.inject, DISPATCHER.summary, pids);
  const warm = await timed(dispatcher, s.comms[0], DISPATCHER.inject, DISPATCHER.summary, pids);
  const k = `w${count}`;
  return {
    [`${k}ColdMs`]: cold.ms,
    [`${k}WarmMs`]: warm.ms,
    [`${k}ColdCpuMs`]: cold.cpuMs,
    [`${k}WarmCpuMs`]: warm.cpuMs,
    [`${k}Failed`]: cold.failed + warm.failed,
    [`${k}Republished`]: (cold.last as Summary).republished + (warm.last as Summary).republished,
  };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const devices = Number(a.devices ?? 300);
  const dir = tempDir('bench-broker');
  const broker = await startMosquitto(dir);
  const fleet = await startFleet(devices);
  const dirs = ['d', 'w1', 'w2', 'w3'].map((p) => userDir(`bench-${p}`));
  const nodes = dirs.map((d) => new NodeRed({ userDir: d, settings: { logging: { console: { level: 'warn' } } } }));
  try {
    await Promise.all(nodes.map((n) => n.start(60000)));
    const comms = await Promise.all(
      nodes.map(async (n) => {
        const c = new Comms();
        await c.open(n.port);
        return c;
      }),
    );
    const inventory = fleetInventory(fleet);
    const s: Setup = { broker, fleet, nodes, comms, inventory };
    const result = { devices, ...(await fleetPath(s)), ...(await brokerPath(s, 1)), ...(await brokerPath(s, 3)) };
    for (const c of comms) c.close();
    emit(result);
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await fleet.stop();
    await broker.stop();
    for (const d of [dir, ...dirs]) fs.rmSync(d, { recursive: true, force: true });
  }
}

runMain(main);
