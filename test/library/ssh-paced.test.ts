/**
 * The SSH transport's input goes through the process's input pacer (src/transport/input-pacer.ts):
 * a session's bytes are counted there, 40 handshakes at once to simulators in another process all
 * complete and answer, and once they are closed the pacer's line empties. The
 * connect timeout still covers a server that accepts and never speaks, and SSH keepalives still
 * find a peer that stopped answering (the TCP socket is ours now, not ssh2's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { ConnectError, connectSsh, Manager } from '../../src';
import { NetconfSimulator } from '../../simulator';
import { inputPacer } from '../../src/transport/input-pacer';
import { startFleet } from '../helpers/fleet-process';

test(
  'SSH sessions read through the input pacer; 40 handshakes at once all open and answer',
  { timeout: 60000 },
  async () => {
    const fleet = await startFleet(40);
    try {
      const options = (i: number) => ({
        host: fleet.devices[i].host,
        port: fleet.devices[i].port,
        username: 'admin',
        password: 'admin',
        hostFingerprint: fleet.devices[i].hostFingerprint,
        timeout: 30,
      });
      const before = inputPacer.received;
      const one = new Manager(await connectSsh(options(0)));
      assert.ok(inputPacer.received > before, 'the session bytes came through the pacer');
      await one.closeSession();

      const managers = await Promise.all(fleet.devices.map(async (_, i) => new Manager(await connectSsh(options(i)))));
      const replies = await Promise.all(managers.map((m) => m.getConfig({ source: 'running' })));
      assert.equal(replies.length, 40);
      assert.ok(replies.every((r) => r.dataXml.length > 0));
      await Promise.all(managers.map((m) => m.closeSession()));
      assert.equal((await fleet.stats()).getConfigs, 40);
      // The connections' teardown (channel close, disconnect) still comes in after closeSession()
      // resolves, and may wait a turn or two: the line must empty, not be empty at this instant.
      for (const end = Date.now() + 5000; inputPacer.waiting > 0 && Date.now() < end;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(inputPacer.waiting, 0, 'nothing left in the line within 5 s of the close');
    } finally {
      await fleet.stop();
    }
  },
);

test(
  'the connect timeout covers a server that accepts and never speaks; the socket is closed',
  { timeout: 30000 },
  async () => {
    const accepted: Socket[] = [];
    const silent = createServer((s) => accepted.push(s.resume())); // reads, so it sees the end
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const port = (silent.address() as AddressInfo).port;
      const err = await connectSsh({ host: '127.0.0.1', port, username: 'admin', password: 'admin', timeout: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConnectError, String(err));
      assert.equal(err.reason, 'timeout');
      assert.match(err.message, /timed out connecting to 127\.0\.0\.1/);
      assert.equal(accepted.length, 1);
      if (!accepted[0].closed) await once(accepted[0], 'close');
    } finally {
      for (const s of accepted) s.destroy();
      silent.close();
    }
  },
);

test('SSH keepalives end the session when the peer stops answering', { timeout: 30000 }, async () => {
  const sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
  // A relay between client and simulator that can stop forwarding in both directions.
  const pairs: Socket[] = [];
  let frozen = false;
  const relay = createServer((client) => {
    const server = connect(sim.port, '127.0.0.1');
    pairs.push(client, server);
    client.on('data', (d: Buffer) => frozen || server.write(d));
    server.on('data', (d: Buffer) => frozen || client.write(d));
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  });
  relay.listen(0, '127.0.0.1');
  await once(relay, 'listening');
  try {
    const session = await connectSsh({
      host: '127.0.0.1',
      port: (relay.address() as AddressInfo).port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      keepaliveInterval: 1,
    });
    const closed = once(session, 'close');
    await new Manager(session).getConfig({ source: 'running' });
    frozen = true;
    await closed; // three unanswered keepalives, one second apart
  } finally {
    for (const s of pairs) s.destroy();
    relay.close();
    await sim.close();
  }
});
