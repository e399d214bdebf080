/**
 * Cross-check with an independent client, Debian's python3-ncclient (test/interop/py/
 * ncclient_client.py), against the same netconfd state: get-config through both gives the same
 * data once canonicalised (namespaces + local names + text, document order kept); an edit made
 * by either client is seen by the other; both read the same rpc-error fields; ncclient receives
 * the notification for an edit our library makes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manager } from '../../src/manager';
import { canonicalChildren } from './helpers/canon';
import { LAB_NS, closeAll, connect, labFilter, resetCandidate, rpcError } from './helpers/lab';
import { ncclient } from './helpers/ncclient';

let m: Manager;

before(async () => {
  m = await connect();
  await resetCandidate(m);
  // Mixed content: ordered-by-user list in a non-sorted order, leaf-lists, defaults, escaping.
  await m.editConfig(
    `<lab xmlns="${LAB_NS}"><note>a &lt;note&gt; &amp; "quotes" ü</note><percent>42</percent>` +
      `<item><id>3</id><name>three</name><value>-5</value><enabled>false</enabled><tag>z</tag><tag>a</tag></item>` +
      `<item><id>1</id><name>one</name></item>` +
      `<ordered><name>zulu</name></ordered><ordered><name>alpha</name></ordered><ordered><name>mike</name></ordered>` +
      `<strict><name>s1</name><required>yes</required></strict></lab>`,
    { target: 'candidate' },
  );
  await m.commit();
});

after(async () => {
  if (m && !m.session.closed) await resetCandidate(m).catch(() => undefined);
  await closeAll(m);
});

for (const [label, source, filter, withDefaults] of [
  ['running, /lab subtree', 'running', labFilter, undefined],
  ['running, everything', 'running', undefined, undefined],
  ['candidate, XPath /lab/item', 'candidate', '/lab:lab/lab:item', undefined],
  ['running, /lab with-defaults report-all', 'running', labFilter, 'report-all'],
] as const) {
  test(`get-config (${label}): our library and ncclient see the same data`, async () => {
    const ours = await m.getConfig({
      source,
      filter: filter?.startsWith('/') ? { xpath: filter, namespaces: { lab: LAB_NS } } : filter,
      withDefaults,
    });
    const step: Record<string, unknown> = { op: 'get-config', source };
    if (filter?.startsWith('/')) step.xpath = filter.replace(/lab:/g, '');
    else if (filter) step.filter = filter;
    if (withDefaults) step.withDefaults = withDefaults;
    // ncclient's xpath filter has no namespace map: netconfd resolves unprefixed names
    const theirs = await ncclient({ actions: [step as { op: string }] });
    assert.equal(theirs.exitCode, 0, theirs.stderr);
    assert.ok(theirs.result?.ok, JSON.stringify(theirs.result?.errors));
    const a = canonicalChildren(ours.dataXml);
    const b = canonicalChildren(theirs.result?.data ?? '');
    assert.ok(a.includes(`{${LAB_NS}}lab`), a);
    assert.equal(a, b);
  });
}

test('the ordered-by-user list keeps its order through both clients', async () => {
  const ours = canonicalChildren(
    (await m.getConfig({ source: 'running', filter: `<lab xmlns="${LAB_NS}"><ordered/></lab>` })).dataXml,
  );
  assert.deepEqual(
    [...ours.matchAll(/name = "(\w+)"/g)].map((x) => x[1]),
    ['zulu', 'alpha', 'mike'],
  );
});

test('an edit made with ncclient (lock, edit, commit, unlock) is seen by our library', async () => {
  const out = await ncclient({
    actions: [
      { op: 'lock', target: 'candidate' },
      {
        op: 'edit-config',
        target: 'candidate',
        config: `<lab xmlns="${LAB_NS}"><item><id>99</id><name>from ncclient</name></item></lab>`,
      },
      { op: 'commit' },
      { op: 'unlock', target: 'candidate' },
    ],
  });
  assert.equal(out.ok, true, JSON.stringify(out.results.map((r) => [r.op, r.ok, r.errors, r.exception])));
  const ours = await m.getConfig({
    source: 'running',
    filter: `<lab xmlns="${LAB_NS}"><item><id>99</id></item></lab>`,
  });
  assert.match(canonicalChildren(ours.dataXml), /name = "from ncclient"/);
  // and our edit back, seen by ncclient
  await m.editConfig(`<lab xmlns="${LAB_NS}"><item><id>99</id><name>from typescript</name></item></lab>`, {
    target: 'candidate',
  });
  await m.commit();
  const theirs = await ncclient({
    actions: [{ op: 'get-config', source: 'running', filter: `<lab xmlns="${LAB_NS}"><item><id>99</id></item></lab>` }],
  });
  assert.match(canonicalChildren(theirs.result?.data ?? ''), /name = "from typescript"/);
});

test('both clients read the same rpc-error fields', async () => {
  const bad = `<lab xmlns="${LAB_NS}"><percent>101</percent></lab>`;
  const ours = await rpcError(m.editConfig(bad, { target: 'candidate' }));
  const theirs = await ncclient({ actions: [{ op: 'edit-config', target: 'candidate', config: bad }] });
  const e = theirs.result?.errors[0];
  assert.ok(e, JSON.stringify(theirs.result));
  const o = ours.errors[0];
  assert.deepEqual(
    { type: o.type, tag: o.tag, severity: o.severity, appTag: o.appTag, path: o.path, message: o.message },
    { type: e.type, tag: e.tag, severity: e.severity, appTag: e.appTag, path: e.path, message: e.message },
  );
  assert.equal(canonicalChildren(`<i>${o.infoXml}</i>`), canonicalChildren(`<i>${e.info}</i>`));
});

test('ncclient receives the netconf-config-change for an edit our library makes', async () => {
  let edited: Promise<void> | undefined;
  const out = await ncclient(
    { actions: [{ op: 'wait-notification', timeout: 15, match: 'netconf-config-change', count: 1 }] },
    {
      onEvent: (e) => {
        if (e.event === 'subscribed') {
          edited = m
            .editConfig(`<lab xmlns="${LAB_NS}"><note>for ncclient</note></lab>`, { target: 'candidate' })
            .then(() => m.commit())
            .then(() => undefined);
        }
      },
    },
  );
  await edited;
  assert.equal(out.ok, true, JSON.stringify(out.result));
  const n = out.result?.notifications?.[0];
  assert.ok(n && n.xml.includes(LAB_NS), n?.xml);
  assert.match(n.eventTime ?? '', /Z$/);
});
