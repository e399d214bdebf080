/**
 * Call home end to end: the simulator's dialer plays the device (SSH server or TLS server over
 * the socket it opened), CallhomeManager plays the NETCONF client. One-shot accepts, the
 * long-lived serve() mode with device identities, refusals, reconnects, timeouts and close().
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { utils as sshUtils } from 'ssh2';
import {
  CallhomeManager,
  ConnectError,
  Manager,
  sshFingerprint,
  tlsFingerprint,
  type RefusedInfo,
  type Session,
  type TlsOptions,
} from '../../src/index';
import { SimCallhomeDialer, type SimCallhomeOptions } from '../../simulator/callhome';
import { NetconfSimulator } from '../../simulator/server';
import { makeTestPki, type CertPair, type TestPki } from '../helpers/certs';
import { makeResponder } from '../tls/responder';
import { sshKeyPair } from '../helpers/ssh-keys';

const responder = makeResponder();

interface HostKey {
  private: string;
  fingerprint: string;
}

function makeHostKey(): HostKey {
  const pair = sshKeyPair();
  const parsed = sshUtils.parseKey(pair.public);
  if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('cannot parse the generated key');
  return { private: pair.private, fingerprint: sshFingerprint(parsed.getPublicSSH()) };
}

/** Resolves with the next value the callback gets, or fails after `seconds`. */
function nextValue<T>(seconds = 10): { push: (v: T) => void; next: () => Promise<T> } {
  const values: T[] = [];
  const waiting: Array<(v: T) => void> = [];
  return {
    push: (v) => {
      const w = waiting.shift();
      if (w) w(v);
      else values.push(v);
    },
    next: () => {
      const v = values.shift();
      if (v !== undefined) return Promise.resolve(v);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`nothing within ${seconds} s`)), seconds * 1000);
        waiting.push((x) => {
          clearTimeout(timer);
          resolve(x);
        });
      });
    },
  };
}

/** Resolves once the session is closed; fails after `seconds`. */
async function closedSoon(session: Session, seconds = 10): Promise<void> {
  if (session.closed) return;
  await Promise.race([
    once(session, 'close'),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`session still open after ${seconds} s`)), seconds * 1000).unref(),
    ),
  ]);
}

/** Every basic operation over the session, checked on the device side too. */
async function exerciseAll(session: Session): Promise<void> {
  const m = new Manager(session, { timeout: 10 });
  const before = responder.log.sessions.find((s) => s.sessionId === session.sessionId);
  assert.ok(before, 'the device saw the session');
  assert.match((await m.getConfig({ source: 'running' })).xml, /<who xmlns="urn:test">netconf<\/who>/);
  await m.get();
  await m.lock('candidate');
  await m.editConfig('<top xmlns="urn:test"><x>1</x></top>', { target: 'candidate' });
  await m.validate('candidate');
  await m.commit();
  await m.discardChanges();
  await m.copyConfig('running', 'startup');
  await m.deleteConfig('startup');
  await m.unlock('candidate');
  await m.close();
  assert.deepEqual(before.ops, [
    'get-config',
    'get',
    'lock',
    'edit-config',
    'validate',
    'commit',
    'discard-changes',
    'copy-config',
    'delete-config',
    'unlock',
    'close-session',
  ]);
}

