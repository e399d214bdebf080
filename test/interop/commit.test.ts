/**
 * Confirmed commit against netconfd's candidate instance: a confirmed commit that the server
 * rolls back when its timeout passes, a confirmed commit made permanent by a confirming commit,
 * and cancel-commit (same session, and by persist-id from another session).
 *
 * netconfd runs its rollback timer only after its event loop has been idle for about a second,
 * so the waits below poll at most once every 1.5 s.
 */
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manager } from '../../src/manager';
import { LAB_NS, closeAll, connect, labFilter, resetCandidate, rpcError, sleep } from './helpers/lab';

const note = (text: string): string => `<lab xmlns="${LAB_NS}"><note>${text}</note></lab>`;
let m: Manager;

beforeEach(async () => {
  if (!m || m.session.closed) m = await connect();
  await resetCandidate(m);
});

after(async () => {
  if (m && !m.session.closed) await resetCandidate(m).catch(() => undefined);
  await closeAll(m);
});

async function runningNote(mgr: Manager = m): Promise<string | undefined> {
  const r = await mgr.getConfig({ source: 'running', filter: labFilter });
  return /<note>([^<]*)<\/note>/.exec(r.dataXml)?.[1];
}

/** Polls (once per 1.5 s, so netconfd's loop can idle) until running's note is `want`. */
async function waitForNote(want: string | undefined, seconds: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    await sleep(1500);
    if ((await runningNote()) === want) return (Date.now() - started) / 1000;
    if (Date.now() - started > seconds * 1000) {
      assert.fail(
        `running note is still ${JSON.stringify(await runningNote())} after ${seconds} s (want ${JSON.stringify(want)})`,
      );
    }
  }
}

test('confirmed commit without a confirming commit: netconfd rolls running and candidate back after the timeout', async () => {
  await m.editConfig(note('before'), { target: 'candidate' });
  await m.commit();
  await m.editConfig(note('unconfirmed'), { target: 'candidate' });
  const r = await m.commit({ confirmed: true, confirmTimeout: 2 });
  assert.equal(r.ok, true);
  assert.equal(await runningNote(), 'unconfirmed');
  const took = await waitForNote('before', 15);
  assert.ok(took >= 1.5, `rolled back after ${took} s`);
  const candidate = await m.getConfig({ source: 'candidate', filter: labFilter });
  assert.match(candidate.dataXml, /<note>before<\/note>/);
});

test('confirmed commit, then a confirming commit: the change stays after the timeout', async () => {
  await m.editConfig(note('confirmed'), { target: 'candidate' });
  await m.commit({ confirmed: true, confirmTimeout: 2 });
  await m.commit();
  await sleep(4000);
  assert.equal(await runningNote(), 'confirmed');
});

test('cancel-commit in the same session rolls back at once', async () => {
  await m.editConfig(note('to cancel'), { target: 'candidate' });
  await m.commit({ confirmed: true, confirmTimeout: 120 });
  assert.equal(await runningNote(), 'to cancel');
  const r = await m.cancelCommit();
  assert.equal(r.ok, true);
  assert.equal(await runningNote(), undefined);
  // nothing left to cancel
  const none = await rpcError(m.cancelCommit());
  assert.equal(none.severity, 'error');
});

test('persistent confirmed commit: confirmed or cancelled from another session by persist-id', async () => {
  const persist = `tok-${process.pid}-${Date.now()}`;
  await m.editConfig(note('persisted'), { target: 'candidate' });
  await m.commit({ confirmed: true, confirmTimeout: 120, persist });
  const other = await connect();
  try {
    // a wrong persist-id is refused
    const wrong = await rpcError(other.cancelCommit({ persistId: 'not-the-token' }));
    assert.equal(wrong.severity, 'error');
    await other.cancelCommit({ persistId: persist });
    assert.equal(await runningNote(other), undefined);

    // again, this time confirmed by persist-id from the other session
    await m.editConfig(note('persisted 2'), { target: 'candidate' });
    await m.commit({ confirmed: true, confirmTimeout: 2, persist });
    await other.commit({ persistId: persist });
    await sleep(4000);
    assert.equal(await runningNote(other), 'persisted 2');
  } finally {
    await closeAll(other);
  }
});
