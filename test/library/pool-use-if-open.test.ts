/**
 * SessionPool.useIfOpen against real simulators in another process, sessions counted on the
 * SERVER side: it runs fn only on a session the pool holds open or idle now, never opens one
 * (unknown device, a closed session, a session that ends as the call arrives or while it waits
 * its turn), and holds the session while fn runs, so the idle timer does not close it under fn.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../helpers/free-port';
import { Manager, SessionPool, sshPoolFactory, type DeviceStateEvent, type PoolTarget, type RpcReply } from '../../src';
import { startFleet, type Fleet } from '../helpers/fleet-process';

// No first-RPC nudge: the server-side RPC counts stay exact.
const CREDENTIALS = { username: 'admin', password: 'admin', timeout: 10, firstRpcNudge: 0 };

/** A get or get-config reply that holds <data>. */
function hasData(reply: RpcReply): boolean {
  return reply.element.children.some((c) => c.local === 'data');
}

function closedEvent(pool: SessionPool, target: PoolTarget): Promise<DeviceStateEvent> {
  const device = pool.keyOf(target);
  return new Promise((resolve) => {
    const listener = (e: DeviceStateEvent): void => {
      if (e.device !== device || e.state !== 'closed') return;
      pool.off('state', listener);
      resolve(e);
    };
    pool.on('state', listener);
  });
}

/**
 * The session's transport reports an error, as a reset connection does. The session handles the
 * end after what it received before it, on its receive chain: the pool hears of it a few
 * microtasks later, which is the window between a caller seeing the session open and using it.
 */
