import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { canonicalConfig, diffConfig, NO_SCHEMA_WARNING } from '../../src/diff';
import { alignLines } from '../../src/diff/line-diff';
import { unifiedDiff } from '../../src/diff/unified';
import { MemberResolver } from '../../src/diff/members';
import { changePaths, renderFolded, type TextItem } from '../../src/diff/text-render';
import { runMarks } from '../../src/diff/text-runs';
import { Clock, runNow } from '../../src/diff/slicer';
import { DEMO_CONFIG, DEMO_MODULES } from '../helpers/diff-simulator';

const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Applies a unified diff to `a` (hunk headers and lines checked strictly), giving `b`. */
function applyUnified(a: string[], diff: string): string[] {
  const lines = diff.split('\n');
  assert.ok(lines[0].startsWith('--- ') && lines[1].startsWith('+++ '));
  const out: string[] = [];
  let pos = 0; // lines of `a` consumed
  let k = 2;
  while (k < lines.length && lines[k] !== '') {
    const h = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[k++]);
    assert.ok(h, `hunk header: ${lines[k - 1]}`);
    const [aStart, aCount, bStart, bCount] = h.slice(1).map(Number);
    const from = aCount === 0 ? aStart : aStart - 1;
    while (pos < from) out.push(a[pos++]);
    assert.equal(out.length, bCount === 0 ? bStart : bStart - 1, 'hunk starts at the right line of b');
    let seenA = 0;
    let seenB = 0;
    while (k < lines.length && /^[ +-]/.test(lines[k])) {
      const line = lines[k++];
      if (line[0] !== '+') {
        assert.equal(a[pos++], line.slice(1));
        seenA++;
      }
      if (line[0] !== '-') {
        out.push(line.slice(1));
        seenB++;
      }
    }
    assert.deepEqual([seenA, seenB], [aCount, bCount]);
  }
  while (pos < a.length) out.push(a[pos++]);
  return out;
}

test('line alignment and unified diff: random texts round-trip through the diff', () => {
  const random = rng(7);
  for (let round = 0; round < 200; round++) {
    const alphabet = 2 + Math.floor(random() * 8);
    const a = Array.from({ length: Math.floor(random() * 60) }, () => `l${Math.floor(random() * alphabet)}`);
    const b = a.filter(() => random() > 0.2);
    for (let i = 0; i < 5; i++)
      b.splice(Math.floor(random() * (b.length + 1)), 0, `n${Math.floor(random() * alphabet)}`);
    const clock = new Clock();
    const match = runNow(alignLines(a, b, clock));
    // The alignment pairs equal lines and never crosses.
    let last = -1;
    match.forEach((j, i) => {
      if (j < 0) return;
      assert.equal(a[i], b[j]);
      assert.ok(j > last);
      last = j;
    });
    const text = runNow(unifiedDiff(a, b, match, { beforeLabel: 'a', afterLabel: 'b', context: 3 }, clock));
    if (a.join() === b.join()) assert.equal(text, '');
    else assert.deepEqual(applyUnified(a, text), b, `round ${round}`);
  }
});

test('the text of a diff applies to the canonical before text and gives the canonical after text', async () => {
  const after = DEMO_CONFIG.replace('uplink', 'core').replace(/<interface><name>eth1.*?<\/interface>/, '');
  const diff = await diffConfig(DEMO_CONFIG, after, { schema, labels: { before: 'running', after: 'candidate' } });
  const a = (await canonicalConfig(DEMO_CONFIG, { schema })).text.split('\n');
  const b = (await canonicalConfig(after, { schema })).text.split('\n');
  assert.ok(diff.text.startsWith('--- running\n+++ candidate\n@@ '));
  assert.ok(diff.text.includes('\n-        "description": "uplink",\n'), diff.text);
  assert.ok(diff.text.includes('\n+        "description": "core",\n'), diff.text);
  assert.deepEqual(applyUnified(a, diff.text), b);
});

