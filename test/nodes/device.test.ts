/**
 * The netconf-device node as split into settings, session openers (dial, call home) and admin
 * endpoints: the editor's "Fetch" and "Test connection" answer, stored secrets stand in for the
 * editor's placeholder, and a misconfigured call-home device says which dialog field to fill.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allNodes, baseFlow, helper, statuses, until, type HelperNode } from './helper';
import { adminCredentials, simDevice, simulatorsPerTest } from './sim';

describe('netconf-device', { timeout: 60000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('Fetch reads the host key fingerprint the device presents, without credentials', async () => {
    const s = await startSimulator();
    await helper.load(allNodes, baseFlow(simDevice(s)));
    const reply = await helper
      .request()
      .post('/netconf-device/dev/fingerprint')
      .send({ host: '127.0.0.1', port: String(s.port) });
    assert.equal(reply.body.ok, true, JSON.stringify(reply.body));
    assert.equal(reply.body.fingerprint, s.hostFingerprint);
    const noHost = await helper.request().post('/netconf-device/dev/fingerprint').send({});
    assert.deepEqual(noHost.body, { ok: false, error: 'enter the host first' });
  });

  it('Test connection uses the stored password when the editor sends its placeholder', async () => {
    const s = await startSimulator();
    const device = simDevice(s);
    await helper.load(allNodes, baseFlow(device), { dev: adminCredentials });
    const placeholder = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, username: 'admin', password: '__PWRD__' });
    assert.equal(placeholder.body.ok, true, JSON.stringify(placeholder.body));
    assert.equal(typeof placeholder.body.sessionId, 'number');
    const wrong = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, username: 'admin', password: 'wrong' });
    assert.equal(wrong.body.ok, false);
    assert.equal(typeof wrong.body.error, 'string');
  });

  it('a call-home device without the pinned key names the dialog field on the node status', async () => {
    await helper.load(
      allNodes,
      baseFlow(
        { id: 'ch', type: 'netconf-callhome', transport: 'ssh', bindTo: '127.0.0.1', port: '0' },
        { id: 'dev', type: 'netconf-device', transport: 'callhome-ssh', callhome: 'ch', reconnectMax: '1' },
        { id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] },
      ),
    );
    const seen = statuses(helper.getNode('g') as HelperNode);
    await until(() => seen.some((st) => st.fill === 'red'), 5000, 'red status');
    assert.match(String(seen.find((st) => st.fill === 'red')?.text), /^call home over SSH needs the device's Host key/);
  });

  it('a call-home device on a listener of the other transport says so', async () => {
    await helper.load(
      allNodes,
      baseFlow(
        { id: 'ch', type: 'netconf-callhome', transport: 'tls', bindTo: '127.0.0.1', port: '0' },
        { id: 'dev', type: 'netconf-device', transport: 'callhome-ssh', callhome: 'ch', hostFingerprint: 'SHA256:x' },
        { id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] },
      ),
    );
    const seen = statuses(helper.getNode('g') as HelperNode);
    await until(() => seen.some((st) => st.fill === 'red'), 5000, 'red status');
    assert.match(String(seen.find((st) => st.fill === 'red')?.text), /listener accepts TLS/);
  });
});
