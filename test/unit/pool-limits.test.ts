/**
 * SessionPool bookkeeping with an in-memory factory: sharing, maxSessions, one session per
 * device (also while an evicted one is still closing), eviction of the oldest idle session,
 * idle timeout, dead sessions reopened, exclusive turns, counts and events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionPool, type PoolCounts } from '../../src';
import { deferred, fakeFleet, tick, type FakeManager } from '../helpers/fake-pool-manager';

const dev = (i: number): { host: string; port: number } => ({ host: `10.0.0.${i}`, port: 830 });

test('concurrent users of one device share one session', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory);
  const managers = await Promise.all(Array.from({ length: 20 }, () => pool.use(dev(1), (m) => m)));
  assert.equal(fleet.attempts, 1);
  assert.ok(managers.every((m) => m === managers[0]));
  assert.deepEqual(pool.counts, { open: 0, connecting: 0, idle: 1, closing: 0, failing: 0, queued: 0, sessions: 1 });
  await pool.close();
});

test('never more than maxSessions; the oldest idle session is evicted for a new device', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory, { maxSessions: 3 });
  const calls = Array.from({ length: 30 }, (_, i) => pool.use(dev(i % 10), () => tick(2)));
  await Promise.all(calls);
  assert.ok(fleet.peakAlive <= 3, `peak ${fleet.peakAlive}`);
  assert.equal(fleet.peakPerDevice, 1);
  assert.ok(fleet.opened.filter((m) => m.closeCalls > 0).length >= 7, 'evicted sessions were closed');
  // Evicts the idle session unused the longest.
  await pool.close();
  const p2 = new SessionPool(fakeFleet().factory, { maxSessions: 2 });
  const order: string[] = [];
  p2.on('state', (e) => e.state === 'closing' && order.push(e.device));
  await p2.use(dev(1), () => undefined);
  await tick(2);
  await p2.use(dev(2), () => undefined);
  await p2.use(dev(3), () => undefined);
  assert.deepEqual(order, ['netconf@10.0.0.1:830']);
  await p2.close();
});

test('a device whose session is still closing gets no second session until it ended', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory, { idleTimeout: 0.01 });
  const slowClose = deferred();
  const first = await pool.use(dev(1), (m) => m);
  first.closeGate = slowClose.promise;
  await tick(30); // idle timeout: <close-session> sent, no answer yet
  assert.equal(pool.state(dev(1)), 'closing');
  const again = pool.use(dev(1), (m) => m);
  await tick(10);
  assert.equal(fleet.attempts, 1, 'no second session while the first is closing');
  slowClose.resolve();
  assert.notEqual(await again, first);
  assert.equal(fleet.peakPerDevice, 1);
  await pool.close();
});

test('an in-use session is never evicted: the new device waits for a user to leave', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory, { maxSessions: 1 });
  const hold = deferred();
  const busy = pool.use(dev(1), () => hold.promise);
  await tick(5);
  let done = false;
  const waiting = pool.use(dev(2), () => (done = true));
  await tick(10);
  assert.equal(done, false);
  assert.equal(pool.counts.queued, 1);
  assert.equal(fleet.opened[0].closeCalls, 0);
  hold.resolve();
  await Promise.all([busy, waiting]);
  assert.equal(done, true);
  assert.equal(fleet.opened[0].closeCalls, 1);
  await pool.close();
});

test('idle sessions are closed after idleTimeout; the timer starts when the last user leaves', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory, { idleTimeout: 0.04 });
  const hold = deferred();
  const long = pool.use(dev(1), () => hold.promise);
  await pool.use(dev(1), () => undefined); // a short user leaves; the long one still holds it
  await tick(80);
  assert.equal(pool.state(dev(1)), 'open');
  hold.resolve();
  await long;
  assert.equal(pool.state(dev(1)), 'idle');
  await tick(80);
  assert.equal(pool.state(dev(1)), undefined);
  assert.equal(fleet.opened[0].closeCalls, 1);
  await pool.close();
});

test('a dead session is discarded and reopened by the next call', async () => {
  const fleet = fakeFleet();
  const pool = new SessionPool(fleet.factory);
  const first: FakeManager = await pool.use(dev(1), (m) => m);
  const events: string[] = [];
  pool.on('state', (e) => events.push(`${e.state}${e.error ? `: ${e.error.message}` : ''}`));
  first.kill();
  assert.deepEqual(events, ['closed: the transport closed']);
  const second = await pool.use(dev(1), (m) => m);
  assert.notEqual(second, first);
  assert.equal(fleet.attempts, 2);
  await pool.close();
});

test('exclusive waits for shared users and keeps later ones out until it leaves', async () => {
  const pool = new SessionPool(fakeFleet().factory);
  const log: string[] = [];
  const hold = deferred();
  const shared1 = pool.use(dev(1), async () => {
    log.push('shared1 in');
    await hold.promise;
    log.push('shared1 out');
  });
  await tick(5);
  const exclusive = pool.use(
    dev(1),
    async () => {
      log.push('exclusive in');
      await tick(10);
      log.push('exclusive out');
    },
    { exclusive: true },
  );
  const shared2 = pool.use(dev(1), () => void log.push('shared2'));
  await tick(5);
  hold.resolve();
  await Promise.all([shared1, exclusive, shared2]);
  assert.deepEqual(log, ['shared1 in', 'shared1 out', 'exclusive in', 'exclusive out', 'shared2']);
  await pool.close();
});

test('counts events follow the states', async () => {
  const pool = new SessionPool(fakeFleet().factory);
  const seen: PoolCounts[] = [];
  pool.on('counts', (c) => seen.push(c));
  const hold = deferred();
  const use = pool.use(dev(1), () => hold.promise);
  await tick(5);
  assert.equal(seen.at(-1)?.open, 1);
  hold.resolve();
  await use;
  await tick(0);
  assert.equal(seen.at(-1)?.idle, 1);
  assert.ok(seen.some((c) => c.connecting === 1));
  await pool.close();
  await tick(0);
  assert.equal(seen.at(-1)?.sessions, 0);
});
