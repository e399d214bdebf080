/**
 * The device node over TLS (RFC 7589) with a core tls-config node, against the simulator's TLS
 * listener (mutual TLS; the client certificate's CN is the NETCONF user): a get-config with the
 * certificates given as files and as inline data, Test connection, and a server certificate from
 * a CA the tls-config does not trust turning the status red with the reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import {
  allNodes,
  baseFlow,
  collect,
  helper,
  statuses,
  tlsNode,
  until,
  type FlowNode,
  type HelperNode,
} from './helper';
import { tlsSimulatorPerTest, watch } from './sim';

const nodes = [...allNodes, tlsNode()];

function tlsDevice(port: number, extra: Record<string, unknown> = {}): FlowNode {
  return {
    id: 'dev',
    type: 'netconf-device',
    name: 'tls-dev',
    transport: 'tls',
    host: '127.0.0.1',
    port: String(port),
    tls: 'tlsconf',
    connectTimeout: '5',
    rpcTimeout: '10',
    keepalive: '0',
    reconnectMax: '2',
    queueSize: '10',
    queueTimeout: '5',
    ...extra,
  };
}

describe('netconf-device over TLS with a tls-config node', { timeout: 60000 }, () => {
  const tls = tlsSimulatorPerTest();

  async function getConfig(): Promise<NodeMessage> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    helper.getNode('g')?.receive({ payload: '' });
    await until(() => outs.length + caught.length > 0, 10000, 'a reply over TLS');
    if (caught.length) throw new Error(`caught: ${(caught[0].error as { message: string }).message}`);
    return outs[0];
  }

  const getNode = {
    id: 'g',
    type: 'netconf-get',
    device: 'dev',
    operation: 'get-config',
    source: 'running',
    filterType: 'none',
    output: 'json',
    wires: [['out']],
  };

  it('get-config over TLS, certificates from files; the session user is the certificate CN', async () => {
    const { sim, listener } = await tls.start();
    const users: string[] = [];
    sim.on('session-start', (_id: number, user: string) => users.push(user));
    const seen = watch(sim);
    await helper.load(
      nodes,
      baseFlow(
        {
          id: 'tlsconf',
          type: 'tls-config',
          cert: tls.pki.client.certFile,
          key: tls.pki.client.keyFile,
          ca: tls.pki.caFile,
          verifyservercert: true,
        },
        tlsDevice(listener.port),
        getNode,
      ),
    );
    const msg = await getConfig();
    const interfaces = (msg.payload as { 'ietf-interfaces:interfaces': { interface: { name: string }[] } })[
      'ietf-interfaces:interfaces'
    ];
    assert.deepEqual(
      interfaces.interface.map((i) => i.name),
      ['eth0', 'eth1', 'eth2', 'lo0'],
    );
    assert.equal((msg.netconf as { device: string }).device, 'tls-dev');
    assert.deepEqual(users, ['netconf']);
    assert.ok(seen.rpcs.includes('get-config'));

    // Test connection over the same tls-config (the deployed one).
    const test = await helper.request().post('/netconf-device/dev/test').send(tlsDevice(listener.port));
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
    assert.ok((test.body.capabilities as string[]).some((c) => c.startsWith('urn:ietf:params:netconf:base:')));
  });

  it('certificates as inline data (uploaded into the tls-config credentials)', async () => {
    const { listener } = await tls.start();
    await helper.load(
      nodes,
      baseFlow(
        { id: 'tlsconf', type: 'tls-config', cert: '', key: '', ca: '', verifyservercert: true },
        tlsDevice(listener.port),
        getNode,
      ),
      { tlsconf: { certdata: tls.pki.client.cert, keydata: tls.pki.client.key, cadata: tls.pki.ca } },
    );
    const msg = await getConfig();
    assert.ok((msg.payload as Record<string, unknown>)['ietf-interfaces:interfaces']);
  });

  it('a server certificate from a CA the tls-config does not trust: red status with the reason, messages fail with it', async () => {
    const { sim, listener } = await tls.start();
    await helper.load(
      nodes,
      baseFlow(
        // The device's certificate is signed by tls.pki.ca; this tls-config trusts only the other CA.
        { id: 'tlsconf', type: 'tls-config', cert: '', key: '', ca: '', verifyservercert: true },
        tlsDevice(listener.port),
        getNode,
      ),
      { tlsconf: { certdata: tls.pki.client.cert, keydata: tls.pki.client.key, cadata: tls.pki.otherCa } },
    );
    const seen = statuses(helper.getNode('g') as HelperNode);
    const watchSim = watch(sim);
    await until(() => seen.some((s) => s.fill === 'red'), 10000, 'a red status');
    const red = seen.find((s) => s.fill === 'red');
    assert.equal(red?.shape, 'ring');
    assert.equal(red?.text, 'the server certificate is not signed by a trusted CA');

    const caught = collect(helper.getNode('caught') as HelperNode);
    helper.getNode('g')?.receive({ payload: '' });
    await until(() => caught.length > 0, 10000, 'the failed message');
    const error = caught[0].error as { code: string; message: string };
    assert.equal(error.code, 'NETCONF_NOT_CONNECTED');
    assert.match(error.message, /not signed by a trusted CA .*give the CA that signed it/);
    assert.equal(watchSim.rpcs.length, 0, 'nothing reached the device');
  });
});
