/**
 * The config diff examples (07 backup on change, 08 preview then commit) against the simulator:
 * the flow as shipped, with the device pointed at the simulator and debug nodes as helper nodes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allNodes, coreNodes, collect, helper, TAB, until, type FlowNode, type HelperNode } from './helper';
import { adminCredentials, secondSession, simulatorsPerTest, type NetconfSimulator } from './sim';

const examplesDir = path.resolve(__dirname, '../../../examples');
const CORE = [
  'common/20-inject.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/15-change.js',
  'storage/10-file.js',
];
const core = coreNodes(...CORE);
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

function example(name: string, sim: NetconfSimulator): { flow: FlowNode[]; byName: (name: string) => string } {
  const flow = JSON.parse(readFileSync(path.join(examplesDir, `${name}.json`), 'utf8')) as FlowNode[];
  const nodes = flow.map((n): FlowNode => {
    if (n.type === 'netconf-device') return { ...n, port: String(sim.port), hostFingerprint: sim.hostFingerprint };
    if (n.type === 'debug') return { id: n.id, type: 'helper', z: TAB, x: n.x, y: n.y, wires: [] };
    return { ...n, z: TAB };
  });
  const byName = (label: string): string => {
    const n = flow.find((x) => x.name === label);
    assert.ok(n, `"${label}" in ${name}`);
    return n.id;
  };
  return { flow: [{ id: TAB, type: 'tab', label: name }, ...nodes], byName };
}

describe('config diff examples against the simulator', { timeout: 90000 }, () => {
  const startSimulator = simulatorsPerTest();
  let sim: NetconfSimulator | undefined;

  async function load(name: string): Promise<(label: string) => HelperNode> {
    const s = await startSimulator({ confirmTimeoutUnitMs: 50 });
    sim = s;
    const { flow, byName } = example(name, s);
    const device = flow.find((n) => n.type === 'netconf-device')!;
    assert.equal(device.id, 'a1b2c3d4e5f60001', 'the shared demo device');
    await helper.load([...allNodes, ...core], flow, { [device.id]: adminCredentials });
    return (label) => helper.getNode(byName(label)) as HelperNode;
  }

  it('07 backup on change: a file only when the configuration changed, the diff appended to the change log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netconf-backup-'));
    process.env.NETCONF_BACKUP_DIR = dir;
    try {
      const node = await load('07-backup-on-change');
      const written = collect(node('backup written'));
      const logged = collect(node('change logged'));
      const unchanged = collect(node('unchanged: nothing written'));
      const failed = collect(node('backup failed'));
      const backUp = (): void => node('back up now').receive({});
      backUp();
      await until(() => written.length === 1 || failed.length > 0, 10000, 'first backup');
      assert.equal(failed.length, 0, JSON.stringify(failed[0]?.error));
      backUp();
      await until(() => unchanged.length === 1, 10000, 'unchanged');
      assert.equal(written.length, 1, 'no file for an unchanged configuration');
      // Another session changes one leaf.
      const other = await secondSession(sim!);
      await other.editConfig(
        `<interfaces xmlns="${IF}"><interface><name>eth0</name><description>moved</description></interface></interfaces>`,
        { target: 'running' },
      );
      await other.close();
      backUp();
      await until(() => written.length === 2 && logged.length === 1, 10000, 'second backup and log');
      const files = readdirSync(dir).sort();
      assert.equal(files.filter((f) => f.endsWith('.json')).length, 2, files.join(', '));
      const log = readFileSync(
        path.join(
          dir,
          files.find((f) => f.endsWith('-changes.log'))!,
        ),
        'utf8',
      );
      assert.match(log, /1 change\(s\)/);
      assert.match(log, /^\+ *"description": "moved"/m);
      assert.doesNotMatch(log, /^[+-] *"name"/m, 'only the changed leaf');
    } finally {
      delete process.env.NETCONF_BACKUP_DIR;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('08 preview then commit: the preview changes nothing, the commit applies the previewed edit, confirm keeps it', async () => {
    const node = await load('08-preview-then-commit');
    const preview = collect(node('preview: what would change'));
    const committed = collect(node('committed: confirm within 120 s'));
    const confirmed = collect(node('confirmed'));
    const failed = collect(node('failed'));
    node('preview change').receive({});
    await until(() => preview.length === 1 || failed.length > 0, 10000, 'preview');
    assert.equal(failed.length, 0, JSON.stringify(failed[0]?.error));
    const diff = preview[0].diff as { mode: string; changes: { path: string }[] };
    assert.equal(diff.mode, 'candidate');
    assert.ok(diff.changes.some((c) => c.path === "/ietf-interfaces:interfaces/interface[name='eth2']/description"));
    assert.doesNotMatch(sim!.getConfigXml('running'), /changed by Node-RED/);
    assert.doesNotMatch(sim!.getConfigXml('candidate'), /changed by Node-RED/);
    node('commit it').receive({});
    await until(() => committed.length === 1 || failed.length > 0, 10000, 'commit');
    assert.equal(failed.length, 0, JSON.stringify(failed[0]?.error));
    assert.deepEqual(
      (committed[0].diff as { changes: unknown[] }).changes,
      diff.changes,
      'the commit changed what the preview showed',
    );
    assert.match(sim!.getConfigXml('running'), new RegExp(`xmlns="${IF}"[\\s\\S]*changed by Node-RED`));
    node('confirm').receive({});
    await until(() => confirmed.length === 1 || failed.length > 1, 10000, 'confirm');
    // 120 units of 50 ms: without the confirm the change would be rolled back after 6 s.
    await new Promise((r) => setTimeout(r, 6500));
    assert.match(sim!.getConfigXml('running'), /changed by Node-RED/);
  });
});
