import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from '../../src/xml/element';
import { jsonToXml } from '../../src/yang/json-to-xml';
import { YangSchemaSet } from '../../src/yang/schema';
import { xmlToJson } from '../../src/yang/xml-to-json';

const MODULE = `module f {
  yang-version 1.1; namespace "urn:f"; prefix f;
  feature a; feature b;
  identity kind; identity static { base kind; }
  container top {
    leaf plain { type string; }
    leaf needs-a { if-feature a; type string; }
    leaf needs-a-and-b { if-feature "a and b"; type string; }
    leaf needs-not-b { if-feature "not b"; type string; }
    list route { key "type name"; leaf type { type identityref { base kind; } } leaf name { type string; } }
    leaf ref { type instance-identifier; }
  }
}`;

test('if-feature: only nodes whose features the device announces are in the schema', () => {
  const all = YangSchemaSet.fromTexts([MODULE]);
  assert.ok(all.lookup('/f:top/needs-a-and-b'), 'no feature set: everything enabled');
  const onlyA = YangSchemaSet.fromTexts([MODULE], { features: new Map([['f', ['a']]]) });
  assert.ok(onlyA.lookup('/f:top/needs-a'));
  assert.equal(onlyA.lookup('/f:top/needs-a-and-b'), undefined);
  assert.ok(onlyA.lookup('/f:top/needs-not-b'));
  const none = YangSchemaSet.fromTexts([MODULE], { features: new Map() });
  assert.equal(none.lookup('/f:top/needs-a'), undefined);
  assert.ok(none.lookup('/f:top/plain'));
});

test('instance-identifier: identityref predicate values converted by the key type, both ways', () => {
  const schema = YangSchemaSet.fromTexts([MODULE]);
  const xml = `<w><top xmlns="urn:f" xmlns:x="urn:f"><ref>/x:top/x:route[x:type='x:static'][x:name='r1']</ref></top></w>`;
  const json = xmlToJson(schema, parseTree(xml)).value;
  assert.deepEqual(json, { 'f:top': { ref: "/f:top/route[type='f:static'][name='r1']" } });
  const back = jsonToXml(schema, json).value;
  assert.equal(
    back,
    `<top xmlns="urn:f"><ref xmlns:f="urn:f">/f:top/f:route[f:type='f:static'][f:name='r1']</ref></top>`,
  );
});

test('origin annotation without ietf-origin loaded still gets module-qualified identities', () => {
  const schema = YangSchemaSet.fromTexts([MODULE]);
  const xml = `<w><top xmlns="urn:f" xmlns:or="urn:ietf:params:xml:ns:yang:ietf-origin" or:origin="or:intended"/></w>`;
  const json = xmlToJson(schema, parseTree(xml)).value;
  assert.deepEqual(json, { 'f:top': { '@': { 'ietf-origin:origin': 'ietf-origin:intended' } } });
  const back = jsonToXml(schema, json).value;
  assert.match(back, /or:origin="or:intended"/);
});
