/**
 * The device node reaching the simulator through a netconf-ssh-jump node (a real OpenSSH sshd
 * bastion), Test connection's per-hop report, and the NETCONF keepalive: under the simulator's
 * hold fault the session is declared dead, the status goes red, and the node reconnects.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { NodeStatus } from '../../nodes/shared/red-types';
import { sshdClientKey, TestSshd } from '../helpers/sshd';
import { allNodes, baseFlow, helper, nextMessage, sshJumpNode, statuses, until, type FlowNode } from './helper';
import { adminCredentials, simDevice, startSimulator, type NetconfSimulator } from './sim';

describe('netconf-device: jump host and NETCONF keepalive', { timeout: 60000 }, () => {
  let sim: NetconfSimulator;
  const bastion = new TestSshd();
  before(async () => {
    await helper.startServer();
    sim = await startSimulator();
    await bastion.start();
  });
  after(async () => {
    await bastion.stop();
    await sim.close();
    await helper.stopServer();
  });
  afterEach(async () => {
    sim.clearFaults();
    await helper.unload();
  });

  const jump = (extra: Record<string, unknown> = {}): FlowNode => ({
    id: 'j1',
    type: 'netconf-ssh-jump',
    host: '127.0.0.1',
    port: String(bastion.port),
    hostFingerprint: bastion.fingerprint,
    verifyHostKey: true,
    ...extra,
  });
  const jumpCredentials = { username: bastion.username, privateKey: sshdClientKey().private };
  const get: FlowNode = {
    id: 'g',
    type: 'netconf-get',
    device: 'dev',
    operation: 'get-config',
    source: 'running',
    filterType: 'none',
    output: 'xml',
    wires: [['out']],
  };

  it('gets the config through the jump host; Test connection reports the hop', async () => {
    const device = simDevice(sim, 'dev', { jump: 'j1' });
    await helper.load([...allNodes, sshJumpNode], baseFlow(jump(), device, get), {
      dev: adminCredentials,
      j1: jumpCredentials,
    });
    const out = helper.getNode('out');
    assert.ok(out);
    const reply = nextMessage(out, 15000);
    helper.getNode('g')?.receive({ payload: 'go' });
    assert.match(String((await reply).payload), /interfaces/);
    const test = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, username: 'admin', password: '__PWRD__' });
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
    assert.deepEqual(test.body.hops, [{ name: `jump host 1 (127.0.0.1:${bastion.port})`, ok: true }]);
  });

  it('a fleet device reaches every target through its jump host (a wrong hop key fails naming the hop)', async () => {
    const fleet = simDevice(sim, 'dev', { jump: 'j1', host: '', hostFingerprint: '' });
    const target = { host: '127.0.0.1', port: sim.port, hostFingerprint: sim.hostFingerprint };
    await helper.load([...allNodes, sshJumpNode], baseFlow(jump(), fleet, get), {
      dev: adminCredentials,
      j1: jumpCredentials,
    });
    const reply = nextMessage(helper.getNode('out') as Parameters<typeof nextMessage>[0], 15000);
    helper.getNode('g')?.receive({ payload: 'go', device: target });
    assert.match(String((await reply).payload), /interfaces/);
    await helper.unload();
    const wrong = jump({ hostFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await helper.load([...allNodes, sshJumpNode], baseFlow(wrong, fleet, get), {
      dev: adminCredentials,
      j1: jumpCredentials,
    });
    const caught = nextMessage(helper.getNode('caught') as Parameters<typeof nextMessage>[0], 15000);
    helper.getNode('g')?.receive({ payload: 'go', device: target });
    const error = (await caught).error as { message?: string };
    assert.match(String(error.message), /jump host 1/);
  });

  it('Test connection names the hop whose host key is wrong, with the key it presented', async () => {
    const device = simDevice(sim, 'dev', { jump: 'j1' });
    const wrong = jump({ hostFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await helper.load([...allNodes, sshJumpNode], baseFlow(wrong, device), {
      dev: adminCredentials,
      j1: jumpCredentials,
    });
    const test = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, username: 'admin', password: '__PWRD__' });
    assert.equal(test.body.ok, false);
    const hops = test.body.hops as { name: string; ok: boolean; error: string; fingerprint: string }[];
    assert.equal(hops.length, 1);
    assert.equal(hops[0].ok, false);
    assert.match(hops[0].error, /host key verification failed for jump host 1/);
    assert.equal(hops[0].fingerprint, bastion.fingerprint);
    // Fetch on the device must not offer the bastion's key as the device's.
    const fetch = await helper.request().post('/netconf-device/dev/fingerprint').send(device);
    assert.equal(fetch.body.ok, false, JSON.stringify(fetch.body));
    // The jump host's own Fetch reads its key.
    const own = await helper
      .request()
      .post('/netconf-ssh-jump/j1/fingerprint')
      .send({ host: '127.0.0.1', port: String(bastion.port) });
    assert.equal(own.body.fingerprint, bastion.fingerprint, JSON.stringify(own.body));
  });

  it('a device that stops answering RPCs goes red through the keepalive and reconnects', async () => {
    const device = simDevice(sim, 'dev', { netconfKeepalive: '0.3', reconnectMax: '1' });
    await helper.load(allNodes, baseFlow(device, get), { dev: adminCredentials });
    const g = helper.getNode('g');
    assert.ok(g);
    const seen: NodeStatus[] = statuses(g);
    const green = (): NodeStatus[] => seen.filter((s) => s.fill === 'green');
    await until(() => green().length > 0, 10000, 'connected');
    const first = green()[0].text;
    sim.setFaults({ hold: true });
    // A message sent now waits on the held session and fails when the probe declares it dead.
    const caught = helper.getNode('caught');
    assert.ok(caught);
    const failure = nextMessage(caught, 15000);
    g.receive({ payload: 'held' });
    const error = (await failure).error as { message: string; code?: string };
    assert.match(error.message, /keepalive/);
    const red = (s: NodeStatus): boolean => s.fill === 'red' && /did not answer 2 NETCONF/.test(String(s.text));
    await until(() => seen.some(red), 10000, 'red status naming the missed probes');
    sim.clearFaults();
    await until(() => green().some((s) => s.text !== first), 15000, 'reconnected with a new session');
  });
});
