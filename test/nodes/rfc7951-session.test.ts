/**
 * RFC 7951 JSON over a session's life, against the simulator: notifications typed by the device's
 * YANG (and filtered by an RFC 7951 filter), the YANG from the process-wide cache after a
 * reconnect, a device that announces no modules, and the device editor's module count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, statuses, until, type HelperNode } from './helper';
import { adminCredentials, loadWithDevice, simDevice, simulatorsPerTest, watch } from './sim';
import { meta, run, type JsonInterfaces } from './rfc7951-helper';

describe('RFC 7951 JSON: notifications, reconnects, the device editor', { timeout: 120000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('notification json: events typed by the device YANG, a plain fallback with a warning for an unknown module', async () => {
    const s = await startSimulator({ notificationIntervalMs: 100 });
    const seen = watch(s);
    await loadWithDevice(
      s,
      {
        id: 'n',
        type: 'netconf-notification',
        device: 'dev',
        stream: 'NETCONF',
        filterType: 'none',
        output: 'json',
        wires: [['out']],
      },
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [[]] },
    );
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.some((m) => m.topic === 'heartbeat'), 5000, 'a heartbeat');
    // The schema was loaded before the subscription was made.
    assert.ok(
      seen.rpcs.indexOf('create-subscription') > seen.rpcs.lastIndexOf('get-schema') ||
        !seen.rpcs.includes('get-schema'),
    );
    const beat = got.find((m) => m.topic === 'heartbeat') as NodeMessage;
    const event = (beat.payload as Record<string, { sequence: string; uptime: string }>)['netconf-simulator:heartbeat'];
    assert.ok(event, JSON.stringify(beat.payload));
    assert.equal(typeof event.sequence, 'string', 'uint64 is a string in RFC 7951');
    assert.deepEqual(meta(beat).warnings, []);

    // ietf-netconf-notifications is not among the simulator's modules: plain, with a warning.
    helper.getNode('e')?.receive({
      payload: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth1</name><description>x</description></interface></interfaces>`,
    });
    await until(() => got.some((m) => m.topic === 'netconf-config-change'), 5000, 'a config change event');
    const change = got.find((m) => m.topic === 'netconf-config-change') as NodeMessage;
    assert.ok(
      Object.keys(change.payload as object).some((k) => k.endsWith('netconf-config-change')),
      JSON.stringify(change.payload),
    );
    assert.ok(meta(change).warnings.length >= 1);
    assert.equal(meta(change).warnings[0].code, 'NETCONF_YANG_FALLBACK');
  });

  it('notification with an RFC 7951 filter: only the matching events', async () => {
    const s = await startSimulator({ notificationIntervalMs: 100 });
    await loadWithDevice(
      s,
      {
        id: 'n',
        type: 'netconf-notification',
        device: 'dev',
        stream: 'NETCONF',
        filter: '{"netconf-simulator:heartbeat": {}}',
        filterType: 'json',
        output: 'json',
        wires: [['out']],
      },
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [[]] },
    );
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.length >= 1, 5000, 'a heartbeat');
    helper.getNode('e')?.receive({
      payload: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth1</name><description>y</description></interface></interfaces>`,
    });
    await until(() => got.length >= 4, 5000, 'more heartbeats');
    assert.deepEqual([...new Set(got.map((m) => m.topic))], ['heartbeat'], 'the config change was filtered out');
  });

  it('after a reconnect the YANG comes from the process-wide cache: no get-schema, the count shown again', async () => {
    const first = await startSimulator();
    const port = first.port;
    await helper.load(
      allNodes,
      baseFlow(simDevice(first, 'dev', { reconnectMax: '1' }), {
        id: 'g',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        filterType: 'none',
        output: 'json',
        wires: [['out']],
      }),
      { dev: adminCredentials },
    );
    const seenStatus = statuses(helper.getNode('g') as HelperNode);
    await run('g');
    await first.close();
    await until(() => seenStatus.some((st) => st.fill === 'red'), 5000, 'the session lost');
    const second = await startSimulator({ port });
    const seen = watch(second);
    const before = seenStatus.length;
    const msg = await run('g');
    assert.ok((msg.payload as JsonInterfaces)['ietf-interfaces:interfaces'].interface.length === 4);
    assert.ok(!seen.rpcs.includes('get-schema'), `fetched again: ${seen.rpcs.join(', ')}`);
    await until(
      () => seenStatus.slice(before).some((st) => /YANG modules$/.test(String(st.text))),
      5000,
      'the module count after the reconnect',
    );
  });

  it('a device that announces no modules: json output is plain throughout, each subtree with a NETCONF_YANG_FALLBACK warning', async () => {
    // No module capabilities at all: the schema is empty, every subtree is converted plainly.
    const s = await startSimulator({ capabilities: ['urn:ietf:params:netconf:capability:writable-running:1.0'] });
    await loadWithDevice(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const msg = await run('g');
    assert.ok(meta(msg).warnings.length >= 1);
    assert.ok(meta(msg).warnings.every((w) => w.code === 'NETCONF_YANG_FALLBACK'));
    assert.ok(JSON.stringify(msg.payload).includes('eth0'));
  });

  it('the device editor: Test connection reports the YANG modules, and the deployed device its count', async () => {
    const s = await startSimulator();
    await loadWithDevice(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const device = simDevice(s);
    const test = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, ...adminCredentials });
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
    const yang = test.body.yang as { modules: number; fetched: number; cached: number; warnings: string[] };
    assert.ok(yang.modules >= 4, JSON.stringify(yang));
    assert.ok(yang.cached >= yang.modules);

    await run('g');
    const deployed = await helper.request().get('/netconf-device/dev/yang');
    assert.equal(deployed.body.deployed, true);
    assert.equal(deployed.body.modules, yang.modules);
    const missing = await helper.request().get('/netconf-device/nope/yang');
    assert.equal(missing.body.deployed, false);
  });
});
