/**
 * netconf-diff behind a fleet device (Host empty): configurations are kept per device of the
 * fleet (msg.netconf.device is the target's name) and each is diffed with the schema of that
 * device's own pool session, reached through msg.netconf.deviceId and msg.device. Without an open
 * session the diff is plain and says why, and the diff node never opens one: not even when the
 * session ends just as the diff node reaches for it (a state check then use() once did).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceApi } from '../../nodes/shared/device-api';
import type { NodeMessage } from '../../nodes/shared/red-types';
import type { Manager } from '../../src/index';
import { DEMO_CONFIG } from '../helpers/diff-simulator';
import { allNodes, baseFlow, collect, helper, until, type HelperNode } from './helper';
import { adminCredentials, fleetDevice, secondSession, startSimulator, type NetconfSimulator } from './sim';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

interface Diff {
  changes: { op: string; path: string; before?: unknown; after?: unknown }[];
  text: string;
  warnings: string[];
  first?: boolean;
}
const diffOf = (msg: NodeMessage): Diff => msg.diff as Diff;

/** The session's transport reports an error (a reset connection); the pool hears of it microtasks later. */
function failTransport(manager: Manager): void {
  const stream = (manager.session as unknown as { stream: NodeJS.EventEmitter }).stream;
  stream.emit('error', new Error('read ECONNRESET (injected by the test)'));
}

describe('netconf-diff with a fleet device', { timeout: 60000 }, () => {
  const sims: NetconfSimulator[] = [];
  before(async () => {
    sims.push(await startSimulator({ initialConfig: DEMO_CONFIG }));
    sims.push(await startSimulator({ initialConfig: DEMO_CONFIG.replace('uplink', 'uplink of b') }));
    await helper.startServer();
    await helper.load(
      allNodes,
      baseFlow(
        fleetDevice({ queueSize: '100', maxSessions: '5' }),
        { id: 'g', type: 'netconf-get', device: 'fleet', operation: 'get-config', output: 'xml', wires: [['d']] },
        { id: 'd', type: 'netconf-diff', ignore: '', wires: [['changed'], ['same']] },
        { id: 'changed', type: 'helper', wires: [] },
        { id: 'same', type: 'helper', wires: [] },
      ),
      { fleet: adminCredentials },
    );
  });
  after(async () => {
    await helper.unload();
    await helper.stopServer();
    await Promise.all(sims.map((s) => s.close()));
  });

  const target = (i: number): Record<string, unknown> => ({
    host: '127.0.0.1',
    port: sims[i].port,
    name: `dev-${'ab'[i]}`,
    hostFingerprint: sims[i].hostFingerprint,
  });

  /** Reads device i's configuration through the get node; resolves with where it came out of the diff. */
  async function read(i: number): Promise<{ at: string; msg: NodeMessage }> {
    const boxes = ['changed', 'same', 'caught'].map((id) => ({ id, all: collect(helper.getNode(id) as HelperNode) }));
    const counts = boxes.map((b) => b.all.length);
    helper.getNode('g')?.receive({ payload: '', device: target(i) });
    let hit: { at: string; msg: NodeMessage } | undefined;
    await until(
      () => {
        const k = boxes.findIndex((b, j) => b.all.length > counts[j]);
        if (k >= 0) hit = { at: boxes[k].id, msg: boxes[k].all[counts[k]] };
        return hit !== undefined;
      },
      15000,
      `dev-${'ab'[i]} through the diff`,
    );
    return hit!;
  }

  it('keeps the last configuration per device of the fleet and diffs it with that device session schema', async () => {
    for (const i of [0, 1]) {
      const first = await read(i);
      assert.equal(first.at, 'changed', JSON.stringify(first.msg.error ?? ''));
      assert.equal(diffOf(first.msg).first, true, `dev-${'ab'[i]} is seen first`);
      assert.equal((first.msg.netconf as { device: string }).device, `dev-${'ab'[i]}`);
      assert.equal((first.msg.netconf as { deviceId: string }).deviceId, 'fleet');
    }
    // Two devices with different configurations, each compared with its own: both unchanged.
    for (const i of [0, 1]) {
      const again = await read(i);
      assert.equal(again.at, 'same', `dev-${'ab'[i]} unchanged`);
      assert.deepEqual(diffOf(again.msg).warnings, [], 'the schema of the fleet session was used');
    }
    const other = await secondSession(sims[1]);
    await other.editConfig(
      `<interfaces xmlns="${IF}"><interface><name>eth1</name><enabled>false</enabled></interface></interfaces>`,
      { target: 'running' },
    );
    await other.close();
    const changed = await read(1);
    assert.equal(changed.at, 'changed');
    const diff = diffOf(changed.msg);
    // Keyed by the list key and typed (a boolean, not the text 'false'): the YANG-aware diff, not the plain one.
    assert.deepEqual(
      diff.changes.map((c) => [c.op, c.path, c.after]),
      [['replace', "/ietf-interfaces:interfaces/interface[name='eth1']/enabled", false]],
    );
    assert.deepEqual(diff.warnings, []);
    assert.match(diff.text, /^\+ *"enabled": false/m);
    const a = await read(0);
    assert.equal(a.at, 'same', 'the other device is not compared with the changed one');
  });

  /** Sends a changed configuration straight to the diff node, for `device` of the fleet; resolves with its diff. */
  async function diffFor(device: Record<string, unknown>, name: string): Promise<Diff> {
    const boxes = ['changed', 'same', 'caught'].map((id) => collect(helper.getNode(id) as HelperNode));
    const before = boxes.map((b) => b.length);
    const xml = `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="${IF}"><interface><name>x</name></interface></interfaces></data>`;
    helper.getNode('d')?.receive({
      payload: xml.replace('>x<', '>y<'),
      previous: xml,
      device,
      netconf: { device: name, deviceId: 'fleet' },
    });
    await until(() => boxes[0].length > before[0] || boxes[2].length > before[2], 10000, 'the plain diff');
    assert.equal(boxes[2].length, before[2], 'nothing caught');
    return diffOf(boxes[0][before[0]]);
  }

  it('a fleet device without an open session: a plain diff that says why', async () => {
    const diff = await diffFor({ host: '127.0.0.2', port: 1, name: 'dev-c' }, 'dev-c');
    assert.ok(diff.warnings.includes('plain diff: dev-c has no open session'), JSON.stringify(diff.warnings));
  });

  it('a fleet session that ends as the diff node reaches for it: a plain diff, and no session opened', async () => {
    await read(0); // dev-a's pool session is open (idle) now
    const pool = (helper.getNode('fleet') as unknown as DeviceApi).fleet!.pool;
    const manager = await pool.use({ host: '127.0.0.1', port: sims[0].port }, (m) => m);
    let started = 0;
    sims[0].on('session-start', () => started++);
    // The transport fails just as the diff node makes its first pool call for the device (the key
    // comes first): the session still looks idle then, and ends before the pool hands it over.
    const keyOf = pool.keyOf.bind(pool);
    let injected = false;
    pool.keyOf = (t) => {
      pool.keyOf = keyOf;
      injected = true;
      failTransport(manager);
      return keyOf(t);
    };
    const diff = await diffFor(target(0), 'dev-a');
    assert.ok(injected, 'the transport failed during the diff');
    assert.equal(started, 0, 'the diff node opened no session to dev-a');
    assert.ok(diff.warnings.includes('plain diff: dev-a has no open session'), JSON.stringify(diff.warnings));
    assert.equal(pool.state({ host: '127.0.0.1', port: sims[0].port }), undefined, 'the pool forgot the dead one');
  });
});
