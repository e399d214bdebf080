/**
 * The device's "NETCONF alive" probe on a fleet over TLS: the help promises it on every session the
 * node dials, and the TLS options of the fleet's pool once went without it, so a device holding its
 * replies kept a message waiting for the whole RPC timeout instead of failing when the probe found
 * the session dead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allNodes, baseFlow, collect, helper, tlsNode, until, type HelperNode } from './helper';
import { fleetDevice, tlsSimulatorPerTest } from './sim';

describe('fleet netconf-device over TLS: the NETCONF keepalive', { timeout: 60000 }, () => {
  const tls = tlsSimulatorPerTest();

  it('a device that stops answering fails the waiting message through the probe, not the RPC timeout', async () => {
    const { sim, listener } = await tls.start();
    await helper.load(
      [...allNodes, tlsNode()],
      baseFlow(
        { id: 'tlsconf', type: 'tls-config', cert: '', key: '', ca: '', verifyservercert: true },
        // RPC timeout 30 s: far longer than two missed probes 0.3 s apart.
        fleetDevice({ transport: 'tls', tls: 'tlsconf', rpcTimeout: '30', netconfKeepalive: '0.3' }),
        { id: 'g', type: 'netconf-get', device: 'fleet', operation: 'get-config', output: 'object', wires: [['out']] },
      ),
      { tlsconf: { certdata: tls.pki.client.cert, keydata: tls.pki.client.key, cadata: tls.pki.ca } },
    );
    const g = helper.getNode('g') as HelperNode;
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const device = { host: '127.0.0.1', port: listener.port, name: 'tls-1' };
    g.receive({ payload: 'first', device });
    await until(() => outs.length + caught.length > 0, 10000, 'the first reply');
    assert.equal(caught.length, 0, JSON.stringify(caught[0]?.error));

    sim.setFaults({ hold: true });
    g.receive({ payload: 'held', device });
    await until(() => caught.length > 0, 15000, 'the held message failing');
    sim.clearFaults();
    const error = caught[0].error as { code: string; message: string };
    assert.equal(error.code, 'NETCONF_SESSION_CLOSED', error.message);
    assert.match(error.message, /keepalive/);
  });
});
