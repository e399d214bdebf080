/**
 * NOT YET PASSING (not a *.test file, so the e2e suite does not run it): in the real Node-RED the
 * get-config node reports "no NETCONF device configured" for the fleet device; to investigate.
 *
 * Fleet mode in a real Node-RED (issue 18): the packed package installed in a fresh user dir,
 * a flow inventory -> split -> get-config on a fleet netconf-device (Host empty, maxSessions 10)
 * against 50 devices (simulators in another process): 44 pinned, 1 with an unknown host key, 5
 * dead ports. Every message reaches the output or the Catch node (counted over the comms
 * websocket: none silently dropped), and a redeploy closes every session (server-side count).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFleet, type Fleet } from '../helpers/fleet-process';
import { Comms } from './comms';
import { createUserDir, NodeRed, waitFor } from './harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('fleet mode in a real Node-RED: 50 devices', { timeout: 300000 }, () => {
  let fleet: Fleet;
  let nr: NodeRed;
  let comms: Comms;
  let userDir: string;

  before(async () => {
    fleet = await startFleet(45);
    ({ userDir } = createUserDir('fleet'));
    nr = new NodeRed({ userDir });
    await nr.start();
    comms = new Comms();
    await comms.open(nr.port);
  });
  after(async () => {
    comms?.close();
    await nr?.stop();
    await fleet?.stop();
    if (userDir && !process.env.E2E_KEEP) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('every message reaches the output or the Catch node; redeploy closes every session', async () => {
    const inventory: Record<string, unknown>[] = fleet.devices.map((d, i) => ({
      host: d.host,
      port: d.port,
      name: `dev${i}`,
      ...(i === 44 ? {} : { hostFingerprint: d.hostFingerprint }),
    }));
    for (let i = 0; i < 5; i++) inventory.push({ host: '127.0.0.1', port: await freePort(), name: `dead${i}` });
    const z = { z: 'tab', x: 100, y: 100 };
    const flow = [
      { id: 'tab', type: 'tab', label: 'fleet' },
      {
        id: 'fleet',
        type: 'netconf-device',
        name: 'fleet',
        host: '',
        port: '830',
        transport: 'ssh',
        verifyHostKey: true,
        connectTimeout: '10',
        queueSize: '1000',
        queueTimeout: '60',
        maxSessions: '10',
        idleTimeout: '120',
        credentials: { username: 'admin', password: 'admin' },
      },
      {
        id: 'inj',
        type: 'inject',
        props: [{ p: 'payload' }],
        payload: JSON.stringify(inventory),
        payloadType: 'json',
        once: false,
        wires: [['split']],
        ...z,
      },
      {
        id: 'split',
        type: 'split',
        splt: '\\n',
        spltType: 'str',
        arraySplt: 1,
        arraySpltType: 'len',
        stream: false,
        addname: '',
        wires: [['set']],
        ...z,
      },
      {
        id: 'set',
        type: 'change',
        rules: [{ t: 'set', p: 'device', pt: 'msg', to: 'payload', tot: 'msg' }],
        wires: [['get']],
        ...z,
      },
      {
        id: 'get',
        type: 'netconf-get',
        device: 'fleet',
        operation: 'get-config',
        output: 'xml',
        wires: [['ok']],
        ...z,
      },
      {
        id: 'ok',
        type: 'debug',
        active: true,
        tosidebar: true,
        complete: 'netconf.device',
        targetType: 'msg',
        wires: [],
        ...z,
      },
      { id: 'catch', type: 'catch', scope: ['get'], uncaught: false, wires: [['caught']], ...z },
      {
        id: 'caught',
        type: 'debug',
        active: true,
        tosidebar: true,
        complete: 'error.message',
        targetType: 'msg',
        wires: [],
        ...z,
      },
    ];
    await nr.deploy(flow);
    // the flow starts after the deploy request returns: retry the inject until the node exists
    await waitFor(
      'the inject node',
      async () => {
        await nr.inject('inj');
        return true;
      },
      30000,
      500,
    );
    await waitFor('50 answers', () => comms.debugFrom('ok').length + comms.debugFrom('caught').length >= 50, 120000);
    const ok = comms.debugFrom('ok').map((d) => String(d.value));
    const caught = comms.debugFrom('caught').map((d) => String(d.value));
    assert.equal(ok.length, 44, caught.slice(0, 3).join(' | '));
    assert.equal(caught.length, 6);
    assert.equal(new Set(ok).size, 44);
    assert.ok(
      caught.some((m) => m.startsWith('dev44:') && /SHA256:/.test(m)),
      caught.join('\n'),
    );
    for (let i = 0; i < 5; i++)
      assert.ok(
        caught.some((m) => m.startsWith(`dead${i}:`)),
        `dead${i}`,
      );

    const stats = await fleet.stats();
    assert.ok(stats.peakLive <= 10 && stats.peakPerDevice === 1, JSON.stringify(stats));
    assert.ok(stats.live > 0, 'idle sessions still open before the redeploy');
    const closedBefore = stats.endedByCloseSession;
    await nr.deploy([{ id: 'tab', type: 'tab', label: 'empty' }]);
    await waitFor('every session closed', async () => (await fleet.stats()).live === 0, 20000);
    const after = await fleet.stats();
    assert.equal(after.endedByCloseSession - closedBefore, stats.live, 'each with <close-session>');
  });
});