function failTransport(manager: Manager): void {
  const stream = (manager.session as unknown as { stream: NodeJS.EventEmitter }).stream;
  stream.emit('error', new Error('read ECONNRESET (injected by the test)'));
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('SessionPool.useIfOpen against simulators in another process', { timeout: 60000 }, () => {
  let fleet: Fleet;
  const target = (i: number): PoolTarget => ({ ...fleet.devices[i], name: `dev${i}` });
  before(async () => {
    fleet = await startFleet(4);
  });
  after(async () => {
    await fleet.stop();
  });

  test('a device the pool holds no session of: undefined, fn not run, no session opened', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const before = await fleet.stats();
    let ran = 0;
    const dead: PoolTarget = { host: '127.0.0.1', port: await freePort() };
    for (const t of [target(0), dead]) assert.equal(await pool.useIfOpen(t, () => ++ran), undefined);
    assert.equal(ran, 0);
    assert.equal(pool.counts.sessions, 0);
    assert.equal(pool.state(dead), undefined, 'no connect was tried');
    assert.equal((await fleet.stats()).started, before.started, 'no session started on any device');
    await pool.close();
  });

  test('an idle session: fn runs on it, and the idle timer does not close it while fn runs', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { idleTimeout: 0.2, defaultUsername: 'admin' });
    const t = target(1);
    const before = await fleet.stats();
    const opened = await pool.use(t, (m) => m);
    // No macrotask since use() resolved: the 0.2 s idle timer cannot have fired yet.
    assert.equal(pool.state(t), 'idle');
    const closed = closedEvent(pool, t);
    const result = await pool.useIfOpen(t, async (m) => {
      assert.equal(m, opened, 'the pool session');
      assert.equal(pool.state(t), 'open', 'in use while fn runs');
      await new Promise((resolve) => setTimeout(resolve, 1000)); // five idle timeouts
      const reply = await m.getConfig({ source: 'running' });
      return { data: hasData(reply), state: pool.state(t), stats: await fleet.stats() };
    });
    assert.ok(result, 'fn ran');
    assert.equal(result.data, true, 'the session still answered after five idle timeouts');
    assert.equal(result.state, 'open');
    assert.equal(result.stats.started - before.started, 1, 'one session, the one use() opened');
    assert.equal(result.stats.endedByCloseSession, before.endedByCloseSession, 'not closed under fn');
    // Released: it is idle again, and the idle timer now closes it with <close-session>.
    assert.equal(pool.state(t), 'idle');
    await closed;
    assert.equal((await fleet.stats()).endedByCloseSession - before.endedByCloseSession, 1);
    await pool.close();
  });

  test('a session in use by another call: fn shares it', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const t = target(1);
    const before = await fleet.stats();
    let entered!: () => void;
    const inFn = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const holding = pool.use(t, (m) => {
      entered();
      return new Promise<Manager>((resolve) => (release = () => resolve(m)));
    });
    await inFn;
    assert.equal(pool.state(t), 'open');
    const shared = await pool.useIfOpen(t, async (m) => ({ m, data: hasData(await m.get()) }));
    release();
    assert.equal(shared?.data, true);
    assert.equal(shared?.m, await holding, 'the same session');
    assert.equal((await fleet.stats()).started - before.started, 1);
    await pool.close();
  });

  test('after the session closed (idle timeout, killed by the device): undefined, and no session opened', async () => {
    const idlePool = new SessionPool(sshPoolFactory(CREDENTIALS), { idleTimeout: 0.2, defaultUsername: 'admin' });
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const [idle, killed] = [target(2), target(3)];
    const ended = [closedEvent(idlePool, idle), closedEvent(pool, killed)];
    await idlePool.use(idle, (m) => m.getConfig());
    await pool.use(killed, (m) => m.getConfig());
    assert.equal(await fleet.kill(3), 1);
    const [byTimer, byKill] = await Promise.all(ended);
    assert.equal(byTimer.error, undefined, 'closed by the pool');
    assert.ok(byKill.error, 'died');
    const before = await fleet.stats();
    let ran = 0;
    assert.equal(await idlePool.useIfOpen(idle, () => ++ran), undefined);
    assert.equal(await pool.useIfOpen(killed, () => ++ran), undefined);
    assert.equal(ran, 0);
    assert.equal(idlePool.counts.sessions + pool.counts.sessions, 0);
    assert.equal((await fleet.stats()).started, before.started, 'no session started');
    await Promise.all([idlePool.close(), pool.close()]);
  });

  test('a session that ends while the call waits its turn behind an exclusive user: undefined, none opened', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const t = target(0);
    let entered!: () => void;
    const inFn = new Promise<void>((resolve) => (entered = resolve));
    // An exclusive user holds the session until it dies under it.
    const holdUntilClosed = (m: Manager): Promise<unknown> => {
      entered();
      return new Promise((resolve) => m.session.once('close', resolve));
    };
    const exclusive = pool.use(t, holdUntilClosed, { exclusive: true });
    await inFn;
    const before = await fleet.stats();
    const closed = closedEvent(pool, t);
    let ran = 0;
    const waiting = pool.useIfOpen(t, () => ++ran);
    assert.equal(await fleet.kill(0), 1); // the IPC round trip: the call is in the turn queue by now
    assert.equal(await waiting, undefined);
    assert.equal(ran, 0);
    assert.ok((await closed).error, 'the session died');
    await exclusive;
    assert.equal(pool.counts.sessions, 0);
    assert.equal((await fleet.stats()).started, before.started, 'no session started');
    await pool.close();
  });

  test('a session that ends as the call arrives (transport error just queued): undefined, none opened', async () => {
    const pool = new SessionPool(sshPoolFactory(CREDENTIALS), { defaultUsername: 'admin' });
    const t = target(2);
    const manager = await pool.use(t, (m) => m);
    await turn(); // the session's receive chain has settled
    const before = await fleet.stats();
    const closed = closedEvent(pool, t);
    failTransport(manager);
    assert.equal(pool.state(t), 'idle', 'the pool has not heard of it yet');
    let ran = 0;
    assert.equal(await pool.useIfOpen(t, () => ++ran), undefined);
    assert.equal(ran, 0);
    const event = await closed;
    assert.match(String(event.error), /ECONNRESET/);
    assert.equal(pool.counts.sessions, 0);
    assert.equal((await fleet.stats()).started, before.started, 'no session started');
    await pool.close();
  });
});
