/**
 * Scale-out over MQTT 5 shared subscriptions, in real Node-RED processes: Debian's mosquitto with a
 * config of its own, the packed package installed once and copied into four user directories, one
 * dispatcher (examples/10-scale-out-dispatcher.json) and three workers
 * (examples/11-scale-out-worker.json, $share/netconf/netconf/jobs, each with its fleet device),
 * 300 simulated devices in another process plus 4 ports where nothing listens.
 *
 * Run 1: every device's job is done and reported exactly once, each worker took at least 20% of the
 * jobs, dead devices are reported with their error code, and a duplicate result (this test
 * re-publishes one worker answer) is dropped. Run 2: a worker is killed (SIGKILL, by pid) mid-run;
 * its jobs are re-published after the deadline, every job is still done and none twice.
 *
 * Everything on 127.0.0.1 at free ports; every process is stopped at the end. The machine has 2
 * cores: run it under `flock /tmp/netconf-heavy.lock`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFleet, type Fleet } from '../helpers/fleet-process';
import { Comms, type StatusUpdate } from './comms';
import { createUserDir, freePort, NodeRed, pidAlive, processesMentioning, tempDir, waitFor } from './harness';
import { startMosquitto, type Broker } from './mosquitto';
import { connectMqtt, type MqttClientLike } from './mqtt-client';
import { nodeRedTargets } from './targets';
import {
  DISPATCHER,
  dispatcherFlow,
  REPLY_TOPIC,
  WORKER,
  workerFlow,
  type JobResult,
  type Summary,
} from './scale-out-flows';

const DEVICES = 300;
const DEAD = 4;
const WORKERS = ['w1', 'w2', 'w3'];
const CREDENTIALS = { username: 'admin', password: 'admin' };
// Generous for a loaded 2-core machine: a job answered later is re-published, never lost.
const SETTINGS = { deadlineSeconds: 15, maxAttempts: 4, inFlight: 60 };

/** A copy of the user directory with the package already installed from its tarball. */
function copyUserDir(from: string, prefix: string): string {
  const to = tempDir(prefix);
  fs.copyFileSync(path.join(from, 'package.json'), path.join(to, 'package.json'));
  fs.cpSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'), { recursive: true });
  return to;
}

const connected = (s: StatusUpdate | undefined): boolean => s?.text === 'node-red:common.status.connected';

