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
import { startPkcs12Listener, type Pkcs12Listener } from '../helpers/pkcs12-listener';

describe('connectTls with a PKCS#12 (pfx) client credential', () => {
  let tls: Pkcs12Listener;
  const passphrase = 'p12-secret';

  before(async () => {
    tls = await startPkcs12Listener(passphrase);
  });
  after(() => tls.close());

  it('a .p12 path + passphrase authenticates: get-config runs, the session user is the client CN', async () => {
    const session = await connectTls({
      host: '127.0.0.1',
      port: tls.listener.port,
      pfx: tls.p12,
      passphrase,
      ca: tls.pki.caFile,
    });
    const m = new Manager(session);
    const reply = await m.getConfig({ source: 'running' });
    assert.ok(reply.xml.includes('<data'), reply.xml.slice(0, 200));
    assert.deepEqual(
      [...tls.sim.sessions.values()].map((s) => s.username),
      ['netconf'],
    );
    await m.close();
  });

  it('the .p12 bytes (a Buffer, as tls-config reads the file) work the same', async () => {
    const session = await connectTls({
      host: '127.0.0.1',
      port: tls.listener.port,
      pfx: readFileSync(tls.p12),
      passphrase,
      ca: tls.pki.ca,
    });
    await new Manager(session).close();
    assert.ok(session.closed);
  });

  it("with no 'ca' given, the CA inside the .p12 verifies the server (Node-RED 5's tls-config sends no ca in pfx mode)", async () => {
    const session = await connectTls({
      host: '127.0.0.1',
      port: tls.listener.port,
      pfx: readFileSync(tls.p12),
      passphrase,
    });
    await new Manager(session).close();
    assert.ok(session.closed);
  });

  it('the session keeps neither the PKCS#12 bytes nor its passphrase', async () => {
    const pfx = readFileSync(tls.p12);
    const session = await connectTls({ host: '127.0.0.1', port: tls.listener.port, pfx, passphrase, ca: tls.pki.ca });
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
      connectTls({
        host: '127.0.0.1',
        port: tls.listener.port,
        pfx: tls.p12,
        passphrase: 'wrong',
        ca: tls.pki.ca,
        timeout: 5,
      }),
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
      connectTls({
        host: '127.0.0.1',
        port: tls.listener.port,
        pfx: `${tls.pki.dir}/nope.p12`,
        passphrase,
        timeout: 5,
      }),
      (err: Error) =>
        err instanceof ConnectError && /cannot read the TLS PKCS#12 \(pfx\) file .*nope\.p12/.test(err.message),
    );
  });
});
