import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { diffConfig, type DiffChange } from '../../src/diff';
import type { JsonObject } from '../../src/yang/json';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const T = 'urn:test:diff';
const X = 'urn:test:diff-ext';

const BASE_YANG = `module diff-test {
  yang-version 1.1;
  namespace "${T}";
  prefix dt;
  identity kind;
  identity fast { base kind; }
  identity slow { base kind; }
  container top {
    leaf anchor { type string; description "always set, so that top never disappears"; }
    leaf count { type int32; }
    leaf big { type int64; }
    leaf ratio { type decimal64 { fraction-digits 2; } }
    leaf label { type string; }
    leaf flag { type empty; }
    leaf kind { type identityref { base kind; } }
    leaf-list tags { type string; }
    leaf-list order { type string; ordered-by user; }
    container options { presence "options are set"; leaf level { type uint8; } }
    container plain { leaf x { type string; } }
    choice transport {
      case tcp { leaf tcp-port { type uint16; } }
      case udp { leaf udp-port { type uint16; } }
    }
    list item {
      key "id";
      leaf id { type uint32; }
      leaf name { type string; }
      leaf counter { type uint64; }
      leaf stamp { type string; }
    }
    list rule {
      key "seq";
      ordered-by user;
      leaf seq { type string; }
      leaf action { type string; }
    }
    list sample {
      config false;
      leaf value { type int32; }
    }
  }
}`;

const EXT_YANG = `module diff-ext {
  yang-version 1.1;
  namespace "${X}";
  prefix dx;
  import diff-test { prefix dt; }
  augment "/dt:top/dt:item" {
    leaf color { type string; }
  }
}`;

const schema = YangSchemaSet.fromTexts([BASE_YANG, EXT_YANG]);

function xml(inner: string): string {
  return `<data xmlns="${NC}"><top xmlns="${T}"><anchor>x</anchor>${inner}</top></data>`;
}

async function changes(a: string, b: string, ignore?: string[]): Promise<DiffChange[]> {
  const diff = await diffConfig(xml(a), xml(b), { schema, ignore });
  assert.deepEqual(diff.warnings, []);
  assert.equal(diff.changed, diff.changes.length > 0);
  return diff.changes;
}

const P = '/diff-test:top';

test('keyed list entries are matched by key, whatever their order', async () => {
  const a = '<item><id>1</id><name>a</name></item><item><id>2</id><name>b</name></item>';
  const b = '<item><id>2</id><name>b</name></item><item><id>1</id><name>A</name></item><item><id>3</id></item>';
  assert.deepEqual(await changes(a, b), [
    { op: 'replace', path: `${P}/item[id='1']/name`, before: 'a', after: 'A' },
    { op: 'create', path: `${P}/item[id='3']`, after: { id: 3 } },
  ]);
  assert.deepEqual(await changes(b, a), [
    { op: 'replace', path: `${P}/item[id='1']/name`, before: 'A', after: 'a' },
    { op: 'delete', path: `${P}/item[id='3']`, before: { id: 3 } },
  ]);
});

test('values are compared by type: integers, decimal64, strings, empty', async () => {
  assert.deepEqual(
    await changes(
      '<count>007</count><big>0042</big><ratio>1.50</ratio>',
      '<count>7</count><big>42</big><ratio>1.5</ratio>',
    ),
    [],
  );
  assert.deepEqual(await changes('<label>007</label>', '<label>7</label>'), [
    { op: 'replace', path: `${P}/label`, before: '007', after: '7' },
  ]);
  assert.deepEqual(await changes('<ratio>1.50</ratio>', '<ratio>1.51</ratio>'), [
    { op: 'replace', path: `${P}/ratio`, before: '1.5', after: '1.51' },
  ]);
  assert.deepEqual(await changes('<flag/>', '<flag></flag>'), []);
  assert.deepEqual(await changes('', '<flag/>'), [{ op: 'create', path: `${P}/flag`, after: [null] }]);
});