describe('call home', () => {
  let pki: TestPki;
  const hostKey = makeHostKey();
  const strangerKey = makeHostKey();
  const dialers: SimCallhomeDialer[] = [];
  let tlsClient: TlsOptions;

  function device(port: number, transport: 'ssh' | 'tls', extra: Partial<SimCallhomeOptions> = {}): SimCallhomeDialer {
    const dialer = new SimCallhomeDialer({
      host: '127.0.0.1',
      port,
      transport,
      handler: responder.handler,
      retryDelay: 0.1,
      ssh: { hostKeys: [hostKey.private], users: { netconf: { password: 'secret' } } },
      tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca },
      ...extra,
    });
    dialers.push(dialer);
    dialer.start();
    return dialer;
  }
  function tlsDevice(port: number, server: CertPair): SimCallhomeDialer {
    return device(port, 'tls', { tls: { key: server.key, cert: server.cert, ca: pki.ca } });
  }

  before(() => {
    pki = makeTestPki();
    tlsClient = { key: pki.client.key, cert: pki.client.cert, ca: pki.ca, timeout: 10 };
  });
  after(async () => {
    await Promise.all(dialers.map((d) => d.stop()));
    pki.cleanup();
  });

  it('acceptOne times out with a clear ConnectError', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await assert.rejects(mgr.acceptOne(0.2), (err: Error) => {
      assert.ok(err instanceof ConnectError);
      assert.match(err.message, new RegExp(`no call-home connection arrived on port ${mgr.port} within 0.2 s`));
      return true;
    });
  });

  it('acceptOne returns the raw socket, also of a device that dialled before the call', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await mgr.listen();
    const early = net.connect(mgr.port, '127.0.0.1');
    await once(early, 'connect');
    await new Promise((r) => setTimeout(r, 50));
    const sock = await mgr.acceptOne(5);
    assert.equal(sock.remoteAddress, '127.0.0.1');
    sock.destroy();
    early.destroy();
  });

  it('reports a port that is in use', async () => {
    await using first = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await first.listen();
    const second = new CallhomeManager({ bindTo: '127.0.0.1', port: first.port });
    await assert.rejects(second.listen(), /cannot listen for call home on 127\.0\.0\.1:\d+: EADDRINUSE/);
    await second.close();
  });

  it('acceptOneSsh: every basic operation over SSH call home, host key pinned', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await mgr.listen();
    const dialer = device(mgr.port, 'ssh');
    const session = await mgr.acceptOneSsh({
      username: 'netconf',
      password: 'secret',
      hostFingerprint: hostKey.fingerprint,
      acceptTimeout: 10,
    });
    assert.match(session.peer, /^127\.0\.0\.1:\d+ \(call home\)$/);
    await exerciseAll(session);
    await dialer.stop();
  });

  it('acceptOneSsh still verifies the host key', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await mgr.listen();
    const dialer = device(mgr.port, 'ssh');
    await assert.rejects(
      mgr.acceptOneSsh({
        username: 'netconf',
        password: 'secret',
        hostFingerprint: strangerKey.fingerprint,
        acceptTimeout: 10,
      }),
      (err: Error) => err instanceof ConnectError && /host key verification failed/.test(err.message),
    );
    await dialer.stop();
  });

  it('acceptOneTls: every basic operation over TLS call home (seed example)', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await mgr.listen();
    const dialer = device(mgr.port, 'tls');
    const session = await mgr.acceptOneTls({ ...tlsClient, acceptTimeout: 10 });
    await exerciseAll(session);
    await dialer.stop();
  });

  it('acceptOneTls refuses a device whose certificate is from another CA', async () => {
    await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
    await mgr.listen();
    const dialer = tlsDevice(mgr.port, pki.otherServer);
    await assert.rejects(mgr.acceptOneTls({ ...tlsClient, acceptTimeout: 10 }), /not signed by a trusted CA/);
    await dialer.stop();
  });

  for (const transport of ['ssh', 'tls'] as const) {
    it(`acceptOne${transport === 'ssh' ? 'Ssh' : 'Tls'} against the real simulator`, async () => {
      const sim = new NetconfSimulator();
      await using mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
      await mgr.listen();
      const dialer = device(mgr.port, transport, { handler: (s, u, d) => sim.serveStream(s, u, d) });
      const session =
        transport === 'ssh'
          ? await mgr.acceptOneSsh({
              username: 'netconf',
              password: 'secret',
              hostFingerprint: hostKey.fingerprint,
              acceptTimeout: 10,
            })
          : await mgr.acceptOneTls({ ...tlsClient, acceptTimeout: 10 });
      const m = new Manager(session, { timeout: 10 });
      assert.ok((await m.getConfig({ source: 'running' })).xml.length > 0);
      await m.get();
      await m.lock('running');
      await m.unlock('running');
      await m.close();
      await dialer.stop();
      await sim.close();
    });

    describe(`serve('${transport}')`, () => {
      it('hands the session to the registered device, refuses an unknown one, and replaces the session on reconnect', async () => {
        const mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0, logger: { debug: () => undefined } });
        const sessions = nextValue<Session>();
        const refusals = nextValue<RefusedInfo>();
        mgr.on('refused', refusals.push);
        const identity = transport === 'ssh' ? hostKey.fingerprint : tlsFingerprint(pki.server.cert);
        mgr.register(transport === 'tls' ? identity.toLowerCase().replace(/:/g, '') : identity, {
          sshOptions: { username: 'netconf', password: 'secret' },
          onSession: sessions.push,
          onError: (err) => assert.fail(err),
        });
        await mgr.serve(transport, tlsClient);

        const known = device(mgr.port, transport);
        const first = await sessions.next();
        await exerciseAll(first);

        // The user closed that session; the device notices the drop and dials again.
        const second = await sessions.next();
        assert.notEqual(second.sessionId, first.sessionId);
        await new Manager(second).getConfig();
        // The same device dials in on a new connection while the old session is still open:
        // the old one is closed and replaced. (The twin waits 60 s before it would redial.)
        const twin = device(mgr.port, transport, { retryDelay: 60 });
        const third = await sessions.next();
        await closedSoon(second);
        await new Manager(third).get();
        // `known` saw its session closed, so it redials and replaces the twin's in turn.
        const fourth = await sessions.next();
        await closedSoon(third);
        await new Manager(fourth).get();
        await twin.stop();

        const stranger =
          transport === 'ssh'
            ? device(mgr.port, 'ssh', {
                ssh: { hostKeys: [strangerKey.private], users: { netconf: { password: 'secret' } } },
              })
            : tlsDevice(mgr.port, pki.server2);
        const refused = await refusals.next();
        assert.equal(refused.remoteAddress, '127.0.0.1');
        assert.equal(
          refused.identity,
          transport === 'ssh' ? strangerKey.fingerprint : tlsFingerprint(pki.server2.cert),
        );
        assert.match(refused.reason, /no device is registered/);
        await stranger.stop();

        // close(): no more listening, but the handed-out session lives on.
        await known.stop();
        await mgr.close();
        await closedSoon(fourth);
        const probe = net.connect(mgr.port, '127.0.0.1');
        const [err] = (await once(probe, 'error')) as [NodeJS.ErrnoException];
        assert.equal(err.code, 'ECONNREFUSED');
      });
    });
  }

  it('serve: a registered device that fails authentication goes to its onError, and sessions outlive close()', async () => {
    const mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0, logger: { debug: () => undefined } });
    const errors = nextValue<Error>();
    const sessions = nextValue<Session>();
    const unregister = mgr.register(hostKey.fingerprint, {
      sshOptions: { username: 'netconf', password: 'wrong' },
      onSession: sessions.push,
      onError: errors.push,
    });
    await mgr.serve('ssh', { timeout: 10 });
    const dialer = device(mgr.port, 'ssh', { retryDelay: 0.2 });
    const err = await errors.next();
    assert.ok(err instanceof ConnectError);
    assert.match(err.message, /authentication failed/);
    unregister();
    mgr.register(hostKey.fingerprint, {
      sshOptions: { username: 'netconf', password: 'secret' },
      onSession: sessions.push,
    });
    const session = await sessions.next();
    await mgr.close();
    await new Manager(session).getConfig();
    await session.close();
    await dialer.stop();
  });

  it('a unregistered identity is refused; a throwing onSession does not take the manager down', async () => {
    const mgr = new CallhomeManager({ bindTo: '127.0.0.1', port: 0, logger: { debug: () => undefined } });
    const refusals = nextValue<RefusedInfo>();
    mgr.on('refused', refusals.push);
    const sessions = nextValue<Session>();
    const unregister = mgr.register(tlsFingerprint(pki.server.cert), {
      onSession: (s) => {
        sessions.push(s);
        throw new Error('user bug');
      },
    });
    await mgr.serve('tls', tlsClient);
    const dialer = device(mgr.port, 'tls');
    const session = await sessions.next();
    await new Manager(session).get();
    unregister();
    dialer.drop();
    const refused = await refusals.next();
    assert.match(refused.reason, /no device is registered/);
    await dialer.stop();
    await mgr.close();
  });
});
