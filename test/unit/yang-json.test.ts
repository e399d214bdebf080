import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type XmlElement } from '../../src/xml/element';
import { notificationToJson, parseTree, xmlToJson } from '../helpers/json-both';
import { YangSchemaSet } from '../../src/yang/schema';
import { jsonToXml } from '../../src/yang/json-to-xml';
import { YangJsonError, type JsonObject } from '../../src/yang/json';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/yang');
const schema = YangSchemaSet.fromTexts(
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yang'))
    .map((f) => readFileSync(path.join(FIXTURES, f), 'utf8')),
);

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IP = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const TT = 'urn:test:types';

function data(inner: string): XmlElement {
  return parseTree(`<data xmlns="${NC}">${inner}</data>`);
}

function toJson(inner: string): { value: JsonObject; warnings: string[] } {
  return xmlToJson(schema, data(inner));
}

function values(inner: string): JsonObject {
  const { value, warnings } = toJson(`<values xmlns="${TT}" xmlns:tt="${TT}">${inner}</values>`);
  assert.deepEqual(warnings, []);
  return value['test-types:values'] as JsonObject;
}

function toXml(json: JsonObject): string {
  return jsonToXml(schema, json).value;
}

/** Canonical form of an element: namespaces resolved, attributes sorted, formatting dropped. */
function canonical(el: XmlElement): string {
  const attrs = el.attributeList.map((a) => `{${a.ns}}${a.local}=${a.value}`).sort();
  const inner = el.children.length > 0 ? el.children.map(canonical).join('') : JSON.stringify(el.text);
  return `<{${el.ns}}${el.local}${attrs.map((a) => ` ${a}`).join('')}>${inner}</>`;
}

function roundTrip(inner: string): void {
  const original = data(inner);
  const { value, warnings } = xmlToJson(schema, original);
  assert.deepEqual(warnings, []);
  const rebuilt = parseTree(`<data xmlns="${NC}">${toXml(value)}</data>`);
  assert.equal(canonical(rebuilt), canonical(original));
}

const INTERFACES_XML = `
  <interfaces xmlns="${IF}">
    <interface>
      <name>eth0</name>
      <description>uplink</description>
      <type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>
      <enabled>true</enabled>
      <ipv4 xmlns="${IP}">
        <enabled>true</enabled>
        <mtu>1500</mtu>
        <address>
          <ip>192.0.2.1</ip>
          <prefix-length>24</prefix-length>
        </address>
      </ipv4>
    </interface>
  </interfaces>
  <interfaces-state xmlns="${IF}">
    <interface>
      <name>eth0</name>
      <type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>
      <oper-status>up</oper-status>
      <statistics>
        <discontinuity-time>2024-01-01T00:00:00Z</discontinuity-time>
        <in-octets>123456789012</in-octets>
        <in-errors>7</in-errors>
      </statistics>
    </interface>
    <interface>
      <name>lo</name>
      <type xmlns:ianaift="${IANA}">ianaift:softwareLoopback</type>
      <oper-status>up</oper-status>
      <statistics>
        <discontinuity-time>2024-01-01T00:00:00Z</discontinuity-time>
      </statistics>
    </interface>
  </interfaces-state>`;

test('RFC 7951 member names: top level qualified, children plain, augmented children qualified', () => {
  const { value, warnings } = toJson(INTERFACES_XML);
  assert.deepEqual(warnings, []);
  assert.deepEqual(value, {
    'ietf-interfaces:interfaces': {
      interface: [
        {
          name: 'eth0',
          description: 'uplink',
          type: 'iana-if-type:ethernetCsmacd',
          enabled: true,
          'ietf-ip:ipv4': {
            enabled: true,
            mtu: 1500,
            address: [{ ip: '192.0.2.1', 'prefix-length': 24 }],
          },
        },
      ],
    },
    'ietf-interfaces:interfaces-state': {
      interface: [
        {
          name: 'eth0',
          type: 'iana-if-type:ethernetCsmacd',
          'oper-status': 'up',
          statistics: { 'discontinuity-time': '2024-01-01T00:00:00Z', 'in-octets': '123456789012', 'in-errors': 7 },
        },
        {
          name: 'lo',
          type: 'iana-if-type:softwareLoopback',
          'oper-status': 'up',
          statistics: { 'discontinuity-time': '2024-01-01T00:00:00Z' },
        },
      ],
    },
  });
});

