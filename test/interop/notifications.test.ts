/**
 * RFC 5277 notifications from netconfd: create-subscription, a netconf-config-change after a
 * commit made by another session (RPCs still work on the subscribed session: :interleave), the
 * confirmed-commit events, and replay of stored events from a start time (then replayComplete,
 * and notificationComplete with a stop time).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manager } from '../../src/manager';
import type { Notification } from '../../src/session/notification';
import { LAB_NS, NC_NOTIF_NS, closeAll, connect, resetCandidate, rpcError, sleep } from './helpers/lab';

let editor: Manager;

before(async () => {
  editor = await connect();
  await resetCandidate(editor);
});

after(async () => {
  if (editor && !editor.session.closed) await resetCandidate(editor).catch(() => undefined);
  await closeAll(editor);
});

/** Takes notifications until one satisfies `match` (others, e.g. session-start, are skipped). */
async function waitFor(
  m: Manager,
  match: (n: Notification) => boolean,
  seconds = 10,
): Promise<{ hit: Notification; skipped: Notification[] }> {
  const deadline = Date.now() + seconds * 1000;
  const skipped: Notification[] = [];
  for (;;) {
    const left = (deadline - Date.now()) / 1000;
    if (left <= 0)
      assert.fail(`no matching notification within ${seconds} s (skipped: ${skipped.map((n) => n.name).join(', ')})`);
    const n = await m.takeNotification({ timeout: left });
    if (!n) continue;
    if (match(n)) return { hit: n, skipped };
    skipped.push(n);
  }
}

const isLabChange = (n: Notification): boolean =>
  n.name === 'netconf-config-change' && n.namespace === NC_NOTIF_NS && n.eventXml.includes(LAB_NS);

test('create-subscription, then netconf-config-change after a commit by another session', async () => {
  const sub = await connect();
  try {
    const r = await sub.createSubscription();
    assert.equal(r.ok, true);
    // a second subscription on the same session is refused
    assert.equal((await rpcError(sub.createSubscription())).severity, 'error');
    await editor.editConfig(`<lab xmlns="${LAB_NS}"><note>notify</note></lab>`, { target: 'candidate' });
    await editor.commit();
    const { hit } = await waitFor(sub, isLabChange);
    assert.match(hit.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const ev = hit.data['netconf-config-change'] as Record<string, unknown>;
    const changedBy = ev['changed-by'] as Record<string, unknown>;
    assert.equal(changedBy['session-id'], String(editor.sessionId));
    assert.equal(changedBy.username, 'netconf');
    const edit = ev.edit as Record<string, unknown>;
    assert.equal(edit.operation, 'create');
    // the target is an instance-identifier whose prefix is bound on the element itself
    const target = hit.eventElement?.children
      .find((c) => c.local === 'edit')
      ?.children.find((c) => c.local === 'target');
    assert.equal(target?.text.trim(), '/lab:lab');
    assert.equal(target?.scope.lab, LAB_NS);
    // interleave: the subscribed session still answers RPCs
    const cfg = await sub.getConfig({ source: 'running', filter: `<lab xmlns="${LAB_NS}"/>` });
    assert.match(cfg.dataXml, /notify/);
  } finally {
    await closeAll(sub);
  }
});

test('the notifications() iterator: confirmed-commit start and complete events', async () => {
  const sub = await connect();
  const ac = new AbortController();
  try {
    await sub.createSubscription({ filter: `<netconf-confirmed-commit xmlns="${NC_NOTIF_NS}"/>` });
    await editor.editConfig(`<lab xmlns="${LAB_NS}"><note>cc</note></lab>`, { target: 'candidate' });
    await editor.commit({ confirmed: true, confirmTimeout: 60 });
    await editor.commit();
    const events: string[] = [];
    const timer = setTimeout(() => ac.abort(new Error('timed out')), 10000);
    try {
      for await (const n of sub.notifications(ac.signal)) {
        assert.equal(n.name, 'netconf-confirmed-commit', 'the subtree filter lets only these through');
        events.push(String((n.data['netconf-confirmed-commit'] as Record<string, unknown>)['confirm-event']));
        if (events.length === 2) break;
      }
    } finally {
      clearTimeout(timer);
    }
    assert.deepEqual(events, ['start', 'complete']);
  } finally {
    await closeAll(sub);
  }
});

test('replay from a start time: stored events, then replayComplete; with a stop time, notificationComplete', async () => {
  // eventTime has whole seconds: start a second before the edit
  const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
  await editor.editConfig(`<lab xmlns="${LAB_NS}"><note>replayed</note></lab>`, { target: 'candidate' });
  await editor.commit();
  await sleep(1100);
  const sub = await connect();
  try {
    await sub.createSubscription({ startTime: start });
    const { hit, skipped } = await waitFor(sub, isLabChange);
    assert.ok(Date.parse(hit.eventTime) >= start.getTime(), `${hit.eventTime} before ${start.toISOString()}`);
    assert.ok(!skipped.some((n) => n.isReplayComplete), 'replayComplete came before the replayed event');
    const { hit: done } = await waitFor(sub, (n) => n.isReplayComplete);
    assert.equal(done.name, 'replayComplete');
  } finally {
    await closeAll(sub);
  }
  // a bounded replay ends with notificationComplete
  const bounded = await connect();
  try {
    await bounded.createSubscription({ startTime: start, stopTime: new Date(start.getTime() + 2000) });
    await waitFor(bounded, (n) => n.isReplayComplete);
    const { hit } = await waitFor(bounded, (n) => n.name === 'notificationComplete');
    assert.equal(hit.namespace, 'urn:ietf:params:xml:ns:netmod:notification');
  } finally {
    await closeAll(bounded);
  }
});
