/**
 * Call home over SSH: the simulator dials the netconf-callhome listener, the device node that
 * names its host key gets the session, and operation nodes use it; an unknown key is refused.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { utils } from 'ssh2';
import { sshFingerprint } from '../../src/index';
import { SimCallhomeDialer } from '../../simulator/callhome';
import { allNodes, baseFlow, collect, helper, statuses, until, type HelperNode } from './helper';
import { startSimulator, type NetconfSimulator } from './sim';
import { sshKeyPair } from '../helpers/ssh-keys';
import { freePort } from '../helpers/free-port';

function fingerprintOf(privateKey: string): string {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  return sshFingerprint(parsed.getPublicSSH());
}

describe('call home over SSH', { timeout: 60000 }, () => {
  let sim: NetconfSimulator;
  let dialer: SimCallhomeDialer | undefined;
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(async () => {
    await dialer?.stop();
    await helper.unload();
    await sim?.close();
  });

  async function setup(pinned: (fp: string) => string, device: Record<string, string> = {}): Promise<{ port: number }> {
    sim = await startSimulator();
    const hostKey = sshKeyPair().private;
    const port = await freePort();
    await helper.load(
      allNodes,
      baseFlow(
        { id: 'ch', type: 'netconf-callhome', transport: 'ssh', bindTo: '127.0.0.1', port: String(port) },
        {
          id: 'dev',
          type: 'netconf-device',
          transport: 'callhome-ssh',
          callhome: 'ch',
          hostFingerprint: pinned(fingerprintOf(hostKey)),
          rpcTimeout: '5',
          queueTimeout: '10',
          ...device,
        },
        { id: 'g', type: 'netconf-get', device: 'dev', operation: 'get-config', source: 'running', wires: [['out']] },
      ),
      { dev: { username: 'admin', password: 'admin' } },
    );
    dialer = new SimCallhomeDialer({
      host: '127.0.0.1',
      port,
      transport: 'ssh',
      ssh: { hostKeys: [hostKey], users: { admin: { password: 'admin' } } },
      retryDelay: 0.2,
      handler: (stream, username) => sim.serveStream(stream, username),
    });
    return { port };
  }

  it('hands the dialled-in session to the device that pinned its key', async () => {
    await setup((fp) => fp);
    const g = helper.getNode('g') as HelperNode;
    const seen = statuses(g);
    const out = collect(helper.getNode('out') as HelperNode);
    g.receive({ payload: 'queued before the device calls' });
    await until(() => seen.some((s) => s.text === 'waiting for call home'), 3000, 'waiting status');
    dialer?.start();
    await until(() => out.length === 1, 10000, 'reply over call home');
    assert.ok((out[0].payload as Record<string, unknown>).interfaces);
    assert.ok(seen.some((s) => s.fill === 'green'));
  });

  // The listener once started every session with its own options, so the device's probe never ran
  // and a device holding its replies kept the message waiting for the whole RPC timeout.
  it("applies the device's NETCONF alive probe to its call-home session", async () => {
    await setup((fp) => fp, { rpcTimeout: '30', netconfKeepalive: '0.3' });
    const g = helper.getNode('g') as HelperNode;
    const out = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    dialer?.start();
    g.receive({ payload: 'first' });
    await until(() => out.length === 1, 10000, 'reply over call home');
    sim.setFaults({ hold: true });
    g.receive({ payload: 'held' });
    await until(() => caught.length > 0, 15000, 'the held message failing');
    sim.clearFaults();
    const error = caught[0].error as { code: string; message: string };
    assert.equal(error.code, 'NETCONF_SESSION_CLOSED', error.message);
    assert.match(error.message, /keepalive/);
  });

  it('refuses a device whose key nobody pinned, and says so', async () => {
    await setup(() => 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const ch = helper.getNode('ch') as HelperNode;
    const warnings: string[] = [];
    ch.on('call:warn', (call) => warnings.push(String(call.args[0])));
    dialer?.start();
    await until(() => warnings.length > 0, 10000, 'refusal warning');
    assert.match(warnings[0], /refused a call home/);
  });
});
