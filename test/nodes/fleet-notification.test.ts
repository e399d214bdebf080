/**
 * netconf-notification on a fleet device (issue 18): msg.action 'subscribe' with msg.device
 * subscribes to that device (events carry msg.netconf.device = its name), 'unsubscribe' ends that
 * subscription's session with <close-session>, a redeploy ends the others, and a subscription comes
 * back after its device restarts (resubscription after a reconnect, as for a single device).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, until, type HelperNode } from './helper';
import { adminCredentials, simulatorsPerTest, watch } from './sim';

function deviceOf(msg: NodeMessage): string {
  return (msg.netconf as { device: string }).device;
}

describe('fleet notifications: one subscription per device on msg.action', { timeout: 60000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('subscribes per msg.device, tags events with the device, unsubscribes and closes on redeploy', async () => {
    const a = await startSimulator({ notificationIntervalMs: 100 });
    const b = await startSimulator({ notificationIntervalMs: 100 });
    const seenA = watch(a);
    const seenB = watch(b);
    const flow = baseFlow(
      {
        id: 'fleet',
        type: 'netconf-device',
        host: '',
        port: '830',
        transport: 'ssh',
        connectTimeout: '5',
        reconnectMax: '1',
      },
      {
        id: 'n',
        type: 'netconf-notification',
        device: 'fleet',
        stream: 'NETCONF',
        filterType: 'none',
        output: 'object',
        wires: [['out']],
      },
    );
    await helper.load(allNodes, flow, { fleet: adminCredentials });
    const n = helper.getNode('n') as HelperNode;
    const out = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    n.receive({
      action: 'subscribe',
      device: { host: '127.0.0.1', port: a.port, name: 'A', hostFingerprint: a.hostFingerprint },
    });
    n.receive({
      action: 'subscribe',
      device: { host: '127.0.0.1', port: b.port, name: 'B', hostFingerprint: b.hostFingerprint },
    });
    await until(
      () => ['A', 'B'].every((d) => out.filter((m) => deviceOf(m) === d).length >= 2),
      10000,
      'events of A and B',
    );
    assert.equal(out[0].topic, 'heartbeat');

    n.receive({ action: 'unsubscribe', device: { host: '127.0.0.1', port: a.port } });
    await until(() => seenA.ends.length === 1, 5000, 'A session end');
    assert.equal(seenA.ends[0].closeSession, true);
    const countA = out.filter((m) => deviceOf(m) === 'A').length;
    const countB = out.filter((m) => deviceOf(m) === 'B').length;
    await until(() => out.filter((m) => deviceOf(m) === 'B').length >= countB + 2, 5000, 'B goes on');
    assert.equal(out.filter((m) => deviceOf(m) === 'A').length, countA, 'no event of A after unsubscribe');

    // A device restarts: the subscription comes back on the new session.
    const port = b.port;
    await b.close();
    const b2 = await startSimulator({ port, notificationIntervalMs: 100 });
    const seenB2 = watch(b2);
    await until(() => seenB2.rpcs.includes('create-subscription'), 10000, 'resubscribed after the restart');

    n.receive({ action: 'bogus', device: { host: '127.0.0.1', port } });
    await until(() => caught.length === 1, 5000, 'bad action caught');
    assert.equal((caught[0].error as { code: string }).code, 'NETCONF_INVALID_INPUT');

    await helper.unload();
    await until(() => seenB2.ends.length === 1, 5000, 'B session end on redeploy');
    assert.equal(seenB2.ends[0].closeSession, true);
    assert.ok(seenB.rpcs.includes('create-subscription'));
  });
});
