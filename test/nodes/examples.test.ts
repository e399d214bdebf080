/**
 * Every example flow loads in the test helper and does its job against the simulator. The
 * device is pointed at the simulator, debug nodes become helper nodes (to read what they get),
 * and the core nodes the examples use are loaded from Node-RED.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { allNodes, coreNodes, collect, helper, TAB, until, type FlowNode, type HelperNode } from './helper';
import { adminCredentials, startSimulator, watch, type NetconfSimulator } from './sim';

const examplesDir = path.resolve(__dirname, '../../../examples');
const CORE = [
  'common/20-inject.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/10-switch.js',
  'function/15-change.js',
  'storage/10-file.js',
];
const core = coreNodes(...CORE);

function readExample(name: string): FlowNode[] {
  return JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as FlowNode[];
}

/** The example, runnable here: on a tab, device at the simulator, debug -> helper, faster timers. */
function prepare(
  flow: FlowNode[],
  sim: NetconfSimulator,
  patch: Record<string, Record<string, unknown>> = {},
): { flow: FlowNode[]; credentials: Record<string, Record<string, string>> } {
  const credentials: Record<string, Record<string, string>> = {};
  const nodes = flow.map((n): FlowNode => {
    const changed: FlowNode = { ...n, ...(patch[n.id] ?? {}) };
    if (n.type === 'netconf-device') {
      credentials[n.id] = adminCredentials;
      return { ...changed, port: String(sim.port), hostFingerprint: sim.hostFingerprint, reconnectMax: '1' };
    }
    if (n.type === 'comment') return { ...changed, z: TAB };
    if (n.type === 'debug') return { id: n.id, type: 'helper', z: TAB, x: n.x, y: n.y, wires: [] };
    return { ...changed, z: TAB };
  });
  return { flow: [{ id: TAB, type: 'tab', label: 'example' }, ...nodes], credentials };
}

const byName = (flow: FlowNode[], type: string, name: string): string => {
  const n = flow.find((x) => x.type === type && x.name === name);
  assert.ok(n, `${type} "${name}" in the example`);
  return n.id;
};