test('identityref: the same identity under different prefixes is no change', async () => {
  const a = `<kind xmlns:p="${T}">p:fast</kind>`;
  const b = `<kind xmlns:dt="${T}">dt:fast</kind>`;
  assert.deepEqual(await changes(a, b), []);
  assert.deepEqual(await changes(a, `<kind xmlns:q="${T}">q:slow</kind>`), [
    { op: 'replace', path: `${P}/kind`, before: 'diff-test:fast', after: 'diff-test:slow' },
  ]);
});

test('leaf-lists: ordered-by system as a set, ordered-by user in order', async () => {
  assert.deepEqual(await changes('<tags>a</tags><tags>b</tags>', '<tags>b</tags><tags>a</tags>'), []);
  assert.deepEqual(await changes('<tags>a</tags><tags>b</tags>', '<tags>b</tags><tags>c</tags>'), [
    { op: 'delete', path: `${P}/tags[.='a']`, before: 'a' },
    { op: 'create', path: `${P}/tags[.='c']`, after: 'c' },
  ]);
  assert.deepEqual(await changes('<order>a</order><order>b</order>', '<order>b</order><order>a</order>'), [
    { op: 'replace', path: `${P}/order`, before: ['a', 'b'], after: ['b', 'a'] },
  ]);
  assert.deepEqual(await changes('<order>a</order>', '<order>a</order><order>b</order>'), [
    { op: 'create', path: `${P}/order[.='b']`, after: 'b' },
  ]);
});

test('ordered-by user list: a new order is one replace of the list', async () => {
  const r = (seq: string, action: string): string => `<rule><seq>${seq}</seq><action>${action}</action></rule>`;
  assert.deepEqual(await changes(r('10', 'permit') + r('20', 'deny'), r('10', 'permit') + r('20', 'deny')), []);
  assert.deepEqual(await changes(r('10', 'permit') + r('20', 'deny'), r('20', 'deny') + r('10', 'permit')), [
    {
      op: 'replace',
      path: `${P}/rule`,
      before: [
        { seq: '10', action: 'permit' },
        { seq: '20', action: 'deny' },
      ],
      after: [
        { seq: '20', action: 'deny' },
        { seq: '10', action: 'permit' },
      ],
    },
  ]);
  assert.deepEqual(await changes(r('10', 'permit'), r('10', 'deny')), [
    { op: 'replace', path: `${P}/rule[seq='10']/action`, before: 'permit', after: 'deny' },
  ]);
});

test('keyless state list: compared as a multiset, paths by position', async () => {
  const s = (v: number): string => `<sample><value>${v}</value></sample>`;
  assert.deepEqual(await changes(s(1) + s(2) + s(2), s(2) + s(1) + s(2)), []);
  assert.deepEqual(await changes(s(1) + s(2), s(2) + s(3)), [
    { op: 'delete', path: `${P}/sample[1]`, before: { value: 1 } },
    { op: 'create', path: `${P}/sample[2]`, after: { value: 3 } },
  ]);
});

test('choice: switching case deletes one leaf and creates the other', async () => {
  assert.deepEqual(await changes('<tcp-port>80</tcp-port>', '<udp-port>53</udp-port>'), [
    { op: 'delete', path: `${P}/tcp-port`, before: 80 },
    { op: 'create', path: `${P}/udp-port`, after: 53 },
  ]);
});

test('presence container matters even empty; an empty non-presence container does not', async () => {
  assert.deepEqual(await changes('', '<options/>'), [{ op: 'create', path: `${P}/options`, after: {} }]);
  assert.deepEqual(await changes('', '<plain/>'), []);
  assert.deepEqual(await changes('<options><level>1</level></options>', '<options/>'), [
    { op: 'delete', path: `${P}/options/level`, before: 1 },
  ]);
});

test('augmented nodes carry their module in the path', async () => {
  const a = `<item><id>1</id><color xmlns="${X}">red</color></item>`;
  const b = `<item><id>1</id><color xmlns="${X}">blue</color></item>`;
  assert.deepEqual(await changes(a, b), [
    { op: 'replace', path: `${P}/item[id='1']/diff-ext:color`, before: 'red', after: 'blue' },
  ]);
});

