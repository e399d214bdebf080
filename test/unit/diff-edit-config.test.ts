import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { diffConfig, DiffError } from '../../src/diff';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const T = 'urn:test:edit';
const X = 'urn:test:edit-ext';

const schema = YangSchemaSet.fromTexts([
  `module edit-test {
    namespace "${T}";
    prefix et;
    identity proto;
    identity tcp { base proto; }
    container top {
      leaf name { type string; }
      leaf proto { type identityref { base proto; } }
      choice mode {
        leaf auto { type empty; }
        leaf manual { type uint8; }
      }
      container opt { presence "p"; leaf a { type string; } }
      list rule {
        key "seq";
        ordered-by user;
        leaf seq { type uint16; }
        leaf action { type string; }
      }
      leaf uptime { type uint32; config false; }
    }
    list root-rule { key "id"; ordered-by user; leaf id { type string; } }
  }`,
  `module edit-ext {
    namespace "${X}";
    prefix ex;
    import edit-test { prefix et; }
    augment "/et:top" { leaf color { type string; } }
  }`,
]);

function cfg(inner: string): string {
  return `<config xmlns="${NC}"><top xmlns="${T}"><name>n</name>${inner}</top></config>`;
}

async function edit(a: string, b: string): Promise<string> {
  return (await diffConfig(cfg(a), cfg(b), { schema })).toEditConfig();
}

const TOP = `<top xmlns:nc="${NC}" xmlns="${T}">`;

test('leaf changes are replaced, new nodes created, removed ones deleted with their value', async () => {
  assert.equal(await edit('', ''), '');
  assert.equal(await edit('', '<opt/>'), `${TOP}<opt nc:operation="create"/></top>`);
  assert.equal(await edit('<opt><a>1</a></opt>', ''), `${TOP}<opt nc:operation="delete"/></top>`);
  assert.equal(
    await edit(`<color xmlns="${X}">red</color>`, `<color xmlns="${X}">blue</color>`),
    `${TOP}<color xmlns="${X}" nc:operation="replace">blue</color></top>`,
  );
  assert.equal(
    await edit('', `<proto xmlns:p="${T}">p:tcp</proto>`),
    `${TOP}<proto xmlns:et="${T}" nc:operation="create">et:tcp</proto></top>`,
  );
});

test('nodes of a choice are removed (the new case may already have taken them away)', async () => {
  assert.equal(
    await edit('<auto/>', '<manual>3</manual>'),
    `${TOP}<auto nc:operation="remove"/><manual nc:operation="create">3</manual></top>`,
  );
});

test('ordered-by user list: appended entries are created, a new order replaces the parent', async () => {
  const r = (seq: number): string => `<rule><seq>${seq}</seq></rule>`;
  assert.equal(await edit(r(1), r(1) + r(2)), `${TOP}<rule nc:operation="create"><seq>2</seq></rule></top>`);
  assert.equal(
    await edit(r(1) + r(2), r(2) + r(1)),
    `<top xmlns:nc="${NC}" xmlns="${T}" nc:operation="replace"><name>n</name><rule><seq>2</seq></rule><rule><seq>1</seq></rule></top>`,
  );
  // An entry inserted before an existing one changes positions too.
  assert.match(await edit(r(1), r(2) + r(1)), /^<top [^>]*nc:operation="replace">/);
});

test('state data is left out; a reordered top-level user-ordered list is refused', async () => {
  assert.equal(await edit('<uptime>1</uptime>', '<uptime>2</uptime>'), '');
  const rr = (id: string): string => `<root-rule xmlns="${T}"><id>${id}</id></root-rule>`;
  const diff = await diffConfig(rr('a') + rr('b'), rr('b') + rr('a'), { schema });
  await assert.rejects(() => diff.toEditConfig(), DiffError);
});

test('options: remove and merge instead of delete and create', async () => {
  const diff = await diffConfig(cfg('<opt/>'), cfg(`<color xmlns="${X}">c</color>`), { schema });
  assert.equal(
    await diff.toEditConfig({ deleteOperation: 'remove', createOperation: 'merge' }),
    `${TOP}<opt nc:operation="remove"/><color xmlns="${X}" nc:operation="merge">c</color></top>`,
  );
});
