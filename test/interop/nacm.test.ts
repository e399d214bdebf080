/**
 * netconfd's writable-running instance (127.0.0.1:8831) with NACM enforced: the admin
 * (superuser) edits running directly and sees it at once; the restricted user netconf-ro may
 * read but a write is refused with netconfd's exact access-denied rpc-error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manager } from '../../src/manager';
import { parseTree } from '../../src/xml/element';
import { canonicalChildren } from './helpers/canon';
import { LAB_NS, NC_NS, YUMA_NCX_NS, closeAll, connect, labFilter, resetRunning, rpcError } from './helpers/lab';

let admin: Manager;
let ro: Manager;

before(async () => {
  admin = await connect({ instance: 'running' });
  ro = await connect({ instance: 'running', who: 'ro' });
  await resetRunning(admin);
});

after(async () => {
  if (admin && !admin.session.closed) await resetRunning(admin).catch(() => undefined);
  await closeAll(admin, ro);
});

test('writable-running: an edit by the admin is visible at once, to both users', async () => {
  await admin.editConfig(`<lab xmlns="${LAB_NS}"><note>direct</note><item><id>1</id><name>one</name></item></lab>`, {
    target: 'running',
  });
  const seenByAdmin = canonicalChildren((await admin.getConfig({ source: 'running', filter: labFilter })).dataXml);
  const seenByRo = canonicalChildren((await ro.getConfig({ source: 'running', filter: labFilter })).dataXml);
  assert.equal(seenByRo, seenByAdmin);
  assert.match(seenByRo, /note = "direct"/);
  // candidate does not exist on this instance
  assert.equal((await rpcError(admin.getConfig({ source: 'candidate' }))).severity, 'error');
  await admin.editConfig(`<lab xmlns="${LAB_NS}" xmlns:nc="${NC_NS}" nc:operation="delete"/>`, { target: 'running' });
  assert.equal(canonicalChildren((await ro.getConfig({ source: 'running', filter: labFilter })).dataXml), '');
});

test('access-denied for a write by the restricted user: every field exactly', async () => {
  const err = await rpcError(
    ro.editConfig(`<lab xmlns="${LAB_NS}"><note>not allowed</note></lab>`, { target: 'running' }),
  );
  assert.equal(err.errors.length, 1);
  const e = err.errors[0];
  assert.deepEqual(
    {
      type: e.type,
      tag: e.tag,
      severity: e.severity,
      appTag: e.appTag,
      path: e.path,
      message: e.message,
      lang: e.messageLang,
      info: e.info,
    },
    {
      type: 'protocol',
      tag: 'access-denied',
      severity: 'error',
      appTag: 'no-access',
      path: undefined,
      message: 'access denied',
      lang: 'en',
      info: { 'error-number': '267' },
    },
  );
  const info = parseTree(e.infoXml ?? '');
  assert.equal(info.ns, YUMA_NCX_NS);
  assert.equal(info.local, 'error-number');
  // Issue 12 item 9: message is the error-message alone (netconf_client); the tag and type are in toString().
  assert.equal(err.message, 'access denied');
  assert.match(String(err), /access denied \(tag access-denied, type protocol\)/);
  // nothing was written, and the session goes on
  assert.equal(canonicalChildren((await ro.getConfig({ source: 'running', filter: labFilter })).dataXml), '');
});

test('the restricted user may lock and read, not write even while holding the lock', async () => {
  await ro.lock('running');
  try {
    assert.equal((await rpcError(admin.lock('running'))).tag, 'lock-denied');
    assert.equal(
      (await rpcError(ro.editConfig(`<lab xmlns="${LAB_NS}"><note>x</note></lab>`, { target: 'running' }))).tag,
      'access-denied',
    );
  } finally {
    await ro.unlock('running');
  }
});