describe('example flows against the simulator', { timeout: 90000 }, () => {
  let sim: NetconfSimulator;
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(async () => {
    sim = await startSimulator({ notificationIntervalMs: 0, confirmTimeoutUnitMs: 50 });
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
  });

  async function load(name: string, patch?: Record<string, Record<string, unknown>>): Promise<FlowNode[]> {
    const example = readExample(name);
    const { flow, credentials } = prepare(example, sim, patch);
    await helper.load([...allNodes, ...core], flow, credentials);
    return example;
  }

  const node = (id: string): HelperNode => {
    const n = helper.getNode(id);
    assert.ok(n, `node ${id}`);
    return n;
  };

  it('are all covered here', () => {
    const files = readdirSync(examplesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    assert.deepEqual(files, [
      '01-quick-start-get-config',
      '02-scheduled-config-backup',
      '03-candidate-confirmed-commit',
      '04-event-remediation',
      '05-ops-dashboard-feed',
      '06-fleet-backup', // tested in fleet-example.test.ts
      // 07 and 08 (config diff) are run by examples-diff.test.ts.
      '07-backup-on-change',
      '08-preview-then-commit',
      '09-ops-dashboard', // needs Dashboard 2.0: run in a browser by test/e2e/dashboard.test.ts
      // 10 and 11 (scale-out over MQTT) need a broker: run by test/e2e/scale-out.test.ts.
      '10-scale-out-dispatcher',
      '11-scale-out-worker',
      '12-fleet-backup-on-change', // tested in examples-fleet-diff.test.ts
    ]);
  });

  it('point at the demo device on 127.0.0.1:8300, the port npm start prefers (8830 is the interop lab)', () => {
    const start = readFileSync(path.resolve(examplesDir, '../scripts/start.js'), 'utf8');
    assert.match(start, /NETCONF_DEMO_DEVICE_PORT\) \|\| 8300;/);
    for (const file of readdirSync(examplesDir).filter((f) => f.endsWith('.json'))) {
      const flow = JSON.parse(readFileSync(path.join(examplesDir, file), 'utf8')) as FlowNode[];
      const devices = flow.filter((n) => n.type === 'netconf-device');
      // the scale-out dispatcher only publishes jobs (MQTT): its workers hold the device
      if (file === '10-scale-out-dispatcher.json') assert.deepEqual(devices, [], file);
      else assert.ok(devices.length > 0, file);
      for (const d of devices) {
        // fleet examples use the "demo fleet" device (Host empty: targets come from msg.device)
        if (d.id === 'a1b2c3d4e5f60002') assert.deepEqual([d.name, d.host], ['demo fleet', ''], file);
        else assert.deepEqual([d.host, d.port], ['127.0.0.1', '8300'], file);
      }
      const text = JSON.stringify(flow);
      assert.ok(!text.includes('8830'), `${file} does not mention 8830`);
    }
  });

  it('01 quick start: config on deploy as RFC 7951 JSON, interfaces as XML, a YANG module', async () => {
    const flow = await load('01-quick-start-get-config');
    const config = collect(node(byName(flow, 'debug', 'running config')));
    await until(() => config.length === 1, 8000, 'config read on deploy');
    // RFC 7951 JSON: module-qualified, the list an array, booleans typed.
    const json = config[0].payload as {
      'ietf-interfaces:interfaces': { interface: { name: string; enabled?: boolean }[] };
    };
    assert.equal(json['ietf-interfaces:interfaces'].interface[0].name, 'eth0');
    assert.equal(json['ietf-interfaces:interfaces'].interface[0].enabled, true);
    assert.deepEqual((config[0].netconf as { warnings: unknown[] }).warnings, []);
    const xml = collect(node(byName(flow, 'debug', 'interfaces XML')));
    node(byName(flow, 'inject', 'interfaces only (XML)')).receive({});
    await until(() => xml.length === 1, 5000, 'interfaces XML');
    assert.match(String(xml[0].payload), /<interfaces/);
    const schema = collect(node(byName(flow, 'debug', 'schema')));
    node(byName(flow, 'inject', 'YANG module')).receive({});
    await until(() => schema.length === 1, 5000, 'schema');
    assert.match(JSON.stringify(schema[0].payload), /module ietf-interfaces/);
    assert.equal(collect(node(byName(flow, 'debug', 'errors'))).length, 0);
  });

  it('02 scheduled backup: writes the configuration to a timestamped file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netconf-backup-'));
    process.env.NETCONF_BACKUP_DIR = dir;
    try {
      const flow = await load('02-scheduled-config-backup');
      const saved = collect(node(byName(flow, 'debug', 'saved')));
      node(byName(flow, 'inject', 'back up now')).receive({});
      await until(() => saved.length === 1, 8000, 'backup written');
      const files = readdirSync(dir);
      assert.equal(files.length, 1);
      assert.match(files[0], /^demo_device-\d{4}-\d{2}-\d{2}T[\d-]+Z\.xml$/);
      assert.match(readFileSync(path.join(dir, files[0]), 'utf8'), /<data[\s\S]*<interfaces/);
    } finally {
      delete process.env.NETCONF_BACKUP_DIR;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('03 candidate + confirmed commit: transaction, confirm, roll back, step by step', async () => {
    const flow = await load('03-candidate-confirmed-commit');
    const committed = collect(node(byName(flow, 'debug', 'committed, confirm within 60 s')));
    node(byName(flow, 'inject', 'apply change')).receive({});
    await until(() => committed.length === 1, 8000, 'transaction');
    assert.match(sim.getConfigXml('running'), /changed by Node-RED/);
    const confirmed = collect(node(byName(flow, 'debug', 'confirmed')));
    node(byName(flow, 'inject', 'confirm')).receive({});
    await until(() => confirmed.length === 1, 5000, 'confirmed');

    // Put the old description back, then let the step-by-step path change it and roll it back.
    sim.setConfigXml('running', sim.getConfigXml('running').replace('changed by Node-RED', ''));
    sim.setConfigXml('candidate', sim.getConfigXml('running'));
    const done = collect(node(byName(flow, 'debug', 'done: confirm within 60 s')));
    node(byName(flow, 'inject', 'step by step')).receive({});
    await until(() => done.length === 1, 8000, 'step by step');
    assert.match(sim.getConfigXml('running'), /changed by Node-RED/);
    const rolledBack = collect(node(byName(flow, 'debug', 'rolled back')));
    node(byName(flow, 'inject', 'roll back now')).receive({});
    await until(() => rolledBack.length === 1, 5000, 'rolled back');
    assert.doesNotMatch(sim.getConfigXml('running'), /changed by Node-RED/);
    assert.equal(collect(node(byName(flow, 'debug', 'failed'))).length, 0);
  });

  it('04 event remediation: a disabled eth0 is enabled again', async () => {
    const seen = watch(sim);
    const flow = await load('04-event-remediation');
    await until(() => seen.rpcs.includes('create-subscription'), 5000, 'subscription');
    const repaired = collect(node(byName(flow, 'debug', 'repaired eth0')));
    node(byName(flow, 'inject', 'disable eth0')).receive({});
    await until(() => repaired.length === 1, 8000, 'repair');
    const eth0 = /<interface><name>eth0<\/name>[\s\S]*?<\/interface>/.exec(sim.getConfigXml('running'))?.[0] ?? '';
    assert.doesNotMatch(eth0, /<enabled>false<\/enabled>/);
    // The repair itself is a change too: it is read, found fine, and not repaired again.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(repaired.length, 1);
  });

  it('05 ops dashboard feed: one rate per interface', async () => {
    const example = readExample('05-ops-dashboard-feed');
    const injectId = byName(example, 'inject', 'every 5 s');
    const flow = await load('05-ops-dashboard-feed', { [injectId]: { repeat: '0.3', onceDelay: '0.1' } });
    const feed = collect(node(byName(flow, 'debug', 'chart feed (Mbit/s in)')));
    await until(() => feed.length >= 4, 8000, 'rates');
    const topics = new Set(feed.map((m) => m.topic));
    assert.ok(topics.has('eth0') && topics.has('lo0'));
    for (const m of feed) assert.ok(typeof m.payload === 'number' && m.payload >= 0);
  });
});
