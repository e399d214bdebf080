/**
 * The scale-out examples imported into the `npm start` demo: scripts/start.js (build skipped) with
 * mosquitto installed starts the demo broker on loopback with a config of its own and adds the
 * "demo broker" config node; examples 10 and 11, read from Import > Examples
 * (GET /library/examples/flows/...) and deployed as the editor imports them (nodes that exist
 * already are reused), run the demo fleet's inventory: 10 devices done, the unreachable one with
 * NETCONF_CONNECT. SIGINT stops the demo, the broker with it. The demo fleet's ports (8301-8311)
 * are fixed: do not run it beside another `npm start` (run it under the heavy lock).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Comms } from './comms';
import { freePort, PACKAGE_NAME, processesMentioning, ROOT, tempDir, waitFor } from './harness';
import { DISPATCHER, type FlowNode, type Summary } from './scale-out-flows';

async function api(base: string, method: string, url: string, body?: unknown): Promise<unknown> {
  const r = await fetch(base + url, {
    method,
    headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  assert.equal(r.status, 200, `${method} ${url}: ${r.status}`);
  const text = await r.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The examples added as Import > Examples adds them: each on a tab, existing (config) nodes reused. */
async function importExamples(base: string, names: string[]): Promise<void> {
  const { flows, rev } = (await api(base, 'GET', '/flows')) as { flows: FlowNode[]; rev: string };
  for (const name of names) {
    const example = (await api(base, 'GET', `/library/examples/flows/${PACKAGE_NAME}/${name}`)) as FlowNode[];
    const tab = { id: `tab-${name}`, type: 'tab', label: name };
    flows.push(tab);
    for (const n of example) {
      if (flows.some((x) => x.id === n.id)) continue;
      flows.push(n.type === 'mqtt-broker' || n.type === 'netconf-device' ? n : { ...n, z: tab.id });
    }
  }
  await api(base, 'POST', '/flows', { flows, rev });
}

describe('scale-out examples in the npm start demo', { timeout: 120000 }, () => {
  const demoDir = tempDir('scale-demo');
  after(() => {
    if (!process.env.E2E_KEEP) fs.rmSync(demoDir, { recursive: true, force: true });
  });

  it('the demo broker runs; dispatcher + worker imported do the demo fleet; SIGINT stops the broker too', async () => {
    const [editorPort, devicePort, brokerPort] = [await freePort(), await freePort(), await freePort()];
    const demo = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NETCONF_DEMO_DIR: demoDir,
        NETCONF_DEMO_EDITOR_PORT: String(editorPort),
        NETCONF_DEMO_DEVICE_PORT: String(devicePort),
        NETCONF_DEMO_BROKER_PORT: String(brokerPort),
        NETCONF_DEMO_SKIP_BUILD: '1',
      },
    });
    let out = '';
    demo.stdout.on('data', (d) => (out += d));
    demo.stderr.on('data', (d) => (out += d));
    const exited = new Promise<void>((resolve) => demo.on('exit', () => resolve()));
    const comms = new Comms();
    try {
      await waitFor('the demo', () => out.includes('Node-RED editor:'), 90000, 200);
      assert.match(out, new RegExp(`Demo MQTT 5 broker: 127\\.0\\.0\\.1:${brokerPort}`));
      assert.match(
        fs.readFileSync(path.join(demoDir, 'demo-broker.conf'), 'utf8'),
        new RegExp(`^listener ${brokerPort} 127\\.0\\.0\\.1$`, 'm'),
      );
      const base = `http://127.0.0.1:${editorPort}`;
      await comms.open(editorPort);
      await importExamples(base, ['10-scale-out-dispatcher', '11-scale-out-worker']);
      const connected = (id: string): boolean => comms.status.get(id)?.text === 'node-red:common.status.connected';
      await waitFor('subscribed', () => connected('d100000000000007') && connected('e110000000000002'), 30000);
      await waitFor(
        'the inject',
        async () => (await fetch(`${base}/inject/${DISPATCHER.inject}`, { method: 'POST' })).ok,
        10000,
      );
      const summary = await waitFor(
        'the summary',
        () => comms.debugFrom(DISPATCHER.summary)[0]?.value as Summary | undefined,
        60000,
      );
      assert.equal(summary.jobs, 11);
      assert.equal(summary.ok, 10, JSON.stringify(summary.failed));
      assert.deepEqual(
        summary.failed.map((f) => [f.device, f.code]),
        [['unreachable-11', 'NETCONF_CONNECT']],
      );
    } finally {
      comms.close();
      demo.kill('SIGINT');
      const timer = setTimeout(() => demo.kill('SIGKILL'), 20000);
      await exited;
      clearTimeout(timer);
    }
    await waitFor('nothing left of the demo', () => processesMentioning(demoDir).length === 0, 10000);
  });
});