test('without a schema: a structural diff, and a warning that says so', async () => {
  const after = DEMO_CONFIG.replace('uplink', 'core');
  const diff = await diffConfig(DEMO_CONFIG, after);
  assert.deepEqual(diff.warnings, [NO_SCHEMA_WARNING]);
  assert.deepEqual(diff.changes, [
    { op: 'replace', path: '/ietf-interfaces:interfaces/interface[1]/description', before: 'uplink', after: 'core' },
  ]);
  // Values are strings: `007` and `7` differ without types.
  const d2 = await diffConfig('<a xmlns="urn:x:m"><n>007</n></a>', '<a xmlns="urn:x:m"><n>7</n></a>');
  assert.deepEqual(
    d2.changes.map((c) => c.path),
    ['/m:a/n'],
  );
  await assert.rejects(() => diff.toEditConfig(), /needs the schema/);
});

test('text: false skips the unified text but still reports the changes', async () => {
  const diff = await diffConfig(DEMO_CONFIG, DEMO_CONFIG.replace('uplink', 'core'), { schema, text: false });
  assert.equal(diff.changed, true);
  assert.equal(diff.text, '');
});

test('a large diff yields to the event loop while it works', async () => {
  const entries = (n: number, changed: (i: number) => boolean): string =>
    Array.from(
      { length: n },
      (_, i) =>
        `<interface><name>e${i}</name><description>${changed(i) ? 'new' : 'old'}</description><type>ianaift:ethernetCsmacd</type></interface>`,
    ).join('');
  const wrap = (body: string): string =>
    `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">${body}</interfaces>`;
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  const diff = await diffConfig(wrap(entries(20000, () => false)), wrap(entries(20000, (i) => i % 1000 === 0)), {
    schema,
  });
  clearInterval(timer);
  assert.equal(diff.changes.length, 20);
  assert.ok(turns > 0, 'timers ran during the diff');
});

test('folded text: on a larger configuration the diff still applies to the full canonical texts', async () => {
  const random = rng(11);
  const iface = (i: number, d: string): string =>
    `<interface><name>e${i}</name><description>${d}</description><type>ianaift:ethernetCsmacd</type></interface>`;
  const wrap = (body: string, ntp: string[]): string =>
    `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces" xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">${body}</interfaces>` +
    `<system xmlns="urn:example:simulator">${ntp.map((n) => `<ntp-server>${n}</ntp-server>`).join('')}</system>`;
  for (let round = 0; round < 10; round++) {
    const before: string[] = [];
    const after: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = random();
      if (r > 0.02) before.push(iface(i, 'd'));
      if (r < 0.96) after.push(iface(i, random() < 0.03 ? 'changed' : 'd'));
    }
    const ntpA = ['a', 'b', 'c'];
    const ntpB = random() < 0.5 ? ['c', 'a', 'b'] : ['a', 'b', 'c', 'd'];
    const x = wrap(before.join(''), ntpA);
    const y = wrap(after.join(''), ntpB);
    const diff = await diffConfig(x, y, { schema, context: 1 + (round % 4) });
    const a = (await canonicalConfig(x, { schema })).text.split('\n');
    const b = (await canonicalConfig(y, { schema })).text.split('\n');
    assert.ok(diff.changed);
    assert.deepEqual(applyUnified(a, diff.text), b, `round ${round}`);
    // Runs of unchanged entries folded into one block lose nothing: as many changed lines as
    // with every entry a block of its own (a reach of Infinity keeps every entry apart).
    const clock = new Clock();
    const members = new MemberResolver(schema);
    const paths = changePaths(diff.changes);
    const marks = runNow(runMarks(diff.before, diff.after, members, paths, clock));
    const x1 = runNow(renderFolded(diff.before, members, paths, marks, Infinity, clock));
    const y1 = runNow(renderFolded(diff.after, members, paths, marks, Infinity, clock));
    const key = (item: TextItem): string => (typeof item === 'string' ? item : item.id);
    const match = runNow(alignLines(x1.map(key), y1.map(key), clock));
    const context = 1 + (round % 4);
    const full = runNow(unifiedDiff(x1, y1, match, { beforeLabel: 'before', afterLabel: 'after', context }, clock));
    const edits = (text: string): number => text.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l)).length;
    assert.equal(edits(diff.text), edits(full), `round ${round}: changed lines`);
    assert.equal(diff.text, full, `round ${round}: the same text`);
  }
});
