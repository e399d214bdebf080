/**
 * The package is meant to load in every Node-RED from 3.0 on (`"node-red": { "version": ">=3.0.0" }`):
 * install the newest 3.x from the npm registry beside the packed package, start it, and check that
 * every node type loads and that a device + get flow connects to the demo device.
 * (Node-RED 4.1 and 5.0.x on Node 22 run the full runtime and editor suites: see targets.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, run, tempDir, waitFor, type NodeRed } from './harness';
import { ourNodeTypes, startDemoDevice, type DemoDevice } from './fixtures';
import { startInstalledNodeRed, type InstalledNodeRed } from './installed-node-red';
import type { Comms } from './comms';

describe('Node-RED 3.x', { timeout: 300000 }, () => {
  let device: DemoDevice;
  let running: InstalledNodeRed | undefined;
  let nodeRed: NodeRed;
  let comms: Comms;
  let userDir = '';
  let installDir = '';
  let version = '';

  before(async () => {
    installDir = tempDir('nr3');
    fs.writeFileSync(path.join(installDir, 'package.json'), JSON.stringify({ name: 'nr3', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', 'node-red@3'], installDir, 240000);
    const nodeRedDir = path.join(installDir, 'node_modules', 'node-red');
    version = (JSON.parse(fs.readFileSync(path.join(nodeRedDir, 'package.json'), 'utf8')) as { version: string })
      .version;
    device = await startDemoDevice();
    running = await startInstalledNodeRed('nr3-ud', { nodeRedDir });
    ({ nr: nodeRed, comms, userDir } = running);
  });

  after(async () => {
    await running?.stop();
    await device?.close();
    if (installDir) fs.rmSync(installDir, { recursive: true, force: true });
  });

  test('every node type of the package loads without error', async () => {
    assert.match(version, /^3\./);
    const sets = (await nodeRed.nodeSets()).filter((s) => s.module === PACKAGE_NAME);
    const { operations, config } = ourNodeTypes(path.join(userDir, 'node_modules', PACKAGE_NAME));
    const loaded = sets.flatMap((s) => s.types).sort();
    assert.deepEqual(loaded, [...operations, ...config].sort());
    for (const s of sets) {
      assert.equal(s.enabled, true, `${s.id} enabled`);
      assert.equal(s.err, undefined, `${s.id}: ${s.err}`);
    }
  });

  test('a device and a get-config node connect: the status turns green with the session id', async () => {
    await nodeRed.deploy([
      { id: 'tab3', type: 'tab', label: 'nr3' },
      {
        id: 'dev3',
        type: 'netconf-device',
        host: '127.0.0.1',
        port: String(device.sim.port),
        transport: 'ssh',
        hostFingerprint: device.sim.hostFingerprint,
        verifyHostKey: true,
        credentials: { username: device.username, password: device.password },
      },
      {
        id: 'get3',
        type: 'netconf-get',
        z: 'tab3',
        device: 'dev3',
        operation: 'get-config',
        source: 'running',
        output: 'object',
        wires: [],
      },
    ]);
    const status = await waitFor(
      'green status on the get node',
      () => {
        const s = comms.status.get('get3');
        return s && s.fill === 'green' ? s : undefined;
      },
      20000,
    );
    assert.match(String(status.text), /session \d+/);
  });
});
