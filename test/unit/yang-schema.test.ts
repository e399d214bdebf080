import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { effectiveType, YangSchemaSet } from '../../src/yang/schema';
import type { SchemaNode } from '../../src/yang/model';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/yang');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

const all = YangSchemaSet.fromTexts(
  readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yang'))
    .map(fixture),
);

function node(p: string): SchemaNode {
  const n = all.lookup(p);
  assert.ok(n, `no node at ${p}`);
  return n;
}

test('all fixtures resolve without missing modules or warnings', () => {
  assert.deepEqual(all.missingModules, []);
  assert.deepEqual(all.warnings, []);
  assert.ok(all.module('ietf-interfaces'));
  assert.equal(all.moduleByNamespace('urn:test:types')?.name, 'test-types');
});

test('module metadata: namespace, prefix, revision, imports, submodules', () => {
  const base = all.module('test-base');
  assert.equal(base?.prefix, 'base');
  assert.equal(base?.revision, '2024-05-01');
  assert.deepEqual(base?.submodules, [{ name: 'test-base-sub', revision: '2024-05-01' }]);
  const ip = all.module('ietf-ip');
  assert.deepEqual(
    ip?.imports.map((i) => `${i.prefix}=${i.module}`),
    ['if=ietf-interfaces', 'inet=ietf-inet-types', 'yang=ietf-yang-types'],
  );
});

test('containers, lists with keys, leaf-lists, ordered-by, presence', () => {
  const item = node('/netconf-lab:lab/item');
  assert.equal(item.kind, 'list');
  assert.deepEqual(item.keys, ['id']);
  assert.equal(node('/netconf-lab:lab/item/tag').kind, 'leaf-list');
  assert.equal(node('/netconf-lab:lab/ordered').orderedBy, 'user');
  assert.deepEqual(node('/test-types:pair').keys, ['a', 'b']);
  assert.equal(node('/test-base:servers/server/udp').presence, true);
  assert.deepEqual(node('/netconf-lab:lab/counter').defaults, ['7']);
});

test('groupings: expanded at uses, refine changes default and config, augment inside uses', () => {
  const server = node('/test-base:servers/server');
  assert.ok(server.dataChildren.has('test-base:host'));
  assert.deepEqual(node('/test-base:servers/server/port').defaults, ['22']);
  const options = node('/test-base:servers/server/options');
  assert.equal(options.config, false);
  assert.equal(node('/test-base:servers/server/options/timeout').config, false, 'refined config is inherited');
  assert.equal(node('/test-base:servers/server/options/retries').kind, 'leaf');
  assert.equal(server.config, true);
});

test('groupings and typedefs from a submodule and from an imported module', () => {
  assert.equal(node('/test-base:from-sub/x').type?.base, 'uint16');
  assert.equal(node('/test-base:sub-top/y').module, 'test-base');
  // An imported grouping's nodes belong to the using module; its types resolve where defined.
  const port = node('/test-ext:mirror/port');
  assert.equal(port.module, 'test-ext');
  assert.equal(port.namespace, 'urn:test:ext');
  assert.equal(port.type?.base, 'uint16');
  assert.deepEqual(port.type?.derivedFrom, ['test-base:port-number']);
  assert.deepEqual(port.defaults, ['830']);
});

test('choice and case are transparent in data but kept in the schema tree', () => {
  const server = node('/test-base:servers/server');
  for (const name of ['ssh-user', 'tls-cert', 'udp']) assert.ok(server.dataChildren.has(`test-base:${name}`), name);
  const choice = server.children.find((c) => c.kind === 'choice');
  assert.equal(choice?.name, 'transport');
  assert.deepEqual(
    choice?.children.map((c) => `${c.kind}:${c.name}`),
    ['case:ssh', 'case:tls-cert', 'case:udp', 'case:quic'],
  );
  assert.equal(node('/test-base:servers/server/ssh-user').path, '/test-base:servers/server/ssh-user');
});

