/**
 * TLS connection set-ups take a turn of the process's input pacer (src/transport/input-pacer.ts),
 * as SSH's do, so a burst of them starts a few per loop turn rather than all in one (their
 * handshakes would then answer, and their crypto run, in one poll phase). Against 40 mutual-TLS
 * simulators in another process: every set-up took a turn, all 40 opened at once and answer, and a
 * refused handshake still fails as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectError, connectTls, Manager, type TlsOptions } from '../../src';
import { inputPacer } from '../../src/transport/input-pacer';
import { makeTestPki } from '../helpers/certs';
import { startFleet } from '../helpers/fleet-process';

const pki = makeTestPki();
process.on('exit', () => pki.cleanup());

test('40 TLS set-ups at once each take a pacer turn, and all open and answer', { timeout: 90000 }, async () => {
  const fleet = await startFleet(40, { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca } });
  const turn = inputPacer.turn.bind(inputPacer);
  let turns = 0;
  inputPacer.turn = () => {
    turns++;
    return turn();
  };
  try {
    const options = (port: number): TlsOptions => ({
      key: pki.client.key,
      cert: pki.client.cert,
      ca: pki.ca,
      host: '127.0.0.1',
      port,
      timeout: 30,
    });
    const managers = await Promise.all(fleet.devices.map(async (d) => new Manager(await connectTls(options(d.port)))));
    assert.equal(turns, 40, 'one pacer turn per TLS set-up');
    const replies = await Promise.all(managers.map((m) => m.getConfig({ source: 'running' })));
    assert.ok(replies.every((r) => r.dataXml.includes('interfaces')));
    await Promise.all(managers.map((m) => m.closeSession()));
    // Certificate verification is unchanged: a client that trusts another CA is refused.
    const other = makeTestPki();
    try {
      const err = await connectTls({ ...options(fleet.devices[0].port), ca: other.ca }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConnectError, String(err));
    } finally {
      other.cleanup();
    }
  } finally {
    inputPacer.turn = turn;
    await fleet.stop();
  }
});
