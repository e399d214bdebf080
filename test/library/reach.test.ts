/**
 * Reaching devices (issue 17) against real servers on 127.0.0.1: OpenSSH sshd bastions in front
 * of the simulator (one hop, two hops, a wrong hop key, a hop that refuses forwarding), an sshd
 * that only speaks diffie-hellman-group14-sha1 + aes128-cbc (its netconf subsystem bridges to the
 * simulator), and the NETCONF keepalive against the simulator's hold fault.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:net';
import { ConnectError, connectSsh, Manager, SessionClosedError, type SshJumpHost, type SshOptions } from '../../src';
import { NetconfSimulator } from '../../simulator';
import { rawSimulatorPort, sshdClientKey, TestSshd } from '../helpers/sshd';

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

function hop(sshd: TestSshd, overrides: Partial<SshJumpHost> = {}): SshJumpHost {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    username: sshd.username,
    privateKey: sshdClientKey().private,
    hostFingerprint: sshd.fingerprint,
    ...overrides,
  };
}

/** sshd's per-connection child processes: one while a client is connected through it. */
function sshdChildren(sshd: TestSshd): number {
  try {
    return execFileSync('pgrep', ['-P', String(sshd.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when there is none
  }
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

describe('jump hosts and legacy algorithms through OpenSSH sshd', { timeout: 90000 }, () => {
  let sim: NetconfSimulator;
  let raw: Server;
  const bastion1 = new TestSshd();
  const bastion2 = new TestSshd();
  const closedBastion = new TestSshd({ forwarding: false });
  let legacy: TestSshd;

  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
    raw = await rawSimulatorPort(sim);
    const rawPort = (raw.address() as { port: number }).port;
    legacy = new TestSshd({
      netconfCommand: `/usr/bin/socat - TCP:127.0.0.1:${rawPort}`,
      extra: ['KexAlgorithms diffie-hellman-group14-sha1', 'Ciphers aes128-cbc'],
    });
    await Promise.all([bastion1.start(), bastion2.start(), closedBastion.start(), legacy.start()]);
  });
  after(async () => {
    await Promise.all([bastion1, bastion2, closedBastion, legacy].map((s) => s.stop()));
    raw.close();
    await sim.close();
  });

  function device(jumpHosts: SshJumpHost[]): SshOptions {
    return {
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      timeout: 15,
      jumpHosts,
    };
  }

  test('get-config through one bastion; the bastion connection ends with the session', async () => {
    const m = new Manager(await connectSsh(device([hop(bastion1)])), { timeout: 15 });
    assert.equal(sshdChildren(bastion1), 1);
    const reply = await m.getConfig();
    assert.match(reply.xml, /<data/);
    await m.close();
    await eventually(() => sshdChildren(bastion1) === 0, 'the bastion connection is closed with the session');
  });

  test('get-config through two bastions in order', async () => {
    const m = new Manager(await connectSsh(device([hop(bastion1), hop(bastion2)])), { timeout: 15 });
    assert.equal(sshdChildren(bastion1), 1);
    assert.equal(sshdChildren(bastion2), 1);
    assert.match((await m.getConfig()).xml, /<data/);
    await m.close();
    await eventually(() => sshdChildren(bastion1) + sshdChildren(bastion2) === 0, 'both hops are closed');
  });

  test('a wrong bastion host key is refused, naming the hop and the key it presented', async () => {
    const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const first = await rejection(connectSsh(device([hop(bastion1, { hostFingerprint: wrong }), hop(bastion2)])));
    assert.ok(first instanceof ConnectError);
    assert.match(
      first.message,
      new RegExp(`host key verification failed for jump host 1 \\(127.0.0.1:${bastion1.port}\\)`),
    );
    assert.equal(first.fingerprint, bastion1.fingerprint);
    const second = await rejection(connectSsh(device([hop(bastion1), hop(bastion2, { hostFingerprint: wrong })])));
    assert.match(second.message, new RegExp(`jump host 2 \\(127.0.0.1:${bastion2.port}\\)`));
    assert.equal((second as ConnectError).fingerprint, bastion2.fingerprint);
    // Not pinning the hop's key is refused as well: verification is on by default.
    const unpinned = await rejection(connectSsh(device([hop(bastion1, { hostFingerprint: undefined })])));
    assert.match(unpinned.message, /host key verification failed for jump host 1/);
    await eventually(() => sshdChildren(bastion1) === 0, 'the first hop is closed after the failure');
  });

  test("the device's host key is still verified behind a bastion", async () => {
    const err = await rejection(
      connectSsh({ ...device([hop(bastion1)]), hostFingerprint: 'SHA256:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }),
    );
    assert.match(err.message, /host key verification failed for 127\.0\.0\.1:\d+ \(through jump host 1/);
  });

  test('a bastion that refuses forwarding gives a clear error', async () => {
    const err = await rejection(connectSsh(device([hop(closedBastion)])));
    assert.ok(err instanceof ConnectError);
    assert.match(err.message, /jump host 1 \(127\.0\.0\.1:\d+\) refused to forward the connection to the device/);
    assert.match(err.message, /AllowTcpForwarding/);
  });

  test('an old-algorithms-only server: refused with the defaults naming the class, accepted with the setting', async () => {
    const base: SshOptions = {
      host: '127.0.0.1',
      port: legacy.port,
      username: legacy.username,
      privateKey: sshdClientKey().private,
      hostFingerprint: legacy.fingerprint,
      timeout: 15,
    };
    const kex = await rejection(connectSsh(base));
    assert.ok(kex instanceof ConnectError);
    assert.match(
      kex.message,
      /no common key exchange \(kex\) algorithm; the server offers diffie-hellman-group14-sha1/,
    );
    assert.match(kex.message, /algorithms\.kex/);
    const cipher = await rejection(
      connectSsh({ ...base, algorithms: { kex: { append: ['diffie-hellman-group14-sha1'] } } }),
    );
    assert.match(cipher.message, /no common cipher algorithm; the server offers aes128-cbc/);
    const session = await connectSsh({
      ...base,
      algorithms: { kex: { append: ['diffie-hellman-group14-sha1'] }, cipher: { append: ['aes128-cbc'] } },
    });
    const m = new Manager(session, { timeout: 15 });
    assert.match((await m.getConfig()).xml, /<data/);
    await m.close();
  });
});

describe('NETCONF keepalive against the hold fault', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
  });
  after(async () => {
    await sim.close();
  });
  const options = (): SshOptions => ({
    host: '127.0.0.1',
    port: sim.port,
    username: 'admin',
    password: 'admin',
    hostFingerprint: sim.hostFingerprint,
    timeout: 10,
  });

  test('a server that stops answering RPCs is declared dead; pending calls reject', async () => {
    const session = await connectSsh({ ...options(), netconfKeepalive: 0.3 });
    // Answered probes keep it open.
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(session.closed, false);
    sim.setFaults({ hold: true });
    try {
      const started = Date.now();
      const pending = rejection(session.sendRpc('<get-config><source><running/></source></get-config>'));
      const err = await pending;
      assert.ok(err instanceof SessionClosedError, String(err));
      assert.match(err.message, /did not answer 2 NETCONF keepalive probes/);
      assert.ok(session.closed);
      assert.ok(Date.now() - started >= 300, 'not before one interval has passed');
    } finally {
      sim.clearFaults();
    }
  });

  test('off by default: a held session stays open', async () => {
    const session = await connectSsh(options());
    sim.setFaults({ hold: true });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(session.closed, false);
    } finally {
      sim.clearFaults();
      await session.close();
    }
  });
});
