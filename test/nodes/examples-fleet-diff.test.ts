/**
 * examples/12-fleet-backup-on-change.json against simulators: the inventory (patched to the test's
 * devices, one of them unreachable) is split, read through the "demo fleet" device (Host empty,
 * keys pinned by a known_hosts file) and diffed per device; a backup file is written only for the
 * devices whose configuration changed (or on their first read), the diff text goes to that
 * device's change log, and the summary says which changed, how many did not and which failed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONFIG } from '../helpers/diff-simulator';
import { collect, helper, until, type FlowNode, type HelperNode } from './helper';
import { secondSession, startSimulator, type NetconfSimulator } from './sim';
import { fleetExampleFlow, fleetSetting, loadFleetExample, readExample, root } from './fleet-examples';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

interface Summary {
  devices: number;
  changed: { device: string; first: boolean; changes: number; file: string }[];
  unchanged: number;
  failed: { device: string; code: string; why: string }[];
}

describe('example 12: fleet backup on change', { timeout: 90000 }, () => {
  const sims: NetconfSimulator[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-on-change-'));
  before(async () => {
    for (let i = 0; i < 3; i++)
      sims.push(await startSimulator({ initialConfig: DEMO_CONFIG.replace('uplink', `uplink of dev-${i}`) }));
    await helper.startServer();
    process.env.NETCONF_BACKUP_DIR = dir;
  });
  after(async () => {
    delete process.env.NETCONF_BACKUP_DIR;
    await helper.unload();
    await helper.stopServer();
    await Promise.all(sims.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('works in the npm start demo: the demo fleet node as the demo adds it, the demo fleet inventory', () => {
    const ex6 = readExample('06-fleet-backup');
    const ex12 = readExample('12-fleet-backup-on-change');
    // scripts/demo-fleet.js adds example 06's node: importing example 12 then reuses it, credentials and all.
    const fleetOf = (flow: FlowNode[]): FlowNode | undefined => flow.find((n) => n.type === 'netconf-device');
    assert.deepEqual(fleetOf(ex12), fleetOf(ex6));
    const inventories = (flow: FlowNode[]): unknown[] =>
      flow.filter((n) => n.type === 'inject').map((n) => JSON.parse(String(n.payload)) as unknown);
    for (const inventory of inventories(ex12)) assert.deepEqual(inventory, inventories(ex6)[0]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require(path.join(root, 'scripts', 'demo-fleet.js')) as { DEVICES: number };
    assert.equal(
      (inventories(ex12)[0] as unknown[]).length,
      demo.DEVICES + 1,
      'every demo device and the unreachable one',
    );
  });

  it('writes a backup only for changed devices, logs the diff, and summarises changed, unchanged and failed', async () => {
    const setting = await fleetSetting(sims, dir);
    const example = readExample('12-fleet-backup-on-change');
    await loadFleetExample(fleetExampleFlow(example, setting));
    const byName = (name: string): HelperNode => helper.getNode(example.find((n) => n.name === name)?.id ?? '')!;
    const summaries = collect(byName('fleet backup-on-change summary'));
    const logged = collect(byName('change logged'));
    const run = async (): Promise<Summary> => {
      const seen = summaries.length;
      byName('back up the fleet now').receive({});
      await until(() => summaries.length > seen, 30000, 'the summary');
      return summaries[seen].payload as Summary;
    };
    const fleetDir = path.join(dir, 'fleet');
    const backups = (): string[] => readdirSync(fleetDir).filter((f) => f.endsWith('.json'));

    const first = await run();
    assert.equal(first.devices, 4);
    assert.deepEqual(
      first.changed.map((c) => [c.device, c.first]),
      [
        ['dev-0', true],
        ['dev-1', true],
        ['dev-2', true],
      ],
    );
    assert.equal(first.unchanged, 0);
    assert.deepEqual(
      first.failed.map((f) => [f.device, f.code]),
      [['unreachable', 'NETCONF_CONNECT']],
    );
    assert.equal(backups().length, 3);
    assert.match(readFileSync(first.changed[1].file, 'utf8'), /"description": "uplink of dev-1"/);

    const second = await run();
    assert.deepEqual(second.changed, [], 'nothing changed');
    assert.equal(second.unchanged, 3);
    assert.deepEqual(
      second.failed.map((f) => f.device),
      ['unreachable'],
    );
    assert.equal(backups().length, 3, 'no file for unchanged devices');
    assert.equal(logged.length, 0, 'no change log entry yet');

    const other = await secondSession(sims[1]);
    await other.editConfig(
      `<interfaces xmlns="${IF}"><interface><name>eth0</name><description>moved</description></interface></interfaces>`,
      { target: 'running' },
    );
    await other.close();
    const third = await run();
    assert.deepEqual(
      third.changed.map((c) => [c.device, c.first, c.changes]),
      [['dev-1', false, 1]],
    );
    assert.equal(third.unchanged, 2);
    assert.equal(backups().length, 4);
    await until(() => logged.length === 1, 10000, 'the change log entry');
    assert.deepEqual(
      readdirSync(fleetDir).filter((f) => f.endsWith('.log')),
      ['dev-1-changes.log'],
    );
    const log = readFileSync(path.join(fleetDir, 'dev-1-changes.log'), 'utf8');
    assert.match(log, /^=== \S+ dev-1: 1 change\(s\)$/m);
    assert.match(log, /^- *"description": "uplink of dev-1"/m);
    assert.match(log, /^\+ *"description": "moved"/m);
  });
});
