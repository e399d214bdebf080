/**
 * What the ops dashboard reads from a simulated device (simulator/ops-life.ts): a link set down
 * shows oper-status down in <get> and is a <link-state-change> notification, up again likewise;
 * a flap goes down and comes back by itself; /netconf-state/capabilities lists the hello's
 * capabilities (RFC 6022).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findAll, isOk, texts } from '../helpers/simulator-client';
import { memorySessionPerTest } from '../helpers/simulator-per-test';

const N = 'xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"';
const IF_STATE =
  '<get><filter type="subtree"><interfaces-state xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/></filter></get>';

describe('ops life: link state and monitoring capabilities', { timeout: 20000 }, () => {
  const t = memorySessionPerTest();

  const operStatus = async (name: string): Promise<string> => {
    const reply = await t.c.rpc(IF_STATE);
    const entry = findAll(reply, 'interface').find((i) => texts(i, 'name')[0] === name);
    assert.ok(entry, name);
    return texts(entry, 'oper-status')[0];
  };

  test('a link set down is down in <get> and a notification; up again too; unchanged sends nothing', async () => {
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}/>`)));
    assert.equal(await operStatus('eth1'), 'up');
    t.sim.links.set('eth1', false);
    t.sim.links.set('eth1', false); // unchanged: no second event
    const down = await t.c.waitNotification('link-state-change');
    assert.deepEqual([texts(down, 'interface')[0], texts(down, 'oper-status')[0]], ['eth1', 'down']);
    assert.equal(await operStatus('eth1'), 'down');
    assert.equal(await operStatus('eth0'), 'up');
    t.sim.links.set('eth1', true);
    const up = await t.c.waitNotification('link-state-change', 3000, 1);
    assert.equal(texts(up, 'oper-status')[0], 'up');
    assert.equal(await operStatus('eth1'), 'up');
  });

  test('a flap goes down and comes back by itself, again and again', async () => {
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}/>`)));
    t.sim.links.flap({ interface: 'eth0', everyMs: 60, downMs: 20 });
    const events = [];
    for (let i = 0; i < 4; i++)
      events.push(texts(await t.c.waitNotification('link-state-change', 3000, i), 'oper-status')[0]);
    assert.deepEqual(events, ['down', 'up', 'down', 'up']);
  });

  test('/netconf-state/capabilities lists the capabilities of the hello', async () => {
    const reply = await t.c.rpc(
      '<get><filter type="subtree"><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><capabilities/></netconf-state></filter></get>',
    );
    assert.deepEqual(texts(reply, 'capability'), [...t.sim.capabilities]);
  });
});
