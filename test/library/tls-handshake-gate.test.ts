/**
 * TLS handshakes go through the process-wide handshake gate (src/transport/handshake-gate.ts),
 * against real servers on 127.0.0.1: 40 mutual-TLS handshakes at once to simulators in another
 * process all open and answer, never more than the gate's limit in flight; refused handshakes
 * (wrong CA, wrong name, ECONNREFUSED) give their slot back at once; servers that accept TCP and
 * never answer the handshake hold their slots only for the hold bound, so a good device still
 * opens; a connect waiting for a slot still times out on time, and an abort takes it out of line
 * (or, mid-handshake, frees its slot and closes the socket).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ConnectError, connectTls, Manager, type TlsOptions } from '../../src';
import { handshakeGate } from '../../src/transport/handshake-gate';
import { makeTestPki } from '../helpers/certs';
import { startFleet, type Fleet } from '../helpers/fleet-process';

const pki = makeTestPki();
process.on('exit', () => pki.cleanup());
const client = { key: pki.client.key, cert: pki.client.cert, ca: pki.ca, timeout: 30 };
const defaultLimit = handshakeGate.limit;

async function refusal(options: TlsOptions): Promise<ConnectError> {
  const err = await connectTls(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectError, String(err));
  return err;
}

/** A TCP server that accepts and never says a word (reads, so it sees the client's end). */
async function silentServer(): Promise<{ server: Server; port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((s) => accepted.push(s.resume()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

async function tlsFleet(n: number): Promise<Fleet> {
  return startFleet(n, { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca } });
}

test('40 handshakes at once all open and answer, never more than the limit in flight', { timeout: 90000 }, async () => {
  const fleet = await tlsFleet(40);
  handshakeGate.limit = 4;
  handshakeGate.resetPeak();
  try {
    const options = (i: number): TlsOptions => ({ ...client, host: '127.0.0.1', port: fleet.devices[i].port });
    const managers = await Promise.all(fleet.devices.map(async (_, i) => new Manager(await connectTls(options(i)))));
    assert.ok(handshakeGate.peak <= 4, `peak in flight ${handshakeGate.peak}`);
    assert.ok(handshakeGate.peak >= 2, `the handshakes overlapped (peak ${handshakeGate.peak})`);
    assert.equal(handshakeGate.inFlight, 0);
    assert.equal(handshakeGate.waiting, 0);
    const replies = await Promise.all(managers.map((m) => m.getConfig({ source: 'running' })));
    assert.equal(replies.length, 40);
    assert.ok(replies.every((r) => r.dataXml.includes('interfaces')));
    await Promise.all(managers.map((m) => m.closeSession()));
    const stats = await fleet.stats();
    assert.equal(stats.getConfigs, 40);
    assert.equal(stats.endedByCloseSession, 40);
  } finally {
    handshakeGate.limit = defaultLimit;
    await fleet.stop();
  }
});

test('refused handshakes give their slot back at once; a good connection still opens', { timeout: 60000 }, async () => {
  const fleet = await tlsFleet(1);
  handshakeGate.limit = 1;
  const expired = handshakeGate.expired;
  try {
    const port = fleet.devices[0].port;
    const wrongCa = await refusal({ ...client, ca: pki.otherCa, host: '127.0.0.1', port });
    assert.match(wrongCa.message, /not signed by a trusted CA/);
    assert.equal(handshakeGate.inFlight, 0, 'the wrong-CA handshake released its slot');
    const wrongName = await refusal({ ...client, host: '127.0.0.1', port, servername: 'device.example.net' });
    assert.match(wrongName.message, /host name mismatch.*'device\.example\.net'/);
    assert.equal(handshakeGate.inFlight, 0, 'the wrong-name handshake released its slot');

    const closed = await silentServer();
    closed.server.close();
    await once(closed.server, 'close');
    const refused = await refusal({ ...client, host: '127.0.0.1', port: closed.port, timeout: 5 });
    assert.match(refused.message, /ECONNREFUSED/);
    assert.equal(handshakeGate.inFlight, 0, 'the refused TCP connection released its slot');
    assert.equal(handshakeGate.expired, expired, 'no slot was given back by the hold bound');

    const m = new Manager(await connectTls({ ...client, host: '127.0.0.1', port }));
    assert.ok((await m.getConfig({ source: 'running' })).dataXml.includes('interfaces'));
    await m.closeSession();
    assert.equal((await fleet.stats()).started, 1, 'no session started on a refused handshake');
  } finally {
    handshakeGate.limit = defaultLimit;
    await fleet.stop();
  }
});

test('servers that never answer the handshake do not block a good device', { timeout: 60000 }, async () => {
  const fleet = await tlsFleet(1);
  const silent = await silentServer();
  handshakeGate.limit = 2;
  const abort = new AbortController();
  try {
    const hung = [1, 2].map(() =>
      refusal({ ...client, host: '127.0.0.1', port: silent.port, timeout: 60, signal: abort.signal }),
    );
    const expired = handshakeGate.expired;
    while (silent.accepted.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    const m = new Manager(await connectTls({ ...client, host: '127.0.0.1', port: fleet.devices[0].port }));
    const waitedMs = Date.now() - started;
    assert.ok(handshakeGate.expired > expired, 'a silent handshake gave its slot back by the hold bound');
    // The hold bound is 1 s; without it the good device would wait the silent ones' 60 s timeout.
    assert.ok(waitedMs < 20000, `the good device opened after ${waitedMs} ms`);
    assert.ok((await m.getConfig({ source: 'running' })).dataXml.includes('interfaces'));
    await m.closeSession();

    abort.abort();
    for (const err of await Promise.all(hung)) assert.match(err.message, /connecting to 127\.0\.0\.1:\d+ was aborted/);
    for (const s of silent.accepted) if (!s.closed) await once(s, 'close');
    assert.equal(handshakeGate.inFlight, 0);
  } finally {
    handshakeGate.limit = defaultLimit;
    abort.abort();
    for (const s of silent.accepted) s.destroy();
    silent.server.close();
    await fleet.stop();
  }
});

test('a connect waiting for a slot times out on time, and an abort leaves the line', { timeout: 60000 }, async () => {
  const fleet = await tlsFleet(1);
  handshakeGate.limit = 0; // no slot is ever free: every connect waits
  try {
    const good = { ...client, host: '127.0.0.1', port: fleet.devices[0].port };
    const queued = await refusal({ ...good, timeout: 0.2 });
    assert.match(queued.message, /timed out connecting to 127\.0\.0\.1:\d+ \(TCP or TLS handshake, 0\.2 s\)/);
    assert.equal(handshakeGate.waiting, 0, 'the timed-out connect left the line');

    const leave = new AbortController();
    const left = refusal({ ...good, signal: leave.signal });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(handshakeGate.waiting, 1, 'this connect waits for a slot');
    leave.abort();
    assert.match((await left).message, /connecting to 127\.0\.0\.1:\d+ was aborted/);
    assert.equal(handshakeGate.waiting, 0, 'the aborted connect left the line');
    assert.equal(handshakeGate.inFlight, 0);
    assert.equal((await fleet.stats()).started, 0, 'neither waiting connect reached the device');
  } finally {
    handshakeGate.limit = defaultLimit;
    await fleet.stop();
  }
});
