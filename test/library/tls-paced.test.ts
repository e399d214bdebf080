/**
 * The TLS transport's input goes through the process's input pacer (src/transport/input-pacer.ts),
 * as SSH's does: the encrypted chunks of a session are counted there, 40 mutual-TLS handshakes at
 * once to simulators in another process all complete and answer, and once they are closed the
 * pacer's line empties. Over the paced socket (Node wraps it in a JSStreamSocket) the server
 * certificate is still verified: a wrong CA and a wrong name are refused naming the check, the
 * name sent as SNI is still the servername, a refused TCP connection and a server that accepts and
 * never speaks still fail as ConnectErrors, and the sockets are closed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { ConnectError, connectTls, Manager, type TlsOptions } from '../../src';
import { inputPacer } from '../../src/transport/input-pacer';
import { makeTestPki } from '../helpers/certs';
import { startFleet } from '../helpers/fleet-process';

const pki = makeTestPki();
process.on('exit', () => pki.cleanup());
const client = { key: pki.client.key, cert: pki.client.cert, ca: pki.ca, timeout: 30 };

async function refusal(options: TlsOptions): Promise<ConnectError> {
  const err = await connectTls(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectError, String(err));
  return err;
}

test(
  'TLS sessions read through the input pacer; 40 handshakes at once all open and answer',
  { timeout: 90000 },
  async () => {
    const fleet = await startFleet(40, { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca } });
    try {
      const options = (i: number): TlsOptions => ({ ...client, host: '127.0.0.1', port: fleet.devices[i].port });
      const before = inputPacer.received;
      const one = new Manager(await connectTls(options(0)));
      assert.ok(inputPacer.received > before, 'the session bytes came through the pacer');
      await one.closeSession();

      const managers = await Promise.all(fleet.devices.map(async (_, i) => new Manager(await connectTls(options(i)))));
      const replies = await Promise.all(managers.map((m) => m.getConfig({ source: 'running' })));
      assert.equal(replies.length, 40);
      assert.ok(replies.every((r) => r.dataXml.includes('interfaces')));
      await Promise.all(managers.map((m) => m.closeSession()));
      const stats = await fleet.stats();
      assert.equal(stats.getConfigs, 40);
      assert.equal(stats.endedByCloseSession, 41);
      // Teardown bytes still come in after closeSession() resolves: the line must empty, not be empty now.
      for (const end = Date.now() + 5000; inputPacer.waiting > 0 && Date.now() < end;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(inputPacer.waiting, 0, 'nothing left in the line within 5 s of the close');

      const port = fleet.devices[1].port;
      const wrongCa = await refusal({ ...client, ca: pki.otherCa, host: '127.0.0.1', port });
      assert.match(wrongCa.message, /not signed by a trusted CA/);
      const wrongName = await refusal({ ...client, host: '127.0.0.1', port, servername: 'device.example.net' });
      assert.match(wrongName.message, /host name mismatch.*'device\.example\.net'/);
      assert.equal((await fleet.stats()).started, 41, 'no session started on a refused handshake');
    } finally {
      await fleet.stop();
    }
  },
);

test('over the paced socket the servername is still sent as SNI', { timeout: 30000 }, async () => {
  const names: (string | false | null)[] = [];
  const server = tls.createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
    names.push(s.servername);
    s.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const port = (server.address() as AddressInfo).port;
    await refusal({ ca: pki.ca, host: '127.0.0.1', port, servername: 'localhost', timeout: 5 });
    assert.deepEqual(names, ['localhost']);
  } finally {
    server.close();
  }
});

test(
  'a refused TCP connection and a server that never speaks are ConnectErrors; sockets closed',
  { timeout: 30000 },
  async () => {
    const accepted: Socket[] = [];
    const silent = createServer((s) => accepted.push(s.resume())); // reads, so it sees the end
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const port = (silent.address() as AddressInfo).port;
      const timeout = await refusal({ ...client, host: '127.0.0.1', port, timeout: 1 });
      assert.match(timeout.message, /timed out connecting to 127\.0\.0\.1/);
      assert.equal(accepted.length, 1);
      if (!accepted[0].closed) await once(accepted[0], 'close');

      silent.close();
      await once(silent, 'close');
      const refused = await refusal({ ...client, host: '127.0.0.1', port, timeout: 5 });
      assert.match(refused.message, /ECONNREFUSED/);
    } finally {
      for (const s of accepted) s.destroy();
      silent.close();
    }
  },
);
