/**
 * SessionPool against a fleet of real simulators running in another process (fleet-process),
 * over SSH, counted on the SERVER side: 200 devices each answer a get-config through a pool of
 * 50 sessions, never more than one session per device nor more than 50 at once; idle sessions end
 * with <close-session>; a dead port fails fast during backoff (connect attempts counted); an
 * unknown host key is refused with its fingerprint; a killed session is discarded and reopened;
 * exclusive users do not interleave their lock/unlock.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../helpers/free-port';
import {
  ConnectError,
  Manager,
  SessionPool,
  sshPoolFactory,
  type PoolFactory,
  type PoolTarget,
  type DeviceStateEvent,
  type RpcReply,
} from '../../src';
import { startFleet, type Fleet, type FleetDevice } from '../helpers/fleet-process';

// No first-RPC nudge (a netconfd workaround): on a loaded machine it would add get-configs of its
// own after 1 s and the server-side count below is exact.
const CREDENTIALS = { username: 'admin', password: 'admin', timeout: 10, firstRpcNudge: 0 };
const DEVICES = 200;

/** A get or get-config reply that holds <data>. */
function hasData(reply: RpcReply): boolean {
  return reply.element.children.some((c) => c.local === 'data');
}

function targetOf(d: FleetDevice, i: number): PoolTarget {
  return { host: d.host, port: d.port, hostFingerprint: d.hostFingerprint, name: `dev${i}` };
}

/** The SSH factory, counting connect attempts per key. */
function countingFactory(attempts: Map<string, number>): PoolFactory<Manager> {
  const ssh = sshPoolFactory(CREDENTIALS);
  return (target, signal) => {
    const key = `${target.host}:${target.port}`;
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    return ssh(target, signal);
  };
}

function nextState(pool: SessionPool, device: string, state: string): Promise<DeviceStateEvent> {
  return new Promise((resolve) => {
    const listener = (e: DeviceStateEvent): void => {
      if (e.device !== device || e.state !== state) return;
      pool.off('state', listener);
      resolve(e);
    };
    pool.on('state', listener);
  });
}

