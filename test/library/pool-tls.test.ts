/**
 * SessionPool with tlsPoolFactory (NETCONF over TLS, RFC 7589) against simulators behind their
 * mutual-TLS listeners, with a PKI made by openssl for this run, counted on the SERVER side:
 * 8 devices x 3 calls through 3 sessions (never more at once, never two on one device, the
 * username is the client certificate's CN), a device whose certificate no trusted CA signed and
 * one whose certificate names another host each refused naming the failed check, and failing
 * fast during the backoff (one handshake for two calls), and close() ending every session with
 * <close-session>.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConnectError, SessionPool, tlsPoolFactory, type PoolFactory, type PoolTarget } from '../../src/index';
import type { Manager } from '../../src/manager';
import { NetconfSimulator } from '../../simulator/server';
import { startSimTlsListener, type SimTlsListener } from '../../simulator/tls';
import { makeTestPki, type CertPair, type TestPki } from '../helpers/certs';

const DEVICES = 8;
const MAX_SESSIONS = 3;

/** One simulated device behind its own TLS listener, with server-side counts. */
interface TlsDevice {
  sim: NetconfSimulator;
  listener: SimTlsListener;
  live: number;
  peak: number;
  users: string[];
  endedByCloseSession: number;
  endedOtherwise: number;
}

describe('SessionPool over TLS (tlsPoolFactory)', { timeout: 60000 }, () => {
  let pki: TestPki;
  const devices: TlsDevice[] = [];
  let total = { live: 0, peak: 0 };

  async function device(cert: CertPair): Promise<TlsDevice> {
    const sim = new NetconfSimulator();
    const listener = await startSimTlsListener({
      host: '127.0.0.1',
      port: 0,
      key: cert.key,
      cert: cert.cert,
      ca: pki.ca,
      handler: (s, u, d) => sim.serveStream(s, u, d),
    });
    const d: TlsDevice = { sim, listener, live: 0, peak: 0, users: [], endedByCloseSession: 0, endedOtherwise: 0 };
    sim.on('session-start', (_id: number, user: string) => {
      d.users.push(user);
      d.peak = Math.max(d.peak, ++d.live);
      total.peak = Math.max(total.peak, ++total.live);
    });
    sim.on('session-end', (_id: number, end: { closeSession: boolean }) => {
      d.live--;
      total.live--;
      if (end.closeSession) d.endedByCloseSession++;
      else d.endedOtherwise++;
    });
    devices.push(d);
    return d;
  }

  function target(d: TlsDevice, name: string): PoolTarget {
    return { host: '127.0.0.1', port: d.listener.port, name };
  }

  /** The TLS factory over the run's PKI, counting the connects it is asked for per port. */
  function factory(attempts: Map<number, number>): PoolFactory<Manager> {
    const tls = tlsPoolFactory(
      { key: pki.client.keyFile, cert: pki.client.certFile, ca: pki.caFile, timeout: 10, helloTimeout: 10 },
      { timeout: 10 },
    );
    return (t, signal) => {
      attempts.set(t.port ?? 0, (attempts.get(t.port ?? 0) ?? 0) + 1);
      return tls(t, signal);
    };
  }

  before(() => {
    pki = makeTestPki();
  });
  after(async () => {
    await Promise.all(devices.map(async (d) => (await d.listener.close(), await d.sim.close())));
    pki.cleanup();
  });

  it('serves 8 devices through 3 sessions, one per device, and closes each with <close-session>', async () => {
    const fleet: TlsDevice[] = [];
    for (let i = 0; i < DEVICES; i++) fleet.push(await device(pki.server));
    total = { live: 0, peak: 0 };
    const attempts = new Map<number, number>();
    const pool = new SessionPool(factory(attempts), { maxSessions: MAX_SESSIONS, queueTimeout: 30 });
    const calls = [0, 1, 2].flatMap(() =>
      fleet.map((d, i) =>
        // a pinned SSH key means nothing over TLS (the CA identifies the server): ignored
        pool.use(
          { ...target(d, `tls${i}`), hostFingerprint: 'SHA256:not-an-ssh-device' },
          async (m) => (await m.getConfig({ source: 'running' })).xml,
        ),
      ),
    );
    const replies = await Promise.all(calls);
    assert.equal(replies.length, 3 * DEVICES);
    for (const xml of replies) assert.match(xml, /<data/);
    assert.ok(total.peak <= MAX_SESSIONS && total.peak > 0, `server side: at most ${MAX_SESSIONS} (saw ${total.peak})`);
    for (const d of fleet) {
      assert.equal(d.peak, 1, 'never two sessions on one device');
      assert.ok(d.users.length >= 1);
      assert.deepEqual([...new Set(d.users)], ['netconf'], 'the NETCONF user is the client certificate CN');
    }
    await pool.close();
    // the server may log a session's end a moment after the client saw it close
    for (let i = 0; i < 100 && total.live > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(total.live, 0, 'no session left after close()');
    for (const d of fleet) {
      assert.equal(d.endedOtherwise, 0, 'every session ended with <close-session>');
      assert.equal(d.endedByCloseSession, d.users.length);
    }
  });

  it('refuses an untrusted certificate and a wrong name, naming the check, and fails fast in backoff', async () => {
    const untrusted = await device(pki.otherServer);
    const wrongName = await device(pki.wrongName);
    const attempts = new Map<number, number>();
    const pool = new SessionPool(factory(attempts), { maxSessions: MAX_SESSIONS, backoff: { initial: 60 } });
    try {
      const fail = async (t: PoolTarget): Promise<ConnectError> => {
        const err = await pool
          .use(t, (m) => m.getConfig())
          .then(
            () => assert.fail(`${t.name} must be refused`),
            (e: unknown) => e,
          );
        assert.ok(err instanceof ConnectError, String(err));
        assert.equal(err.code, 'NETCONF_CONNECT');
        return err;
      };
      for (const [d, name, pattern] of [
        [untrusted, 'untrusted', /certificate/i],
        [wrongName, 'wrong-name', /host name mismatch/],
      ] as const) {
        const first = await fail(target(d, name));
        assert.match(first.message, pattern);
        const second = await fail(target(d, name));
        assert.match(second.message, pattern);
        assert.equal(attempts.get(d.listener.port), 1, `${name}: one handshake for two calls (backoff)`);
        assert.equal(pool.state(target(d, name)), 'failing');
        assert.equal(d.users.length, 0, `${name}: no NETCONF session on the server`);
      }
    } finally {
      await pool.close();
    }
  });
});