test('augments across modules, into a choice, into a used grouping, and of an augment', () => {
  const weight = node('/test-base:servers/server/test-ext:weight');
  assert.equal(weight.module, 'test-ext');
  assert.equal(weight.namespace, 'urn:test:ext');
  assert.equal(weight.path, '/test-base:servers/server/test-ext:weight');
  assert.equal(node('/test-base:servers/server/test-ext:stats').config, false);
  // Written before the augment that creates `stats`: applied in a later round.
  assert.equal(node('/test-base:servers/server/test-ext:stats/misses').type?.base, 'uint32');
  assert.equal(node('/test-base:servers/server/test-ext:quic-port').type?.base, 'uint16');
  assert.equal(
    node('/test-base:servers/server/options/test-ext:url').config,
    false,
    'augment inherits config from its target',
  );
  // The real one: ietf-ip augments ietf-interfaces.
  const ipv4 = node('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4');
  assert.equal(ipv4.module, 'ietf-ip');
  assert.deepEqual(node('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address').keys, ['ip']);
  // ietf-ip's subnet choice: prefix-length and netmask are both direct data children.
  const address = node('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4/address');
  assert.ok(address.dataChildren.has('ietf-ip:prefix-length'));
  assert.ok(address.dataChildren.has('ietf-ip:netmask'));
});

test('typedef chains resolve to the built-in type and remember the chain', () => {
  const level = node('/test-types:values/level').type;
  assert.equal(level?.base, 'uint8');
  assert.equal(level?.name, 'big-level');
  assert.deepEqual(level?.derivedFrom, ['test-types:big-level', 'test-types:level', 'test-types:percent']);
  const counter = node('/ietf-interfaces:interfaces-state/interface/statistics/in-octets').type;
  assert.equal(counter?.base, 'uint64');
  assert.deepEqual(counter?.derivedFrom, ['ietf-yang-types:counter64']);
  assert.equal(node('/test-types:values/dec').type?.fractionDigits, 2);
  assert.deepEqual(node('/test-types:values/color').type?.enums, ['red', 'green']);
  assert.deepEqual(node('/test-types:values/perms').type?.bits, ['read', 'write']);
});

test('unions keep member types in order, through typedefs', () => {
  const mixed = node('/test-types:values/mixed').type;
  assert.equal(mixed?.base, 'union');
  assert.deepEqual(
    mixed?.union?.map((t) => t.base),
    ['int32', 'string'],
  );
  const codeOrCount = node('/test-types:values/code-or-count').type;
  assert.deepEqual(
    codeOrCount?.union?.map((t) => t.name),
    ['code', 'uint16'],
  );
  assert.equal(codeOrCount?.union?.[0].patterns?.[0].source, '[A-Z]{3}');
  const addr = node('/test-types:values/addr').type;
  assert.deepEqual(
    addr?.union?.map((t) => t.name),
    ['inet:ipv4-address', 'inet:ipv6-address'],
  );
});

test('identities with bases, identityref bases as module:name', () => {
  assert.deepEqual(all.identities.get('test-types:poodle')?.bases, ['test-types:dog']);
  assert.deepEqual(all.identities.get('test-types:cat')?.bases, ['test-types:animal']);
  assert.ok(all.isDerivedFrom('test-types:poodle', 'test-types:animal'));
  assert.ok(!all.isDerivedFrom('test-types:cat', 'test-types:dog'));
  assert.deepEqual(node('/test-types:values/pet').type?.identityBases, ['test-types:animal']);
  assert.deepEqual(node('/ietf-interfaces:interfaces/interface/type').type?.identityBases, [
    'ietf-interfaces:interface-type',
  ]);
  assert.ok(all.isDerivedFrom('iana-if-type:ethernetCsmacd', 'ietf-interfaces:interface-type'));
});