describe(
  `scale-out over MQTT 5: 1 dispatcher, ${WORKERS.length} workers, ${DEVICES} devices`,
  { timeout: 300000 },
  () => {
    const t0 = Date.now();
    const phase = (what: string): void =>
      console.log(`# scale-out: ${what} at +${((Date.now() - t0) / 1000).toFixed(1)} s`);
    let dir: string;
    let broker: Broker;
    let fleet: Fleet;
    const userDirs: string[] = [];
    let dispatcher: NodeRed;
    const workers: NodeRed[] = [];
    let comms: Comms;
    let client: MqttClientLike;
    let inventory: Record<string, unknown>[];
    let duplicatesSent = 0;

    before(async () => {
      dir = tempDir('scale-broker');
      broker = await startMosquitto(dir);
      const fleetStarting = startFleet(DEVICES);
      const { userDir } = createUserDir('scale-d');
      userDirs.push(userDir, ...WORKERS.map((w) => copyUserDir(userDir, `scale-${w}`)));
      fleet = await fleetStarting;
      phase('packed package installed, broker and devices up');
      // Node-RED 4.1 (the devDependency); E2E_NODE_RED=5 runs the same on Node-RED 5 / Node 22
      const target = process.env.E2E_NODE_RED ? nodeRedTargets()[0] : undefined;
      const runtime = { nodeRedDir: target?.nodeRedDir, nodeBin: target?.nodeBin };
      dispatcher = new NodeRed({ userDir: userDirs[0], ...runtime });
      workers.push(...WORKERS.map((_, i) => new NodeRed({ userDir: userDirs[i + 1], ...runtime })));
      await Promise.all([dispatcher, ...workers].map((nr) => nr.start(60000)));
      phase(`4 Node-RED ${target ? `${target.version} (Node ${target.nodeVersion})` : '(devDependency)'} started`);

      inventory = fleet.devices.map((d, i) => ({
        host: d.host,
        port: d.port,
        name: `dev${i}`,
        hostFingerprint: d.hostFingerprint,
      }));
      for (let i = 0; i < DEAD; i++) inventory.push({ host: '127.0.0.1', port: await freePort(), name: `dead${i}` });

      const workerComms = await Promise.all(
        workers.map(async (w, i) => {
          const c = new Comms();
          await c.open(w.port);
          await w.deploy(workerFlow(broker.port, WORKERS[i], CREDENTIALS, { maxSessions: '30' }));
          return c;
        }),
      );
      comms = new Comms();
      await comms.open(dispatcher.port);
      await dispatcher.deploy(dispatcherFlow(broker.port, inventory, SETTINGS));
      await waitFor(
        'every worker subscribed',
        () => workerComms.every((c) => connected(c.status.get(WORKER.jobs))),
        30000,
      );
      await waitFor('the dispatcher subscribed', () => connected(comms.status.get('d100000000000007')), 30000);
      for (const c of workerComms) c.close();

      // A second copy of the first worker answer: the dispatcher must drop it.
      client = await connectMqtt(broker.url);
      client.on('message', (topic, payload, packet) => {
        if (duplicatesSent > 0) return;
        duplicatesSent++;
        void client.publishAsync(topic, payload, {
          qos: 1,
          properties: { correlationData: packet.properties?.correlationData },
        });
      });
      await client.subscribeAsync(REPLY_TOPIC, { qos: 1 });
      phase('flows deployed, all subscribed');
    });

    after(async () => {
      // what the run cost (the machine has 2 cores and little room): peak RSS of each Node-RED
      const peak = (pid: number | undefined): string => {
        if (!pid || !pidAlive(pid)) return '-';
        const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return `${Math.round(Number(kb) / 1024)} MB`;
      };
      phase(
        `peak RSS: dispatcher ${peak(dispatcher?.proc?.pid)}, workers ${workers.map((w) => peak(w.proc?.pid)).join(' / ')}`,
      );
      comms?.close();
      await client?.endAsync(true).catch(() => undefined);
      await Promise.all([dispatcher, ...workers].filter(Boolean).map((nr) => nr.stop()));
      await fleet?.stop();
      await broker?.stop();
      if (!process.env.E2E_KEEP)
        for (const d of [dir, ...userDirs]) if (d) fs.rmSync(d, { recursive: true, force: true });
      for (const d of userDirs) assert.deepEqual(processesMentioning(d), [], `nothing left of ${d}`);
      phase('stopped');
    });

    const results = (): JobResult[] => comms.debugFrom(DISPATCHER.result).map((d) => d.value as JobResult);
    const summaries = (): Summary[] => comms.debugFrom(DISPATCHER.summary).map((d) => d.value as Summary);

    /** Checks a summary against the inventory: every device once, simulated ones ok, dead ones with their code. */
    function checkEveryJobOnce(summary: Summary): void {
      assert.equal(summary.jobs, DEVICES + DEAD);
      const devices = summary.results.map((r) => r.device);
      assert.equal(new Set(devices).size, devices.length, 'no device twice in the summary');
      assert.deepEqual([...devices].sort(), inventory.map((d) => String(d.name)).sort());
      const reported = results().map((r) => r.device);
      assert.equal(reported.length, DEVICES + DEAD, 'one reported result per job');
      assert.equal(new Set(reported).size, reported.length, 'no job reported twice');
      assert.equal(summary.ok, DEVICES, JSON.stringify(summary.failed.slice(0, 5)));
      assert.deepEqual(
        summary.failed.map((f) => f.device).sort(),
        inventory.slice(DEVICES).map((d) => String(d.name)),
      );
      for (const f of summary.failed) {
        assert.equal(f.code, 'NETCONF_CONNECT', JSON.stringify(f));
        assert.match(f.message, new RegExp(`^${f.device}: .*ECONNREFUSED`));
      }
    }

    it("every device's job is done and reported exactly once, spread over every worker; a duplicate is dropped", async () => {
      await dispatcher.inject(DISPATCHER.inject);
      const [summary] = await waitFor('the summary', () => (summaries().length ? summaries() : undefined), 150000, 250);
      phase(`run 1 done in ${summary.seconds} s (${summary.republished} re-published)`);
      checkEveryJobOnce(summary);
      for (const w of WORKERS)
        assert.ok(
          (summary.byWorker[w] ?? 0) >= 0.2 * summary.jobs,
          `${w} took ${summary.byWorker[w]} of ${summary.jobs}: ${JSON.stringify(summary.byWorker)}`,
        );
      assert.equal(duplicatesSent, 1);
      await waitFor('the duplicate dropped', () => comms.debugFrom(DISPATCHER.duplicates).length === 1, 10000);
      assert.ok(summary.duplicatesDropped >= 1, JSON.stringify(summary));
      const stats = await fleet.stats();
      assert.ok(stats.devicesWithGetConfig === DEVICES, JSON.stringify(stats));
    });

    it('a worker killed mid-run: every job is still done (re-published), none twice in the summary', async () => {
      comms.debug.length = 0;
      const victim = workers[2];
      const pid = victim.proc?.pid;
      assert.ok(pid);
      await dispatcher.inject(DISPATCHER.inject);
      await waitFor('a third of the results', () => results().length >= (DEVICES + DEAD) / 3, 120000, 50);
      process.kill(pid, 'SIGKILL');
      await waitFor('the worker gone', () => !pidAlive(pid), 10000);
      phase(`worker ${WORKERS[2]} killed after ${results().length} results`);
      const [summary] = await waitFor('the summary', () => (summaries().length ? summaries() : undefined), 150000, 250);
      phase(`run 2 done in ${summary.seconds} s (${summary.republished} re-published)`);
      checkEveryJobOnce(summary);
      assert.ok(summary.republished > 0, "the dead worker's jobs were re-published");
      const late = results().filter((r) => r.attempts > 1);
      assert.ok(
        late.some((r) => r.worker !== WORKERS[2]),
        'answered by the living workers',
      );
    });
  },
);
