/** SessionPool's per-device backoff: fail fast with the original error's class and code, exponential, capped, reset on success. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectError, SessionPool, type DeviceFailingInfo } from '../../src';
import { fakeFleet, tick } from '../helpers/fake-pool-manager';

class CodedError extends ConnectError {
  override readonly code = 'ECONNREFUSED_TEST';
}

test('after a failed connect, calls fail fast with the original class, code and cause; no new attempt', async () => {
  const fleet = fakeFleet();
  const original = new CodedError('cannot connect to 10.9.9.9:830: ECONNREFUSED');
  fleet.failing.set('10.9.9.9', original);
  const pool = new SessionPool(fleet.factory, { backoff: { initial: 10 } });
  const target = { host: '10.9.9.9' };
  assert.equal(await pool.use(target, () => 1).catch((e: unknown) => e), original);
  for (let i = 0; i < 99; i++) {
    const err = await pool.use(target, () => 1).catch((e: unknown) => e);
    assert.ok(err instanceof CodedError);
    assert.equal(err.code, 'ECONNREFUSED_TEST');
    assert.equal(err.name, 'CodedError');
    assert.equal(err.cause, original);
    assert.match(err.message, /^device netconf@10\.9\.9\.9:830 failing since \S+ \(retry after \S+\): cannot connect/);
    assert.equal((err as unknown as DeviceFailingInfo).failures, 1);
  }
  assert.equal(fleet.attempts, 1);
  assert.equal(pool.state(target), 'failing');
  assert.equal(pool.counts.failing, 1);
  await pool.close();
});

test('the delay doubles up to the cap, and a success forgets the failures', async () => {
  const fleet = fakeFleet();
  fleet.failing.set('10.9.9.8', new ConnectError('refused'));
  const pool = new SessionPool(fleet.factory, { backoff: { initial: 0.04, factor: 2, max: 0.1 } });
  const target = { host: '10.9.9.8' };
  // The 'failing' event is emitted right where the failure was recorded: retryAt minus its time is the delay.
  let failedAt = 0;
  pool.on('state', (e) => e.state === 'failing' && (failedAt = Date.now()));
  const delays: number[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    await pool.use(target, () => 1).catch(() => undefined);
    const fast = (await pool.use(target, () => 1).catch((e: unknown) => e)) as Error & DeviceFailingInfo;
    assert.equal(fleet.attempts, attempt, 'no attempt inside the window');
    assert.equal(fast.failures, attempt);
    delays.push(fast.retryAt.getTime() - failedAt);
    await tick(fast.retryAt.getTime() - Date.now() + 5);
  }
  const expected = [40, 80, 100, 100]; // doubling, then the cap
  delays.forEach((d, i) => assert.ok(Math.abs(d - expected[i]) <= 3, `delays ${delays.join(', ')} ms`));
  fleet.failing.delete('10.9.9.8');
  assert.equal(await pool.use(target, () => 'up'), 'up');
  assert.equal(pool.counts.failing, 0);
  assert.equal(pool.state(target), 'idle');
  await pool.close();
});

test('a failing device does not hold capacity: other devices still open', async () => {
  const fleet = fakeFleet();
  fleet.failing.set('10.9.9.7', new ConnectError('refused'));
  const pool = new SessionPool(fleet.factory, { maxSessions: 1 });
  await pool.use({ host: '10.9.9.7' }, () => 1).catch(() => undefined);
  assert.equal(await pool.use({ host: '10.9.9.6' }, () => 'ok'), 'ok');
  await pool.close();
});
