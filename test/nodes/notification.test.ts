/**
 * The notification node against the simulator: events as messages, its own session closed on
 * redeploy, and a new subscription (with replay from the last event, no duplicates) after the
 * simulator restarts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, statuses, until, type HelperNode } from './helper';
import { adminCredentials, loadWithDevice, simDevice, simulatorsPerTest, watch } from './sim';

interface EventMeta {
  operation: string;
  sessionId: number;
  event: string;
  eventTime: string;
  xml: string;
}

describe('notification node', { timeout: 60000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('sends one message per event and closes its session on redeploy', async () => {
    const s = await startSimulator({ notificationIntervalMs: 100 });
    const seen = watch(s);
    await loadWithDevice(s, {
      id: 'n',
      type: 'netconf-notification',
      device: 'dev',
      stream: 'NETCONF',
      filterType: 'none',
      output: 'object',
      wires: [['out']],
    });
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.length >= 3, 5000, 'three events');
    const msg = got[0];
    assert.equal(msg.topic, 'heartbeat');
    assert.match(String(msg.eventTime), /^\d{4}-\d{2}-\d{2}T/);
    const payload = msg.payload as { heartbeat: { sequence: string } };
    assert.ok(Number(payload.heartbeat.sequence) >= 1);
    const meta = msg.netconf as EventMeta;
    assert.equal(meta.operation, 'notification');
    assert.equal(meta.event, 'heartbeat');
    assert.match(meta.xml, /^<notification[\s>]/);
    assert.ok(seen.rpcs.includes('create-subscription'));
    await helper.unload();
    await until(() => seen.ends.length >= 1, 5000, 'session end');
    assert.ok(seen.ends.every((e) => e.closeSession));
  });

  it('gives XML and subscribes again after the device restarts, without repeating events', async () => {
    const first = await startSimulator({ notificationIntervalMs: 100 });
    const port = first.port;
    await helper.load(
      allNodes,
      baseFlow(simDevice(first, 'dev', { reconnectMax: '1' }), {
        id: 'n',
        type: 'netconf-notification',
        device: 'dev',
        output: 'xml',
        wires: [['out']],
      }),
      { dev: adminCredentials },
    );
    const n = helper.getNode('n') as HelperNode;
    const seenStatus = statuses(n);
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.length >= 2, 5000, 'events before the restart');
    assert.match(String(got[0].payload), /^<heartbeat[\s>]/);

    await first.close();
    await until(() => seenStatus.some((s) => s.fill === 'red'), 5000, 'red status after the restart');
    const before = got.length;
    const second = await startSimulator({ port, notificationIntervalMs: 100 });
    const seen = watch(second);
    await until(() => got.length >= before + 3, 10000, 'events after the restart');
    assert.ok(seen.rpcs.includes('create-subscription'));
    assert.ok(
      seenStatus.filter((s) => s.fill === 'green' && /^subscribed/.test(String(s.text))).length >= 2,
      'subscribed twice',
    );

    // No event is sent twice, and none goes back in time.
    const keys = got.map((m: NodeMessage) => `${String(m.eventTime)} ${String(m.payload)}`);
    assert.equal(new Set(keys).size, keys.length);
    const times = got.map((m) => Date.parse(String(m.eventTime)));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(!got.some((m) => m.topic === 'replayComplete'), 'our own catch-up replay is not reported');
  });

  it('reports a refused subscription to Catch nodes and in the status', async () => {
    const s = await startSimulator();
    await loadWithDevice(s, {
      id: 'n',
      type: 'netconf-notification',
      device: 'dev',
      stream: 'NO-SUCH-STREAM',
      wires: [['out']],
    });
    const caught = collect(helper.getNode('caught') as HelperNode);
    await until(() => caught.length >= 1, 5000, 'subscription error');
    const error = caught[0].error as { message: string; source: { id: string } };
    assert.equal(error.source.id, 'n');
    assert.match(error.message, /stream|NO-SUCH-STREAM/i);
  });
});