test('ignore paths, with and without list keys', async () => {
  const a =
    '<count>1</count><item><id>1</id><counter>5</counter><stamp>t1</stamp></item><item><id>2</id><counter>7</counter></item>';
  const b =
    '<count>2</count><item><id>1</id><counter>6</counter><stamp>t2</stamp></item><item><id>2</id><counter>9</counter></item>';
  assert.equal((await changes(a, b)).length, 4);
  assert.deepEqual(await changes(a, b, [`${P}/count`, `${P}/item/counter`, `${P}/item/stamp`]), []);
  // With keys: only that entry's counter is left out.
  assert.deepEqual(
    (await changes(a, b, [`${P}/count`, `${P}/item[id='1']/counter`, '/diff-test:top/item/stamp'])).map((c) => c.path),
    [`${P}/item[id='2']/counter`],
  );
  // A whole list entry, and a leaf-list value.
  assert.deepEqual(
    await changes('<item><id>1</id></item><tags>x</tags>', '<tags>x</tags><tags>y</tags>', [
      `${P}/item[id='1']`,
      `${P}/tags[.='y']`,
    ]),
    [],
  );
});

test('canonical text is stable: element order and prefixes do not matter', async () => {
  const a = `<item><id>2</id><name>b</name></item><count>5</count><item><name>a</name><id>1</id></item><tags>y</tags><tags>x</tags>`;
  const b = `<tags>x</tags><item><id>1</id><name>a</name></item><tags>y</tags><count>05</count><item><id>2</id><name>b</name></item>`;
  const diff = await diffConfig(
    xml(a),
    `<config xmlns="${NC}"><dt:top xmlns:dt="${T}"><dt:anchor>x</dt:anchor>${b.replace(/<(\/?)(\w)/g, '<$1dt:$2')}</dt:top></config>`,
    { schema },
  );
  assert.equal(diff.changed, false);
  assert.equal(diff.text, '');
  assert.deepEqual(diff.before, diff.after);
  assert.deepEqual(Object.keys(diff.before['diff-test:top'] as Record<string, unknown>), [
    'anchor',
    'count',
    'tags',
    'item',
  ]);
});

test('RFC 7951 JSON and XML of the same configuration are equal; JSON values are canonicalised too', async () => {
  const json = {
    'diff-test:top': { anchor: 'x', count: '007', ratio: '2.10', item: [{ id: 1, name: 'a' }], kind: 'fast' },
  };
  const diff = await diffConfig(
    xml(`<item><id>1</id><name>a</name></item><count>7</count><ratio>2.1</ratio><kind xmlns:z="${T}">z:fast</kind>`),
    json,
    { schema },
  );
  assert.deepEqual(diff.changes, []);
  assert.deepEqual(diff.warnings, []);
});

test('a DataReply-like object is read through its dataXml', async () => {
  const diff = await diffConfig({ dataXml: xml('<count>1</count>') }, { dataXml: xml('<count>2</count>') }, { schema });
  assert.deepEqual(diff.changes, [{ op: 'replace', path: `${P}/count`, before: 1, after: 2 }]);
});

test('a value that does not fit its type is compared as it is, with a warning', async () => {
  const diff = await diffConfig(xml('<count>x</count>'), xml('<count>x</count>'), { schema });
  assert.equal(diff.changed, false);
  assert.ok(
    diff.warnings.some((w) => w.includes('/diff-test:top/count')),
    diff.warnings.join('\n'),
  );
});

test('JSON values outside their type (the value codecs rules) are compared as they are, with a warning', async () => {
  const top = (count: unknown, ratio: unknown): JsonObject =>
    ({
      'diff-test:top': { anchor: 'x', count, ratio },
    }) as JsonObject;
  const same = await diffConfig(top(7, '1.50'), top('+7', 1.5), { schema });
  assert.deepEqual(same.changes, []);
  assert.deepEqual(same.warnings, []);
  const out = await diffConfig(top(2147483648, 'x'), top(2147483648, 'x'), { schema });
  assert.deepEqual(out.changes, []);
  assert.deepEqual(out.warnings, [
    '/diff-test:top/count: 2147483648 is not a valid int32; compared as it is',
    '/diff-test:top/ratio: "x" is not a valid decimal64; compared as it is',
  ]);
});
