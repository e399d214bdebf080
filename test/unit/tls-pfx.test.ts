/**
 * PKCS#12 client credentials (`pfx` + `passphrase`), as Node-RED 5's tls-config hands them over
 * instead of cert/key: a .p12 made by `openssl pkcs12 -export` against the simulator's mutual-TLS
 * listener, given as a path and as bytes; a wrong passphrase is a ConnectError that says so.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Stream } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ConnectError, Manager, connectTls } from '../../src/index';
import { NetconfSimulator } from '../../simulator/server';
import { startSimTlsListener, type SimTlsListener } from '../../simulator/tls';
import { makePkcs12, makeTestPki, type TestPki } from '../helpers/certs';

describe('connectTls with a PKCS#12 (pfx) client credential', () => {
  let pki: TestPki;
  let sim: NetconfSimulator;
  let listener: SimTlsListener;
  let p12 = '';
  const passphrase = 'p12-secret';

  before(async () => {
    pki = makeTestPki();
    p12 = makePkcs12(pki.dir, pki.client, passphrase, pki.caFile);
    sim = new NetconfSimulator();
    listener = await startSimTlsListener({
      port: 0,
      key: pki.server.key,
      cert: pki.server.cert,
      ca: pki.ca,
      handler: (s, u, d) => sim.serveStream(s, u, d),
    });
  });
  after(async () => {
    await listener.close();
    await sim.close();
    pki.cleanup();
  });

  it('a .p12 path + passphrase authenticates: get-config runs, the session user is the client CN', async () => {
    const session = await connectTls({ host: '127.0.0.1', port: listener.port, pfx: p12, passphrase, ca: pki.caFile });
    const m = new Manager(session);
    const reply = await m.getConfig({ source: 'running' });
    assert.ok(reply.xml.includes('<data'), reply.xml.slice(0, 200));
    assert.deepEqual(
      [...sim.sessions.values()].map((s) => s.username),
      ['netconf'],
    );
    await m.close();
  });

  it('the .p12 bytes (a Buffer, as tls-config reads the file) work the same', async () => {
    const session = await connectTls({
      host: '127.0.0.1',
      port: listener.port,
      pfx: readFileSync(p12),
      passphrase,
      ca: pki.ca,
    });
    await new Manager(session).close();
    assert.ok(session.closed);
  });

  it("with no 'ca' given, the CA inside the .p12 verifies the server (Node-RED 5's tls-config sends no ca in pfx mode)", async () => {
    const session = await connectTls({ host: '127.0.0.1', port: listener.port, pfx: readFileSync(p12), passphrase });
    await new Manager(session).close();
    assert.ok(session.closed);
  });

  it('the session keeps neither the PKCS#12 bytes nor its passphrase', async () => {
    const pfx = readFileSync(p12);
    const session = await connectTls({ host: '127.0.0.1', port: listener.port, pfx, passphrase, ca: pki.ca });
    const found: string[] = [];
    const seen = new Set<object>();
    const walk = (value: unknown, at: string, depth: number): void => {
      if (value === passphrase || (Buffer.isBuffer(value) && value.equals(pfx))) found.push(at);
      if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return;
      seen.add(value);
      // The TLS socket (a Stream) is the transport's; the session's own fields are what is checked.
      for (const [k, v] of Object.entries(value)) if (!(v instanceof Stream)) walk(v, `${at}.${k}`, depth + 1);
    };
    walk(session, 'session', 0);
    await session.close();
    assert.deepEqual(found, []);
  });

  it('a wrong passphrase is a ConnectError that names the PKCS#12, not a raw OpenSSL throw', async () => {
    await assert.rejects(
      connectTls({ host: '127.0.0.1', port: listener.port, pfx: p12, passphrase: 'wrong', ca: pki.ca, timeout: 5 }),
      (err: Error) => {
        assert.ok(err instanceof ConnectError, `${err.name}: ${err.message}`);
        assert.match(err.message, /PKCS#12 \(pfx\): wrong passphrase/);
        assert.ok(!err.message.includes(passphrase));
        return true;
      },
    );
  });

  it('a missing .p12 file is a ConnectError naming the file', async () => {
    await assert.rejects(
      connectTls({ host: '127.0.0.1', port: listener.port, pfx: `${pki.dir}/nope.p12`, passphrase, timeout: 5 }),
      (err: Error) =>
        err instanceof ConnectError && /cannot read the TLS PKCS#12 \(pfx\) file .*nope\.p12/.test(err.message),
    );
  });
});
