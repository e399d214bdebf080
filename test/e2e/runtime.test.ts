/**
 * The package in a real Node-RED, as a user installs it: `npm pack`, the tarball installed into a
 * fresh user directory, node-red started on 127.0.0.1 with a settings file of our own, and every
 * flow in examples/ deployed through the Admin HTTP API against the device simulator. Each example
 * is checked by what it produces (debug messages over the comms websocket, the backup files, the
 * device's configuration). Redeploys and the final stop must close every NETCONF session with
 * <close-session>, and leave no process or port behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Comms } from './comms';
import { startInstalledNodeRed, type InstalledNodeRed } from './installed-node-red';
import { type NodeRed, PACKAGE_NAME, pidAlive, portClosed, processesMentioning, ROOT, waitFor } from './harness';
import { ourNodeTypes, startDemoDevice, type DemoDevice } from './fixtures';
import { nodeRedTargets } from './targets';

type FlowNode = Record<string, unknown> & { id: string; type: string };

const CONFIG_TYPES = new Set(['netconf-device', 'netconf-callhome', 'netconf-ssh-jump', 'tls-config']);
// Nodes of ours that hold no session of their own, so show no "session N" status.
const SESSIONLESS_TYPES = new Set(['netconf-diff']);
const EXAMPLES_DIR = path.join(ROOT, 'examples');

// The same suite in every Node-RED release we test (4.1 on Node 20, 5.0.x on Node 22: see targets.ts).
for (const target of nodeRedTargets())
  describe(`examples in Node-RED ${target.version} (Node ${target.nodeVersion})`, { timeout: 300000 }, () => {
    let device: DemoDevice;
    let running: InstalledNodeRed | undefined;
    let nr: NodeRed;
    let comms: Comms;
    let userDir: string;
    let installedDir: string;
    /** Sessions opened by the flows deployed so far; each must end with <close-session>. */
    const sessionsSeen = new Set<number>();

    before(async () => {
      device = await startDemoDevice();
      running = await startInstalledNodeRed(`runtime-${target.label}`, {
        nodeRedDir: target.nodeRedDir,
        nodeBin: target.nodeBin,
        settings: { debugMaxLength: 200000 },
      });
      ({ nr, comms, userDir } = running);
      installedDir = path.join(userDir, 'node_modules', PACKAGE_NAME);
    });

    after(async () => {
      await running?.stop();
      await device?.close();
    });

    /**
     * An example as a user imports it (Import > Examples reads it from the installed package through
     * GET /library/examples/flows/<module>/<name>), on a tab of its own, its device pointed at the
     * simulator with the credentials a user would type in.
     */
    async function loadExample(file: string): Promise<FlowNode[]> {
      const name = path.basename(file, '.json');
      const r = await nr.api('GET', `/library/examples/flows/${PACKAGE_NAME}/${name}`);
      assert.equal(r.status, 200, `example ${name}: ${JSON.stringify(r.body)}`);
      const nodes = r.body as FlowNode[];
      assert.ok(Array.isArray(nodes), `${file} is not a flat array of nodes`);
      const tab = `tab-${name}`;
      const out: FlowNode[] = [{ id: tab, type: 'tab', label: file, disabled: false, info: '' }];
      for (const n of nodes) {
        const copy: FlowNode = { ...n };
        if (!CONFIG_TYPES.has(n.type)) copy.z = tab;
        if (n.type === 'netconf-device') {
          Object.assign(copy, {
            host: '127.0.0.1',
            port: String(device.sim.port),
            hostFingerprint: device.sim.hostFingerprint,
            verifyHostKey: true,
            credentials: { username: device.username, password: device.password },
          });
        }
        out.push(copy);
      }
      return out;
    }

    function idOf(flow: FlowNode[], type: string, name: string): string {
      const n = flow.find((x) => x.type === type && x.name === name);
      assert.ok(n, `no ${type} named "${name}"`);
      return n.id;
    }

    /** Our nodes that show a single device's session (fleet nodes show pool counts instead). */
    function ours(flow: FlowNode[]): FlowNode[] {
      const fleets = new Set(flow.filter((n) => n.type === 'netconf-device' && !n.host).map((n) => n.id));
      return flow.filter(
        (n) =>
          n.type.startsWith('netconf-') &&
          !CONFIG_TYPES.has(n.type) &&
          !SESSIONLESS_TYPES.has(n.type) &&
          !(typeof n.device === 'string' && fleets.has(n.device)),
      );
    }

    async function debugMessages(id: string, count: number, what: string, timeoutMs = 20000): Promise<unknown[]> {
      await waitFor(`${count} message(s) at debug "${what}"`, () => comms.debugFrom(id).length >= count, timeoutMs);
      return comms.debugFrom(id).map((d) => d.value);
    }

    /** Deploys `flow` (full) and waits until every node of ours shows a green session status. */
    async function deploy(flow: FlowNode[]): Promise<void> {
      const before = device.started.length;
      comms.status.clear();
      await nr.deploy(flow);
      for (const n of ours(flow)) {
        await waitFor(`${n.type} ${n.id} green`, () => comms.status.get(n.id)?.fill === 'green', 20000);
        assert.match(comms.status.get(n.id)?.text ?? '', /session \d+/, `${n.id} status`);
      }
      for (const id of device.started.slice(before)) sessionsSeen.add(id);
    }

    /** No message reached any catch -> debug path, and Node-RED logged no error. */
    function assertNoErrors(flow: FlowNode[]): void {
      for (const c of flow.filter((n) => n.type === 'catch')) {
        for (const target of (c.wires as string[][]).flat()) {
          const n = flow.find((x) => x.id === target);
          if (n?.type === 'debug')
            assert.deepEqual(
              comms.debugFrom(target).map((d) => d.raw.msg),
              [],
              `errors caught in ${flow[0].label as string}`,
            );
        }
      }
      const errors = nr.log.split('\n').filter((l) => /\[error\]/.test(l));
      assert.deepEqual(errors, [], 'Node-RED logged errors');
    }

    /** Every session of earlier deploys is over, each closed by the client with <close-session>. */
    async function assertEarlierSessionsClosed(keep: number[] = []): Promise<void> {
      const closed = [...sessionsSeen].filter((id) => !keep.includes(id));
      await waitFor('earlier sessions to end', () => closed.every((id) => device.ended.has(id)), 20000);
      for (const id of closed) {
        const end = device.ended.get(id)!;
        assert.ok(end.closeSession, `session ${id} ended without <close-session>: ${JSON.stringify(end)}`);
      }
    }

    it('loads every node from the installed tarball, with no load error', async () => {
      assert.equal(fs.lstatSync(installedDir).isSymbolicLink(), false);
      // The files whitelist: built code, editor files, examples; no TypeScript sources or tests.
      assert.ok(fs.existsSync(path.join(installedDir, 'examples')));
      assert.equal(fs.existsSync(path.join(installedDir, 'test')), false, 'tests were packed');
      assert.equal(fs.existsSync(path.join(installedDir, 'dist', 'test')), false, 'compiled tests were packed');
      assert.equal(fs.existsSync(path.join(installedDir, 'node_modules')), false);
      const sets = (await nr.nodeSets()).filter((s) => s.module === PACKAGE_NAME);
      const declared = ourNodeTypes(installedDir);
      const loaded = sets.flatMap((s) => s.types).sort();
      assert.deepEqual(loaded, [...declared.operations, ...declared.config].sort());
      for (const s of sets) {
        assert.equal(s.err, undefined, `${s.id}: ${s.err}`);
        assert.equal(s.enabled, true, s.id);
      }
      // Import > Examples offers every file of examples/.
      const ex = await nr.api('GET', `/library/examples/flows/${PACKAGE_NAME}`);
      assert.equal(ex.status, 200);
      const offered = (ex.body as { fn?: string }[]).map((e) => e.fn).sort();
      const files = fs
        .readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.replace(/\.json$/, ''))
        .sort();
      assert.deepEqual(offered, files);
      assert.ok(files.length >= 5, `only ${files.length} examples`);
    });

    it('01 quick start: get-config (object and XML) and get-schema', async () => {
      const flow = await loadExample('01-quick-start-get-config.json');
      await deploy(flow);
      const running = idOf(flow, 'debug', 'running config');
      // "read config" fires once, 1 s after the deploy.
      const [cfg] = await debugMessages(running, 1, 'running config');
      assert.equal(typeof cfg, 'object');
      assert.match(JSON.stringify(cfg), /eth0/);

      await nr.inject(idOf(flow, 'inject', 'interfaces only (XML)'));
      const [xml] = await debugMessages(idOf(flow, 'debug', 'interfaces XML'), 1, 'interfaces XML');
      assert.equal(typeof xml, 'string');
      assert.match(xml as string, /<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/);
      assert.doesNotMatch(xml as string, /<system\b/, 'the subtree filter was not applied');

      await nr.inject(idOf(flow, 'inject', 'YANG module'));
      const [schemaMsg] = await debugMessages(idOf(flow, 'debug', 'schema'), 1, 'schema');
      assert.match(JSON.stringify(schemaMsg), /module ietf-interfaces/);
      assertNoErrors(flow);
    });

    it('02 scheduled backup: "back up now" writes the running configuration to a file', async () => {
      const flow = await loadExample('02-scheduled-config-backup.json');
      await deploy(flow);
      await assertEarlierSessionsClosed(device.started.slice(-1));
      const backups = path.join(userDir, 'netconf-backups');
      fs.rmSync(backups, { recursive: true, force: true });
      await nr.inject(idOf(flow, 'inject', 'back up now'));
      const [saved] = await debugMessages(idOf(flow, 'debug', 'saved'), 1, 'saved');
      assert.equal(typeof saved, 'string');
      const files = fs.readdirSync(backups);
      assert.equal(files.length, 1, `backup files: ${files.join(', ')}`);
      assert.match(files[0], /^demo_device-\d{4}-\d\d-\d\dT[\d-]+Z\.xml$/);
      assert.equal(path.resolve(userDir, saved as string), path.join(backups, files[0]));
      const xml = fs.readFileSync(path.join(backups, files[0]), 'utf8');
      assert.match(xml, /<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/);
      // Every interface of the device's running configuration is in the backup.
      for (const name of device.sim.getConfigXml('running').match(/<name>[^<]+<\/name>/g) ?? [])
        assert.ok(xml.includes(name), `${name} missing`);
      assertNoErrors(flow);
    });

    it('03 confirmed commit: apply, roll back, apply and confirm, step by step', async () => {
      const flow = await loadExample('03-candidate-confirmed-commit.json');
      await deploy(flow);
      await assertEarlierSessionsClosed(device.started.slice(-1));
      const changed = /<name>eth2<\/name><description>changed by Node-RED<\/description>/;
      const original = device.sim.getConfigXml('running');
      assert.doesNotMatch(original, changed);

      await nr.inject(idOf(flow, 'inject', 'apply change'));
      await debugMessages(idOf(flow, 'debug', 'committed, confirm within 60 s'), 1, 'committed');
      assert.match(device.sim.getConfigXml('running'), changed);

      await nr.inject(idOf(flow, 'inject', 'roll back now'));
      await debugMessages(idOf(flow, 'debug', 'rolled back'), 1, 'rolled back');
      assert.equal(device.sim.getConfigXml('running'), original, 'cancel-commit did not restore the configuration');

      await nr.inject(idOf(flow, 'inject', 'apply change'));
      await debugMessages(idOf(flow, 'debug', 'committed, confirm within 60 s'), 2, 'committed');
      await nr.inject(idOf(flow, 'inject', 'confirm'));
      await debugMessages(idOf(flow, 'debug', 'confirmed'), 1, 'confirmed');
      assert.match(device.sim.getConfigXml('running'), changed);

      await nr.inject(idOf(flow, 'inject', 'step by step'));
      await debugMessages(idOf(flow, 'debug', 'done: confirm within 60 s'), 1, 'step by step done');
      await nr.inject(idOf(flow, 'inject', 'confirm'));
      await debugMessages(idOf(flow, 'debug', 'confirmed'), 2, 'confirmed');
      assert.equal(device.sim.stores.lockHolder('candidate'), undefined, 'the candidate is still locked');
      assertNoErrors(flow);
    });

    it('04 event remediation: a disabled eth0 is re-enabled on the config-change notification', async () => {
      const flow = await loadExample('04-event-remediation.json');
      await deploy(flow);
      await assertEarlierSessionsClosed(device.started.slice(-2));
      const eth0Enabled = (): boolean =>
        /<interface><name>eth0<\/name>(?:(?!<\/interface>).)*<enabled>true<\/enabled>/s.test(
          device.sim.getConfigXml('running'),
        );
      assert.ok(eth0Enabled(), 'eth0 starts enabled');
      await nr.inject(idOf(flow, 'inject', 'disable eth0'));
      const [repaired] = await debugMessages(idOf(flow, 'debug', 'repaired eth0'), 1, 'repaired eth0');
      assert.ok(repaired);
      assert.ok(eth0Enabled(), 'eth0 was not re-enabled');
      const events = await debugMessages(idOf(flow, 'debug', 'all events'), 2, 'all events (break + repair)');
      assert.match(JSON.stringify(events), /netconf-config-change/);
      assertNoErrors(flow);
    });

    it('05 ops feed: interface counters become per-interface rate messages', async () => {
      const flow = await loadExample('05-ops-dashboard-feed.json');
      await deploy(flow);
      await assertEarlierSessionsClosed(device.started.slice(-1));
      const inject = idOf(flow, 'inject', 'every 5 s');
      const feed = idOf(flow, 'debug', 'chart feed (Mbit/s in)');
      // The first sample primes the counters; the next one produces rates.
      await waitFor(
        'the first sample',
        () => comms.status.get(idOf(flow, 'netconf-get', 'interface counters')) !== undefined,
        10000,
      );
      await nr.inject(inject);
      await nr.inject(inject);
      const msgs = (await debugMessages(feed, 1, 'chart feed')) as { topic?: string; payload?: unknown }[];
      for (const m of msgs) {
        assert.equal(typeof m.topic, 'string');
        assert.equal(typeof m.payload, 'number');
        assert.ok((m.payload as number) >= 0);
      }
      assertNoErrors(flow);
    });

    it('all examples at once, a redeploy and a stop: every session closed with <close-session>, nothing left', async () => {
      const all: FlowNode[] = [];
      for (const f of fs
        .readdirSync(EXAMPLES_DIR)
        // 09 needs FlowFuse Dashboard 2.0, not installed here: dashboard.test.ts deploys it with it.
        .filter((x) => x.endsWith('.json') && x !== '09-ops-dashboard.json')
        .sort())
        // The examples share their device config node (one id), as Import > Examples would reuse it.
        for (const n of await loadExample(f)) if (!all.some((x) => x.id === n.id)) all.push(n);
      await deploy(all);
      const live = device.started.filter((id) => !device.ended.has(id));
      // Each device config node shares one session among its nodes; each notification node has one more.
      const expected =
        all.filter((n) => n.type === 'netconf-device').length +
        all.filter((n) => n.type === 'netconf-notification').length;
      assert.ok(live.length >= expected, `live sessions: ${live.join(', ')} (expected ${expected})`);
      await assertEarlierSessionsClosed(live);

      // A redeploy of changed nodes closes and reopens the sessions of those nodes' devices.
      const changed = all.map((n) => (n.type === 'netconf-device' ? { ...n, connectTimeout: '20' } : n));
      await deploy(changed);
      await assertEarlierSessionsClosed(device.started.filter((id) => !device.ended.has(id)));

      const pid = nr.proc!.pid;
      comms.close();
      await nr.stop();
      assert.equal(pidAlive(pid), false, 'node-red is still running');
      assert.ok(await portClosed(nr.port), `port ${nr.port} is still open`);
      assert.deepEqual(processesMentioning(userDir), []);
      await assertEarlierSessionsClosed();
      assert.deepEqual(
        device.started.filter((id) => !device.ended.has(id)),
        [],
        'sessions still open on the device',
      );
      assert.doesNotMatch(nr.log, /Close timed out/);
    });
  });
