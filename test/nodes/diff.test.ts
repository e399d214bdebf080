/**
 * netconf-diff (two outputs, the schema through msg.netconf.deviceId, memory through a
 * persistent context store across a restart, errors to Catch) and netconf-edit-config's
 * transaction extras (check mode, msg.diff after a commit, lock policy and retries, target auto),
 * against the simulator.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, until, type FlowNode, type HelperNode, type NodeModule } from './helper';
import { secondSession, simDevice, simulatorsPerTest, adminCredentials, type NetconfSimulator } from './sim';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const SIM = 'urn:netconf-simulator:system';

interface Diff {
  changes: { op: string; path: string; before?: unknown; after?: unknown }[];
  text: string;
  warnings: string[];
  first?: boolean;
  mode?: string;
}
const diffOf = (msg: NodeMessage): Diff => msg.diff as Diff;
const codeOf = (msg: NodeMessage): string => (msg.error as { code: string }).code;

describe('netconf-diff', { timeout: 90000 }, () => {
  const startSimulator = simulatorsPerTest();
  let sim: NetconfSimulator;
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function load(nodes: FlowNode[], extraModules: NodeModule[] = [], options = {}): Promise<void> {
    sim = await startSimulator(options);
    await helper.load([...allNodes, ...extraModules], baseFlow(simDevice(sim), ...nodes), { dev: adminCredentials });
  }

  /** Sends to a node; resolves with the next message at any of `ids` (or at caught). */
  async function send(id: string, msg: NodeMessage, ids: string[]): Promise<{ at: string; msg: NodeMessage }> {
    const boxes = [...ids, 'caught'].map((i) => ({ id: i, all: collect(helper.getNode(i) as HelperNode) }));
    const counts = boxes.map((b) => b.all.length);
    helper.getNode(id)?.receive(msg);
    let hit: { at: string; msg: NodeMessage } | undefined;
    await until(
      () => {
        const i = boxes.findIndex((b, k) => b.all.length > counts[k]);
        if (i >= 0) hit = { at: boxes[i].id, msg: boxes[i].all[counts[i]] };
        return hit !== undefined;
      },
      10000,
      `a message from ${id}`,
    );
    return hit!;
  }

  const getAndDiff: FlowNode[] = [
    { id: 'g', type: 'netconf-get', device: 'dev', operation: 'get-config', output: 'json', wires: [['d']] },
    { id: 'd', type: 'netconf-diff', ignore: '', wires: [['changed'], ['same']] },
    { id: 'changed', type: 'helper', wires: [] },
    { id: 'same', type: 'helper', wires: [] },
  ];

  it('diff node: first seen and changed on output 1, unchanged on output 2, YANG-aware through msg.netconf.deviceId', async () => {
    await load(getAndDiff);
    const first = await send('g', { payload: '' }, ['changed', 'same']);
    assert.equal(first.at, 'changed');
    assert.equal(first.msg.changed, true);
    assert.equal(diffOf(first.msg).first, true);
    assert.equal(typeof (first.msg.netconf as { deviceId: string }).deviceId, 'string');
    const again = await send('g', { payload: '' }, ['changed', 'same']);
    assert.equal(again.at, 'same');
    assert.equal(again.msg.changed, false);
    assert.deepEqual(diffOf(again.msg).changes, []);
    assert.ok('ietf-interfaces:interfaces' in (again.msg.payload as object), 'payload kept');
    // Change one leaf on the device (another session), read again.
    const other = await secondSession(sim);
    await other.editConfig(
      `<interfaces xmlns="${IF}"><interface><name>eth0</name><description>changed</description></interface></interfaces>`,
      { target: 'running' },
    );
    await other.close();
    const changed = await send('g', { payload: '' }, ['changed', 'same']);
    assert.equal(changed.at, 'changed');
    assert.equal(changed.msg.changed, true);
    const diff = diffOf(changed.msg);
    assert.deepEqual(
      diff.changes.map((c) => [c.op, c.path, c.after]),
      [[diff.changes[0].op, "/ietf-interfaces:interfaces/interface[name='eth0']/description", 'changed']],
    );
    assert.match(diff.text, /^\+ *"description": "changed"/m);
    assert.deepEqual(diff.warnings, [], 'with the schema: no plain-diff warning');
    assert.ok(!JSON.stringify(changed.msg).includes('"schema"'), 'no schema in the message');
  });

  it('diff node: msg.previous, ignore paths, plain diff with a warning, bad input to Catch', async () => {
    await load([
      { id: 'd', type: 'netconf-diff', ignore: '/system:system/location\n', wires: [['changed'], ['same']] },
      { id: 'changed', type: 'helper', wires: [] },
      { id: 'same', type: 'helper', wires: [] },
    ]);
    const a = `<system xmlns="${SIM}"><hostname>a</hostname><location>x</location></system>`;
    const b = `<system xmlns="${SIM}"><hostname>b</hostname><location>y</location></system>`;
    const ignored = await send('d', { payload: a.replace('<location>x', '<location>z'), previous: a, topic: 'r1' }, [
      'changed',
      'same',
    ]);
    assert.equal(ignored.at, 'same', 'only an ignored leaf changed');
    const plain = await send('d', { payload: b, previous: a, topic: 'r1' }, ['changed', 'same']);
    assert.equal(plain.at, 'changed');
    assert.deepEqual(
      diffOf(plain.msg).changes.map((c) => c.path),
      ['/system:system/hostname'],
    );
    assert.ok(diffOf(plain.msg).warnings.some((w) => /plain diff: no msg.netconf.deviceId/.test(w)));
    const bad = await send('d', { payload: '<system', topic: 'r1' }, ['changed', 'same']);
    assert.equal(bad.at, 'caught');
    assert.equal(codeOf(bad.msg), 'NETCONF_INVALID_INPUT');
    const none = await send('d', { topic: 'r1' }, ['changed', 'same']);
    assert.equal(none.at, 'caught');
    assert.equal(codeOf(none.msg), 'NETCONF_INVALID_INPUT');
  });

  it('diff node: a persistent context store remembers the last configuration across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netconf-diff-ctx-'));
    const context = (helper as unknown as { _context: { load(): Promise<void>; clean: (o: unknown) => Promise<void> } })
      ._context;
    helper.settings({ contextStorage: { file: { module: 'localfilesystem', config: { dir, cache: false } } } });
    // Runs after the helper initialised the context module and before the flows start (as the runtime does).
    const loadStores: NodeModule = () => context.load();
    try {
      const flow = getAndDiff.map((n) => (n.id === 'd' ? { ...n, store: 'file' } : n));
      await load(flow, [loadStores]);
      const first = await send('g', { payload: '' }, ['changed', 'same']);
      assert.equal(diffOf(first.msg).first, true);
      const files = readdirSync(path.join(dir, 'context'), { recursive: true }).map(String);
      const file = files.find((f) => f.endsWith('d.json'));
      assert.ok(file, `the node's context file (${files.join(', ')})`);
      assert.match(readFileSync(path.join(dir, 'context', file), 'utf8'), /config:sim-dev/);
      // The helper's unload deletes the context of every node (clean with no nodes left), which
      // stopping Node-RED does not: keep it out of this restart.
      const clean = context.clean;
      context.clean = () => Promise.resolve();
      try {
        await helper.unload();
      } finally {
        context.clean = clean;
      }
      await sim.close();
      // Restarted: a new runtime start, a new simulator with the same configuration.
      await load(flow, [loadStores]);
      const after = await send('g', { payload: '' }, ['changed', 'same']);
      assert.equal(after.at, 'same', `remembered: not "first seen" again ${JSON.stringify(after.msg.diff)}`);
      assert.equal(after.msg.changed, false);
    } finally {
      helper.settings({ contextStorage: undefined });
      // Removed once the helper's last unload has cleaned the store.
      dirs.push(dir);
    }
  });
});
