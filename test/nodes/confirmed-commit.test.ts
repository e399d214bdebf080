/**
 * Confirmed commits from the nodes survive a redeploy (issue 15): where the device has
 * :confirmed-commit:1.1 they are persistent under a generated persist-id kept in the device
 * node's context; the confirming commit sends it, so it fails loudly when nothing is pending;
 * the status counts down and says when the window lapsed.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { NodeMessage, NodeStatus } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, statuses, until, type FlowNode, type HelperNode } from './helper';
import { adminCredentials, simDevice, startSimulator, watch, type NetconfSimulator } from './sim';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const change = (text: string): string =>
  `<interfaces xmlns="${IF}"><interface><name>eth2</name><description>${text}</description></interface></interfaces>`;

interface Caught {
  message: string;
  code?: string;
}
const persistIdOf = (msg: NodeMessage): string | undefined => (msg.netconf as { persistId?: string }).persistId;

describe('persistent confirmed commits from the nodes', { timeout: 60000 }, () => {
  let sim: NetconfSimulator;
  let flow: FlowNode[];
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(async () => {
    // Real seconds: the node's countdown and the device's timer agree.
    sim = await startSimulator({ confirmTimeoutUnitMs: 1000 });
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
  });

  async function load(confirmTimeout: string): Promise<void> {
    flow = baseFlow(
      simDevice(sim),
      { id: 't', type: 'netconf-edit-config', device: 'dev', transaction: true, confirmed: true, confirmTimeout },
      { id: 'ok', type: 'netconf-commit', device: 'dev', operation: 'confirm' },
      { id: 'cc', type: 'netconf-commit', device: 'dev', operation: 'confirmed-commit', confirmTimeout },
    ).map((n) => (['t', 'ok', 'cc'].includes(n.id) ? { ...n, wires: [['out']] } : n));
    await helper.load(allNodes, flow, { dev: adminCredentials });
  }

  async function send(id: string, input: NodeMessage = { payload: '' }): Promise<{ out?: NodeMessage; err?: Caught }> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode(id)?.receive(input);
    await until(() => outs.length > o || caught.length > c, 8000, `a reply from ${id}`);
    return caught.length > c ? { err: caught[c].error as Caught } : { out: outs[o] };
  }

  it('a redeploy inside the window keeps the change; confirm sends the persist-id; a second confirm fails', async () => {
    const seen = watch(sim);
    await load('30');
    const applied = await send('t', { payload: change('kept over a redeploy') });
    const persistId = applied.out && persistIdOf(applied.out);
    assert.match(String(persistId), /^node-red-[0-9a-f-]{36}$/);
    assert.match(sim.getConfigXml('running'), /kept over a redeploy/);

    // A full deploy closes every session: without persist the device would roll back now.
    const sessionsBefore = seen.ends.length;
    await helper.setFlows(flow, 'full', { dev: adminCredentials });
    await until(() => seen.ends.length > sessionsBefore, 8000, 'the old session to end');
    await new Promise((r) => setTimeout(r, 300));
    assert.match(sim.getConfigXml('running'), /kept over a redeploy/);

    const okStatuses = statuses(helper.getNode('ok') as HelperNode);
    const confirmed = await send('ok');
    assert.ok(confirmed.out, `confirm failed: ${confirmed.err?.message}`);
    assert.equal(persistIdOf(confirmed.out), persistId);
    assert.match(sim.getConfigXml('running'), /kept over a redeploy/);
    await until(() => okStatuses.some((s) => s.fill === 'green'), 3000, 'the badge back after confirming');

    // Nothing is pending any more: a confirm is an error, not a success.
    const again = await send('ok');
    assert.equal(again.err?.code, 'NETCONF_INVALID_INPUT', again.err?.message);
    assert.match(again.err?.message ?? '', /no confirmed commit/);
  });

  it('a lapsed window: the device rolls back, the status says so, and confirm fails loudly', async () => {
    await load('2');
    const ccStatuses: NodeStatus[] = statuses(helper.getNode('cc') as HelperNode);
    await send('t', { payload: change('lapses') }); // edit + confirmed commit in a transaction
    // A follow-up confirmed commit extends the pending one with its persist-id.
    const extended = await send('cc');
    assert.ok(extended.out, extended.err?.message);
    assert.match(sim.getConfigXml('running'), /lapses/);
    await until(
      () => ccStatuses.some((s) => /confirm within \d+ s/.test(String(s.text))),
      3000,
      'the countdown in the status',
    );
    await until(() => !/lapses/.test(sim.getConfigXml('running')), 8000, 'the rollback on the device');
    await until(
      () => ccStatuses.some((s) => s.fill === 'red' && /not confirmed within 2 s/.test(String(s.text))),
      3000,
      'the status saying it lapsed',
    );
    const confirm = await send('ok');
    assert.ok(confirm.err, 'a confirm after the rollback must fail');
    assert.equal(confirm.err.code, 'invalid-value', confirm.err.message);
    assert.doesNotMatch(sim.getConfigXml('running'), /lapses/);
  });
});
