/**
 * netconf-commit "confirm" on a fleet device: the nodes track no pending commit there, so the
 * persist-id must be given; the error says where (msg.netconf.persistId, the node's help names
 * it), and nothing is sent to the device.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { allNodes, baseFlow, collect, helper, until, type HelperNode } from './helper';
import { fleetDevice, startSimulator, watch, type NetconfSimulator } from './sim';

describe('netconf-commit confirm on a fleet device', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  before(async () => {
    await helper.startServer();
    sim = await startSimulator();
  });
  after(async () => {
    await helper.stopServer();
    await sim?.close();
  });
  afterEach(() => helper.unload());

  it('without a persist-id fails with NETCONF_INVALID_INPUT naming msg.netconf.persistId, nothing sent', async () => {
    await helper.load(
      allNodes,
      baseFlow(fleetDevice({ verifyHostKey: false }), {
        id: 'c',
        type: 'netconf-commit',
        device: 'fleet',
        operation: 'confirm',
        wires: [['out']],
      }),
      { fleet: { username: 'admin', password: 'admin' } },
    );
    const caught = collect(helper.getNode('caught') as HelperNode);
    const out = collect(helper.getNode('out') as HelperNode);
    const seen = watch(sim);
    const device = { host: '127.0.0.1', port: sim.port, name: 'sim' };
    helper.getNode('c')?.receive({ payload: '', device });
    await until(() => caught.length > 0, 10000, 'the failed message');
    const error = caught[0].error as { code: string; message: string };
    assert.equal(error.code, 'NETCONF_INVALID_INPUT');
    assert.match(error.message, /msg\.netconf\.persistId/);
    assert.equal(seen.rpcs.length, 0, 'nothing reached the device');

    // With the persist-id the same message goes to the device (which has nothing pending to confirm).
    helper.getNode('c')?.receive({ payload: '', device, netconf: { persistId: 'none-pending' } });
    await until(() => caught.length + out.length > 1, 10000, "the device's answer");
    assert.ok(seen.rpcs.includes('commit'), `rpcs: ${seen.rpcs.join(', ')}`);
  });
});
