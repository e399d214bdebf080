/**
 * Issue 12 item 3: a session the server ends (kill-session, close-session, an EOF of the netconf
 * channel) tears down its SSH connection, even when the server keeps that connection open
 * (the simulator's keepSshConnection knob). Connections are counted on the server side.
 */
import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, Manager, SessionClosedError, type Session } from '../../src';
import { NetconfSimulator } from '../../simulator';

/** Polls `check` until it holds or `ms` pass (generous: a leak never ends, a teardown takes ms). */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
}

describe('a session the server ends closes its SSH connection', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
  });
  afterEach(() => sim.clearFaults());
  after(async () => {
    await sim.close();
  });

  function connect(): Promise<Session> {
    return connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      timeout: 10,
    });
  }

  test('killed by the server with an RPC pending: the RPC rejects and the connection goes', async () => {
    await eventually(() => sim.sshConnections === 0);
    sim.setFaults({ keepSshConnection: true, hold: true });
    const session = await connect();
    const manager = new Manager(session, { timeout: 20 });
    assert.equal(sim.sshConnections, 1);
    const pending = manager.get();
    await eventually(() => (sim.sessions.get(session.sessionId ?? 0)?.rpcs.length ?? 0) > 0);
    sim.killSession(session.sessionId ?? 0, 0);
    await assert.rejects(pending, SessionClosedError);
    assert.ok(await eventually(() => sim.sshConnections === 0), `${sim.sshConnections} SSH connection(s) leaked`);
  });

  test('<close-session> sent through the Manager (not close()): the connection goes too', async () => {
    await eventually(() => sim.sshConnections === 0);
    sim.setFaults({ keepSshConnection: true });
    const session = await connect();
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    await new Manager(session).closeSession();
    await closed;
    assert.ok(await eventually(() => sim.sshConnections === 0), `${sim.sshConnections} SSH connection(s) leaked`);
  });

  test('five server-side kills in a row leave no connection behind', async () => {
    await eventually(() => sim.sshConnections === 0);
    sim.setFaults({ keepSshConnection: true });
    for (let i = 0; i < 5; i++) {
      const session = await connect();
      const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
      sim.killSession(session.sessionId ?? 0, 0);
      await closed;
    }
    assert.ok(await eventually(() => sim.sshConnections === 0), `${sim.sshConnections} SSH connection(s) leaked`);
  });
});