describe('SessionPool over SSH against a fleet of simulators in another process', { timeout: 120000 }, () => {
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet(DEVICES);
  });
  after(async () => {
    await fleet.stop();
  });

  test('200 devices answer get-config through 50 sessions: one per device, 50 at most (server side)', async () => {
    const before = await fleet.stats();
    await fleet.resetPeaks();
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), {
      maxSessions: 50,
      queueTimeout: 60,
      defaultUsername: 'admin',
    });
    const started = Date.now();
    // Two calls per device at once: the second shares the first's session.
    const calls = fleet.devices.flatMap((d, i) =>
      [0, 1].map(() => pool.use(targetOf(d, i), async (m) => hasData(await m.getConfig({ source: 'running' })))),
    );
    const results = await Promise.all(calls);
    const elapsed = Date.now() - started;
    assert.equal(results.filter((ok) => ok).length, DEVICES * 2);
    await pool.close();
    const stats = await fleet.stats();
    console.log(
      `# 200 devices x 2 get-config via 50 sessions: ${elapsed} ms, ${stats.started - before.started} sessions`,
    );
    assert.equal(stats.devicesWithGetConfig, DEVICES);
    assert.equal(stats.getConfigs - before.getConfigs, DEVICES * 2);
    assert.equal(stats.peakPerDevice, 1, 'never two sessions to one device');
    assert.ok(stats.peakLive <= 50, `at most 50 sessions at once, saw ${stats.peakLive}`);
    assert.ok(stats.peakLive >= 2, 'sessions did run side by side');
    assert.equal(stats.started - before.started, DEVICES, 'the two calls of a device shared one session');
    assert.equal(stats.endedOtherwise - before.endedOtherwise, 0, 'evicted sessions ended with <close-session>');
    assert.equal(stats.live, 0);
  });

  test('idle sessions are closed with <close-session> after idleTimeout', async () => {
    const before = await fleet.stats();
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { idleTimeout: 0.3, defaultUsername: 'admin' });
    const targets = fleet.devices.slice(0, 3).map(targetOf);
    const closed = targets.map((t) => nextState(pool, pool.keyOf(t), 'closed'));
    await Promise.all(targets.map((t) => pool.use(t, (m) => m.getConfig())));
    assert.equal((await fleet.stats()).live - before.live, 3);
    assert.deepEqual(pool.counts.idle, 3);
    const events = await Promise.all(closed);
    assert.ok(events.every((e) => e.previous === 'closing' && e.error === undefined));
    const stats = await fleet.stats();
    assert.equal(stats.endedByCloseSession - before.endedByCloseSession, 3);
    assert.equal(stats.endedOtherwise - before.endedOtherwise, 0);
    assert.equal(stats.live, before.live);
    await pool.close();
  });

  test('a dead device fails fast during backoff: 200 calls, one connect attempt', async () => {
    const attempts = new Map<string, number>();
    const pool = new SessionPool(countingFactory(attempts), { backoff: { initial: 30 }, defaultUsername: 'admin' });
    const dead: PoolTarget = { host: '127.0.0.1', port: await freePort() };
    const concurrent = await Promise.allSettled(Array.from({ length: 100 }, () => pool.use(dead, (m) => m.get())));
    assert.ok(concurrent.every((r) => r.status === 'rejected' && r.reason instanceof ConnectError));
    const first = (concurrent[0] as PromiseRejectedResult).reason as ConnectError;
    assert.match(first.message, /ECONNREFUSED/);
    assert.equal(pool.state(dead), 'failing');
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      const err = await pool
        .use(dead, (m) => m.get())
        .then(
          () => assert.fail('expected a rejection'),
          (e: unknown) => e,
        );
      assert.ok(err instanceof ConnectError, 'the original error class');
      assert.match(err.message, new RegExp(`device admin@127.0.0.1:${dead.port} failing since .*ECONNREFUSED`));
      assert.equal(err.cause, first);
    }
    console.log(`# 100 fail-fast calls in ${Date.now() - started} ms`);
    assert.deepEqual([...attempts.values()], [1], 'one connect attempt for 200 calls');
    assert.equal(pool.counts.failing, 1);
    await pool.close();
  });

  test('an unknown host key is refused with the fingerprint it presented', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const device = fleet.devices[5];
    const err = await pool
      .use({ host: device.host, port: device.port }, (m) => m.get())
      .then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ConnectError);
    assert.equal(err.fingerprint, device.hostFingerprint);
    assert.match(err.message, /host key verification failed/);
    // During the backoff the fail-fast error keeps the fingerprint too.
    const again = await pool.use({ host: device.host, port: device.port }, (m) => m.get()).catch((e: unknown) => e);
    assert.ok(again instanceof ConnectError);
    assert.equal(again.fingerprint, device.hostFingerprint);
    assert.match(again.message, /failing since/);
    await pool.close();
  });

  test('a session killed by the device is discarded and the next call reopens it', async () => {
    const attempts = new Map<string, number>();
    const pool = new SessionPool(countingFactory(attempts), { defaultUsername: 'admin' });
    const target = targetOf(fleet.devices[7], 7);
    await pool.use(target, (m) => m.getConfig());
    const closed = nextState(pool, pool.keyOf(target), 'closed');
    assert.equal(await fleet.kill(7), 1);
    const event = await closed;
    assert.ok(event.error, 'a dead session reports why');
    assert.equal(pool.counts.sessions, 0);
    assert.equal(hasData(await pool.use(target, (m) => m.getConfig())), true);
    assert.equal(attempts.get(`${target.host}:${target.port}`), 2);
    await pool.close();
  });

  test('exclusive users take turns: five lock/unlock sequences on one session never collide', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const target = targetOf(fleet.devices[9], 9);
    const before = await fleet.stats();
    const sequence = (m: Manager): Promise<boolean> =>
      m.lock('running').then(async () => {
        await m.getConfig();
        return (await m.unlock('running')).ok;
      });
    // Shared users of the same session in between must not break the exclusive turns.
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => pool.use(target, sequence, { exclusive: true })),
      ...Array.from({ length: 5 }, () => pool.use(target, async (m) => hasData(await m.get()))),
    ]);
    assert.deepEqual(results, Array(10).fill(true));
    assert.equal((await fleet.stats()).started - before.started, 1);
    await pool.close();
  });
});