test('lists and leaf-lists are arrays with one entry as with many; entries need not be adjacent', () => {
  const one = toJson(`<item xmlns="${TT}"><id>a</id></item>`).value;
  assert.deepEqual(one, { 'test-types:item': [{ id: 'a' }] });
  const split = toJson(
    `<item xmlns="${TT}"><id>a</id></item><state xmlns="${TT}"/><item xmlns="${TT}"><id>b</id></item>`,
  ).value;
  assert.deepEqual(split['test-types:item'], [{ id: 'a' }, { id: 'b' }]);
  assert.deepEqual(values('<tags>x</tags>'), { tags: ['x'] });
  assert.deepEqual(values('<tags>x</tags><tags>y</tags>'), { tags: ['x', 'y'] });
});

test('integers up to 32 bits are numbers; 64-bit integers and decimal64 are strings', () => {
  assert.deepEqual(values('<i8>-5</i8><i32>2147483647</i32><u32>4294967295</u32>'), {
    i8: -5,
    i32: 2147483647,
    u32: 4294967295,
  });
  assert.deepEqual(values('<i64>-9223372036854775808</i64><u64>18446744073709551615</u64>'), {
    i64: '-9223372036854775808',
    u64: '18446744073709551615',
  });
  // decimal64 stays a string (never a lossy JSON number) in the canonical form of RFC 7950 9.3.2,
  // as libyang writes it (test/unit/yang-yanglint.test.ts compares with yanglint).
  assert.deepEqual(values('<dec>1.10</dec>'), { dec: '1.1' });
  assert.deepEqual(values('<dec>-00.500</dec>'), { dec: '-0.5' });
  assert.deepEqual(values('<i64>+0012</i64>'), { i64: '12' });
});

test('strings stay strings exactly: 007, 1.10, whitespace', () => {
  assert.deepEqual(values('<text>007</text>'), { text: '007' });
  assert.deepEqual(values('<text>1.10</text>'), { text: '1.10' });
  assert.deepEqual(values('<text> two  spaces </text>'), { text: ' two  spaces ' });
  // A leafref to a string key is a string too.
  assert.deepEqual(toJson(`<item-ref xmlns="${TT}">007</item-ref>`).value, { 'test-types:item-ref': '007' });
});

test('boolean, empty as [null], enumeration, bits, binary', () => {
  assert.deepEqual(
    values('<flag>false</flag><marker/><color>green</color><perms>read  write</perms><blob>AAEC</blob>'),
    {
      flag: false,
      marker: [null],
      color: 'green',
      perms: 'read write',
      blob: 'AAEC',
    },
  );
});

test('identityref: module:name, whatever prefix the XML uses (default namespace included)', () => {
  assert.deepEqual(values('<pet>tt:poodle</pet>'), { pet: 'test-types:poodle' });
  const other = toJson(`<values xmlns="${TT}" xmlns:x="${TT}"><pet>x:cat</pet></values>`).value;
  assert.deepEqual(other, { 'test-types:values': { pet: 'test-types:cat' } });
  const dflt = toJson(`<values xmlns="${TT}"><pet>dog</pet></values>`).value;
  assert.deepEqual(dflt, { 'test-types:values': { pet: 'test-types:dog' } });
});

test('typedef chains encode by their built-in type; leafref by its target type', () => {
  assert.deepEqual(values('<level>42</level><levels>1</levels><levels>2</levels>'), { level: 42, levels: [1, 2] });
  assert.deepEqual(toJson(`<level-ref xmlns="${TT}">5</level-ref>`).value, { 'test-types:level-ref': 5 });
});

test('unions: the first member type that accepts the value (RFC 7951 6.10)', () => {
  assert.deepEqual(values('<mixed>12</mixed>'), { mixed: 12 });
  assert.deepEqual(values('<mixed>twelve</mixed>'), { mixed: 'twelve' });
  assert.deepEqual(
    values('<mixed>99999999999</mixed>'),
    { mixed: '99999999999' },
    'out of int32 range: the string member',
  );
  assert.deepEqual(values('<code-or-count>ABC</code-or-count>'), { 'code-or-count': 'ABC' });
  assert.deepEqual(
    values('<code-or-count>123</code-or-count>'),
    { 'code-or-count': 123 },
    'pattern rejects digits: uint16',
  );
  assert.deepEqual(values('<flag-or-pet>true</flag-or-pet>'), { 'flag-or-pet': true });
  assert.deepEqual(values('<flag-or-pet>tt:cat</flag-or-pet>'), { 'flag-or-pet': 'test-types:cat' });
  assert.deepEqual(values('<flag-or-pet/>'), { 'flag-or-pet': [null] });
  assert.deepEqual(values('<addr>192.0.2.1</addr>'), { addr: '192.0.2.1' });
});

