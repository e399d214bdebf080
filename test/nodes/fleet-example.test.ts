/**
 * examples/06-fleet-backup.json against simulators: the inventory (patched to the test's devices,
 * one of them unreachable) is split, each device's configuration written to its own file through
 * the "demo fleet" device (Host empty, keys pinned by a known_hosts file), and the summary says
 * how many were backed up and which failed, and why. Also: the demo fleet script's pieces.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collect, helper, TAB, until, type HelperNode } from './helper';
import { startSimulator, type NetconfSimulator } from './sim';
import { fleetExampleFlow, fleetSetting, loadFleetExample, readExample, root } from './fleet-examples';

interface Summary {
  devices: number;
  ok: number;
  failed: { device: string; code: string; why: string }[];
  files: string[];
}

describe('example 06: fleet backup', { timeout: 60000 }, () => {
  const sims: NetconfSimulator[] = [];
  before(async () => {
    for (let i = 0; i < 4; i++)
      sims.push(
        await startSimulator({
          initialConfig: `<system xmlns="urn:example:simulator"><hostname>dev-${i}</hostname></system>`,
        }),
      );
    await helper.startServer();
  });
  after(async () => {
    await helper.unload();
    await helper.stopServer();
    await Promise.all(sims.map((s) => s.close()));
  });

  it('backs up every reachable device to its own file; the summary names the failed one and why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-backup-'));
    const setting = await fleetSetting(sims, dir);
    const example = readExample('06-fleet-backup');
    const flow = fleetExampleFlow(example, setting, (n) => {
      if (n.name !== 'file name') return undefined;
      const rules = n.rules as { to: string }[];
      return { ...n, z: TAB, rules: [{ ...rules[0], to: `${JSON.stringify(dir + '/')} & ${rules[0].to}` }] };
    });
    await loadFleetExample(flow);
    const debugId = example.find((n) => n.type === 'debug')?.id ?? '';
    const out = collect(helper.getNode(debugId) as HelperNode);
    const inject = example.find((n) => n.type === 'inject')?.id ?? '';
    helper.getNode(inject)?.receive({ payload: setting.inventory });
    await until(() => out.length === 1, 30000, 'the summary');
    const summary = out[0].payload as Summary;
    assert.equal(summary.devices, 5);
    assert.equal(summary.ok, 4);
    assert.equal(summary.failed.length, 1);
    assert.equal(summary.failed[0].device, 'unreachable');
    assert.equal(summary.failed[0].code, 'NETCONF_CONNECT');
    assert.match(summary.failed[0].why, /^unreachable: /);
    assert.deepEqual(readdirSync(path.join(dir, 'fleet-backup')).sort(), [
      'dev-0.xml',
      'dev-1.xml',
      'dev-2.xml',
      'dev-3.xml',
    ]);
    for (let i = 0; i < 4; i++)
      assert.match(
        readFileSync(path.join(dir, 'fleet-backup', `dev-${i}.xml`), 'utf8'),
        new RegExp(`<hostname>dev-${i}</hostname>`),
      );
  });

  it('npm start demo fleet: ten configurations, all different, and the example node as the demo adds it', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const demo = require(path.join(root, 'scripts', 'demo-fleet.js')) as {
      deviceConfig(i: number, ns: Record<string, string>): string;
      DEVICES: number;
      FLEET_ID: string;
    };
    const ns = { NS_IF: 'urn:if', NS_IANAIFT: 'urn:iana', NS_SIM: 'urn:sim' };
    const configs = Array.from({ length: demo.DEVICES }, (_, i) => demo.deviceConfig(i, ns));
    assert.ok(demo.DEVICES >= 10);
    assert.equal(new Set(configs).size, demo.DEVICES);
    assert.equal(demo.FLEET_ID, 'a1b2c3d4e5f60002');
  });
});
