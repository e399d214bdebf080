/** SessionPool's wait queue: bounded (NETCONF_POOL_FULL), deadlines (NETCONF_POOL_TIMEOUT), abort, close. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfClientError, PoolClosedError, PoolFullError, PoolTimeoutError, SessionPool } from '../../src';
import { deferred, fakeFleet, tick, type FakeManager } from '../helpers/fake-pool-manager';

const dev = (i: number): { host: string } => ({ host: `10.0.1.${i}` });

async function holdOne(pool: SessionPool<FakeManager>): Promise<{ release: () => Promise<void> }> {
  const hold = deferred();
  const use = pool.use(dev(0), () => hold.promise);
  await tick(5);
  return {
    release: async () => {
      hold.resolve();
      await use;
    },
  };
}

test('a full queue refuses at once with NETCONF_POOL_FULL', async () => {
  const pool = new SessionPool(fakeFleet().factory, { maxSessions: 1, maxQueue: 2 });
  const held = await holdOne(pool);
  const queued = [pool.use(dev(1), () => 1), pool.use(dev(2), () => 2)];
  await tick(1);
  assert.equal(pool.counts.queued, 2);
  const err = await pool.use(dev(3), () => 3).catch((e: unknown) => e);
  assert.ok(err instanceof PoolFullError && err instanceof NetconfClientError);
  assert.equal(err.code, 'NETCONF_POOL_FULL');
  await held.release();
  assert.deepEqual(await Promise.all(queued), [1, 2]);
  await pool.close();
});

test('a call waiting past queueTimeout fails with NETCONF_POOL_TIMEOUT and leaves the queue', async () => {
  const pool = new SessionPool(fakeFleet().factory, { maxSessions: 1, queueTimeout: 0.03 });
  const held = await holdOne(pool);
  const err = await pool.use(dev(1), () => 1).catch((e: unknown) => e);
  assert.ok(err instanceof PoolTimeoutError);
  assert.equal(err.code, 'NETCONF_POOL_TIMEOUT');
  assert.equal(pool.counts.queued, 0);
  await held.release();
  await pool.close();
});

test('an exclusive turn is bounded by queueTimeout too', async () => {
  const pool = new SessionPool(fakeFleet().factory, { queueTimeout: 0.03 });
  const held = await holdOne(pool);
  const err = await pool.use(dev(0), () => 1, { exclusive: true }).catch((e: unknown) => e);
  assert.ok(err instanceof PoolTimeoutError);
  await held.release();
  assert.equal(pool.state(dev(0)), 'idle');
  await pool.close();
});

test('an aborted waiter leaves the queue with the signal reason', async () => {
  const pool = new SessionPool(fakeFleet().factory, { maxSessions: 1 });
  const held = await holdOne(pool);
  const controller = new AbortController();
  const waiting = pool.use(dev(1), () => 1, { signal: controller.signal });
  await tick(1);
  controller.abort(new Error('user gave up'));
  await assert.rejects(waiting, /user gave up/);
  assert.equal(pool.counts.queued, 0);
  await held.release();
  assert.equal(await pool.use(dev(2), () => 2), 2, 'the freed capacity is usable');
  await pool.close();
});

test('close() rejects waiters, closes sessions, refuses new calls', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory, { maxSessions: 1 });
  const held = await holdOne(pool);
  const waiting = pool.use(dev(1), () => 1);
  await tick(1);
  const closing = pool.close();
  const err = await waiting.catch((e: unknown) => e);
  assert.ok(err instanceof PoolClosedError);
  assert.equal(err.code, 'NETCONF_POOL_CLOSED');
  await held.release();
  await closing;
  assert.equal(fleet.opened[0].closeCalls, 1);
  assert.equal(fleet.alive(), 0);
  await assert.rejects(
    pool.use(dev(2), () => 2),
    (e: unknown) => e instanceof PoolClosedError,
  );
});

test('close() is bounded: a session that never answers close-session is forgotten after the timeout', async () => {
  const pool = new SessionPool(fakeFleet().factory);
  const stuck = await pool.use(dev(1), (m) => m);
  stuck.closeGate = new Promise(() => undefined);
  const started = Date.now();
  await pool.close(0.05);
  assert.ok(Date.now() - started < 2000);
  assert.equal(pool.counts.sessions, 0);
});

test('close() while a session is opening closes it once opened', async () => {
  const fleet = fakeFleet();
  fleet.openDelayMs = 20;
  const pool = new SessionPool(fleet.factory);
  const use = pool.use(dev(1), () => 1);
  await tick(1);
  await pool.close();
  await assert.rejects(use, (e: unknown) => e instanceof PoolClosedError);
  await tick(30);
  assert.equal(fleet.alive(), 0);
});