test('instance-identifier: prefixes become module names, qualified only where the module changes', () => {
  const xml = `<target xmlns:if="${IF}" xmlns:ip="${IP}">/if:interfaces/if:interface[if:name='a/b:c']/ip:ipv4/ip:mtu</target>`;
  assert.deepEqual(values(xml), { target: "/ietf-interfaces:interfaces/interface[name='a/b:c']/ietf-ip:ipv4/mtu" });
  const json = { 'test-types:values': { target: "/ietf-interfaces:interfaces/interface[name='eth0']/ietf-ip:ipv4" } };
  const back = parseTree(toXml(json));
  const target = back.children[0];
  const [prefixed] = target.text.match(/^\/(\w+):interfaces/)?.slice(1) ?? [];
  assert.equal(target.scope[prefixed], IF);
  assert.match(target.text, /^\/if:interfaces\/if:interface\[if:name='eth0'\]\/ip:ipv4$/);
});

test('a value that does not fit its type is kept as a string with a warning', () => {
  const { value, warnings } = toJson(`<values xmlns="${TT}"><i8>300</i8><flag>yes</flag></values>`);
  assert.deepEqual(value, { 'test-types:values': { i8: '300', flag: 'yes' } });
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /\/test-types:values\/i8: '300' is not a valid int8/);
});

test('RFC 7952 metadata: "@" in objects, "@leaf" beside leaves, aligned arrays for leaf-lists', () => {
  const WD = 'urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults';
  const xml = `<lab xmlns="urn:example:netconf-lab" xmlns:wd="${WD}" xmlns:nc="${NC}" nc:operation="merge">
      <counter wd:default="true">7</counter>
      <item><id>1</id><tag>a</tag><tag nc:operation="delete">b</tag></item>
    </lab>`;
  const { value, warnings } = toJson(xml);
  assert.deepEqual(warnings, []);
  assert.deepEqual(value, {
    'netconf-lab:lab': {
      '@': { 'ietf-netconf:operation': 'merge' },
      counter: 7,
      '@counter': { 'ietf-netconf-with-defaults:default': true },
      item: [{ id: 1, tag: ['a', 'b'], '@tag': [null, { 'ietf-netconf:operation': 'delete' }] }],
    },
  });
  roundTrip(xml);
});

test('subtrees without schema: strings only, repeated elements as arrays, and a warning', () => {
  const xml = `<box xmlns="urn:unknown"><n>1</n><n>2</n><one>007</one></box>
    <values xmlns="${TT}"><i8>1</i8><extra xmlns="urn:unknown2">x</extra></values>`;
  const { value, warnings } = toJson(xml);
  assert.deepEqual(value, {
    box: { n: ['1', '2'], one: '007' },
    'test-types:values': { i8: 1, extra: 'x' },
  });
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /\/box: has no loaded module \(namespace 'urn:unknown'\)/);
  // With the module name known (from the hello), members are still qualified per RFC 7951.
  const named = xmlToJson(schema, data(xml), { moduleNames: new Map([['urn:unknown', 'unknown-mod']]) }).value;
  assert.ok('unknown-mod:box' in named);
});

test('rpc output and notification content, converted relative to their schema node', () => {
  const reply = parseTree(`<rpc-reply xmlns="${NC}"><done xmlns="${TT}">true</done></rpc-reply>`);
  const output = schema.lookup('/test-types:reset/output');
  assert.ok(output);
  assert.deepEqual(xmlToJson(schema, reply, { parent: output }).value, { done: true });
  assert.deepEqual(xmlToJson(schema, reply, { parent: schema.lookup('/test-types:reset') }).value, { done: true });
  const notification = parseTree(
    `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><alarm xmlns="${TT}"><severity>3</severity></alarm></notification>`,
  );
  assert.deepEqual(xmlToJson(schema, notification).value, { 'test-types:alarm': { severity: 3 } });
  const withTime = parseTree(
    `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-01-01T00:00:00Z</eventTime>` +
      `<alarm xmlns="${TT}"><severity>3</severity></alarm></notification>`,
  );
  const event = notificationToJson(schema, withTime);
  assert.equal(event.eventTime, '2024-01-01T00:00:00Z');
  assert.deepEqual(event.value, { 'test-types:alarm': { severity: 3 } });
  assert.deepEqual(event.warnings, []);
});

test('JSON -> XML: namespaces from the schema, declared where the module changes', () => {
  const xml = toXml({
    'ietf-interfaces:interfaces': {
      interface: [{ name: 'eth0', type: 'iana-if-type:ethernetCsmacd', 'ietf-ip:ipv4': { mtu: 1500 } }],
    },
  });
  assert.equal(
    xml,
    `<interfaces xmlns="${IF}"><interface><name>eth0</name><type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type>` +
      `<ipv4 xmlns="${IP}"><mtu>1500</mtu></ipv4></interface></interfaces>`,
  );
});