test('leafrefs point at their target; the effective type is the target type', () => {
  const ref = node('/test-types:item-ref').type;
  assert.equal(ref?.leafref?.target, node('/test-types:item/id'));
  assert.equal(ref && effectiveType(ref).base, 'string');
  const levelRef = node('/test-types:level-ref').type;
  assert.equal(levelRef && effectiveType(levelRef).base, 'uint8');
  // ietf-interfaces: interface-state/name is not a leafref, but interfaces/interface/... is used by ietf-ip:
  const higher = node('/ietf-interfaces:interfaces-state/interface/higher-layer-if').type;
  assert.equal(higher?.base, 'leafref');
  assert.equal(higher && effectiveType(higher).base, 'string');
});

test('config false is inherited; rpc, input, output and notification nodes', () => {
  assert.equal(node('/test-types:state').config, false);
  assert.equal(node('/test-types:state/inner/x').config, false);
  assert.equal(node('/ietf-interfaces:interfaces-state').config, false);
  assert.equal(node('/ietf-interfaces:interfaces').config, true);
  const reset = node('/test-types:reset');
  assert.equal(reset.kind, 'rpc');
  assert.equal(node('/test-types:reset/input/delay').type?.base, 'uint32');
  assert.equal(node('/test-types:reset/output/done').type?.base, 'boolean');
  assert.equal(node('/test-types:alarm').kind, 'notification');
  assert.equal(all.findTopLevel('urn:test:types', 'alarm'), node('/test-types:alarm'));
  // An rpc without input or output still has both (RFC 7950 7.14).
  assert.ok(node('/toaster:cancel-toast/input'));
});

test('lookup: module inherited by unqualified steps, predicates ignored, unknown paths undefined', () => {
  assert.equal(all.lookup("/ietf-interfaces:interfaces/interface[name='a/b']/enabled")?.type?.base, 'boolean');
  assert.equal(all.lookup('/ietf-interfaces:interfaces/interface/ipv4'), undefined, 'augmented node needs its module');
  assert.equal(all.lookup('/nope:x'), undefined);
  assert.equal(all.lookup('interfaces'), undefined);
});

test('missing imports and includes are listed, and the rest still builds', () => {
  const schema = YangSchemaSet.fromTexts([fixture('ietf-ip@2014-06-16.yang'), fixture('test-base@2024-05-01.yang')]);
  assert.deepEqual(schema.missingModules.map((m) => `${m.kind}:${m.name}`).sort(), [
    'import:ietf-inet-types',
    'import:ietf-interfaces',
    'import:ietf-yang-types',
    'include:test-base-sub',
  ]);
  assert.ok(schema.lookup('/test-base:servers/server/name'));
  assert.ok(schema.warnings.some((w) => /augment target/.test(w)));
  assert.ok(schema.warnings.some((w) => /unknown type 'port-number'/.test(w)));
});

test('deviations: not-supported removes a node, replace changes a type', () => {
  const deviating = `module dev {
    namespace "urn:dev"; prefix dev;
    import netconf-lab { prefix lab; }
    deviation /lab:lab/lab:note { deviate not-supported; }
    deviation /lab:lab/lab:percent { deviate replace { type string; } }
  }`;
  const schema = YangSchemaSet.fromTexts([fixture('netconf-lab@2024-01-01.yang'), deviating]);
  assert.equal(schema.lookup('/netconf-lab:lab/note'), undefined);
  assert.equal(schema.lookup('/netconf-lab:lab/percent')?.type?.base, 'string');
});

test('several revisions of one module: the newest is used', () => {
  const older = 'module r { namespace "urn:r"; prefix r; revision 2020-01-01; leaf old { type string; } }';
  const newer =
    'module r { namespace "urn:r"; prefix r; revision 2021-01-01; revision 2020-01-01; leaf new { type string; } }';
  const schema = YangSchemaSet.fromTexts([newer, older]);
  assert.equal(schema.module('r')?.revision, '2021-01-01');
  assert.ok(schema.lookup('/r:new'));
});