test('JSON -> XML: list keys first in key order, then schema order; one entry may be an object', () => {
  const xml = toXml({ 'test-types:pair': { note: 'n', b: 'x', a: 1 } });
  assert.equal(xml, `<pair xmlns="${TT}"><a>1</a><b>x</b><note>n</note></pair>`);
});

test('JSON -> XML: ietf-netconf:operation becomes nc:operation with its namespace declared', () => {
  const xml = toXml({
    'ietf-interfaces:interfaces': {
      interface: [{ '@': { 'ietf-netconf:operation': 'delete' }, name: 'eth1' }],
    },
  });
  assert.equal(
    xml,
    `<interfaces xmlns="${IF}"><interface xmlns:nc="${NC}" nc:operation="delete"><name>eth1</name></interface></interfaces>`,
  );
  const leaf = toXml({ 'netconf-lab:lab': { note: 'x', '@note': { 'ietf-netconf:operation': 'remove' } } });
  assert.equal(
    leaf,
    `<lab xmlns="urn:example:netconf-lab"><note xmlns:nc="${NC}" nc:operation="remove">x</note></lab>`,
  );
});

test('JSON -> XML: value encodings (empty, identityref with or without module, numbers given as strings)', () => {
  const xml = toXml({
    'test-types:values': {
      marker: [null],
      pet: 'dog',
      level: '42',
      i64: '5',
      flag: true,
      'flag-or-pet': 'test-types:cat',
    },
  });
  assert.equal(
    xml,
    `<values xmlns="${TT}"><i64>5</i64><flag>true</flag><marker/><pet xmlns:tt="${TT}">tt:dog</pet><level>42</level>` +
      `<flag-or-pet xmlns:tt="${TT}">tt:cat</flag-or-pet></values>`,
  );
});

test('JSON -> XML: rpc input relative to the rpc node, in schema order', () => {
  const rpc = schema.lookup('/test-types:reset');
  assert.ok(rpc);
  assert.equal(
    jsonToXml(schema, { mode: 'hard', delay: 5 }, { parent: rpc }).value,
    '<delay>5</delay><mode>hard</mode>',
  );
  assert.equal(toXml({ 'test-types:reset': { delay: 1 } }), `<reset xmlns="${TT}"><delay>1</delay></reset>`);
});

test('JSON -> XML errors name the member: unqualified top level, unknown module, wrong shape, bad value', () => {
  assert.throws(() => toXml({ interfaces: {} }), /must be qualified/);
  assert.throws(
    () => toXml({ 'nope:x': 1 }),
    (e: unknown) => e instanceof YangJsonError && e.path === '/nope:x',
  );
  assert.throws(
    () => toXml({ 'test-types:values': { tags: 'x' } }),
    /\/test-types:values\/tags: a leaf-list must be an array/,
  );
  assert.throws(() => toXml({ 'test-types:values': { i8: 300 } }), /300 is not a valid int8/);
  assert.throws(() => toXml({ 'test-types:values': { color: 'blue' } }), /"blue" is not a valid enumeration/);
});

test('JSON -> XML: members the schema lacks are written plainly with a warning', () => {
  const { value, warnings } = jsonToXml(schema, { 'test-types:values': { i8: 1, extra: { n: ['1', '2'] } } });
  assert.equal(value, `<values xmlns="${TT}"><i8>1</i8><extra><n>1</n><n>2</n></extra></values>`);
  assert.equal(warnings.length, 1);
});

test('round trip XML -> JSON -> XML gives the same canonical XML', () => {
  roundTrip(INTERFACES_XML);
  roundTrip(
    `<values xmlns="${TT}" xmlns:tt="${TT}"><i8>-5</i8><i64>12</i64><dec>1.1</dec><text>007</text><flag>true</flag>` +
      `<marker/><color>red</color><perms>read write</perms><pet>tt:poodle</pet><level>3</level><mixed>x</mixed>` +
      `<code-or-count>7</code-or-count><flag-or-pet>tt:cat</flag-or-pet><tags>a</tags><tags>b</tags></values>` +
      `<item xmlns="${TT}"><id>007</id><size>3</size></item><item xmlns="${TT}"><id>008</id></item>` +
      `<pair xmlns="${TT}"><a>1</a><b>x</b><note>n</note></pair>`,
  );
  roundTrip(
    `<servers xmlns="urn:test:base"><server><name>s1</name><host>h</host><port>22</port><ssh-user>u</ssh-user>` +
      `<weight xmlns="urn:test:ext">5</weight><stats xmlns="urn:test:ext"><hits>1</hits><misses>2</misses></stats></server></servers>`,
  );
});
