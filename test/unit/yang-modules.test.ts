import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseTree } from '../../src/xml/element';
import {
  mergeModuleLists,
  modulesFromCapabilities,
  modulesFromYangLibrary,
  schemasFromMonitoring,
  yangLibraryCapability,
} from '../../src/yang/module-list';
import { loadSchema, YangModuleCache } from '../../src/yang/cache';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/yang');

/** Fixture texts by module name, served like <get-schema> would. */
const texts = new Map<string, string>();
for (const f of readdirSync(FIXTURES).filter((x) => x.endsWith('.yang')))
  texts.set(f.replace(/(@.*)?\.yang$/, ''), readFileSync(path.join(FIXTURES, f), 'utf8'));

function fetcher(log: string[]) {
  return (name: string, revision: string | undefined): Promise<string> => {
    log.push(`${name}@${revision ?? ''}`);
    const text = texts.get(name);
    return text ? Promise.resolve(text) : Promise.reject(new Error(`no schema ${name}`));
  };
}

const CAPS = [
  'urn:ietf:params:netconf:base:1.1',
  'urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2014-05-08&features=arbitrary-names,pre-provisioning',
  'urn:ietf:params:xml:ns:yang:ietf-ip?module=ietf-ip&amp;revision=2014-06-16&deviations=my-dev',
  'urn:ietf:params:netconf:capability:yang-library:1.0?revision=2016-06-21&module-set-id=abc',
];

test('module list from hello capabilities', () => {
  const mods = modulesFromCapabilities(CAPS);
  assert.deepEqual(mods, [
    {
      name: 'ietf-interfaces',
      revision: '2014-05-08',
      namespace: 'urn:ietf:params:xml:ns:yang:ietf-interfaces',
      features: ['arbitrary-names', 'pre-provisioning'],
      deviations: [],
      submodules: [],
      conformance: 'implement',
    },
    {
      name: 'ietf-ip',
      revision: '2014-06-16',
      namespace: 'urn:ietf:params:xml:ns:yang:ietf-ip',
      features: [],
      deviations: ['my-dev'],
      submodules: [],
      conformance: 'implement',
    },
  ]);
  assert.deepEqual(yangLibraryCapability(CAPS), { version: '1.0', revision: '2016-06-21', id: 'abc' });
  assert.equal(yangLibraryCapability(CAPS.slice(0, 2)), undefined);
});

test('module list from ietf-yang-library (RFC 7895 modules-state and RFC 8525 yang-library)', () => {
  const YL = 'urn:ietf:params:xml:ns:yang:ietf-yang-library';
  const reply = parseTree(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
    <modules-state xmlns="${YL}"><module-set-id>1</module-set-id>
      <module><name>test-base</name><revision>2024-05-01</revision><namespace>urn:test:base</namespace>
        <submodule><name>test-base-sub</name><revision>2024-05-01</revision></submodule>
        <conformance-type>implement</conformance-type></module>
      <module><name>ietf-yang-types</name><revision></revision><namespace>urn:ietf:params:xml:ns:yang:ietf-yang-types</namespace>
        <conformance-type>import</conformance-type></module>
    </modules-state>
    <yang-library xmlns="${YL}"><module-set><name>all</name>
      <module><name>netconf-lab</name><revision>2024-01-01</revision><namespace>urn:example:netconf-lab</namespace><feature>f1</feature></module>
      <import-only-module><name>ietf-inet-types</name><revision>2013-07-15</revision><namespace>urn:ietf:params:xml:ns:yang:ietf-inet-types</namespace></import-only-module>
    </module-set></yang-library></data>`);
  const mods = modulesFromYangLibrary(reply);
  assert.deepEqual(
    mods.map((m) => [m.name, m.revision, m.conformance, m.submodules.map((s) => s.name).join(), m.features.join()]),
    [
      ['test-base', '2024-05-01', 'implement', 'test-base-sub', ''],
      ['ietf-yang-types', undefined, 'import', '', ''],
      ['netconf-lab', '2024-01-01', 'implement', '', 'f1'],
      ['ietf-inet-types', '2013-07-15', 'import', '', ''],
    ],
  );
  const merged = mergeModuleLists(modulesFromCapabilities(CAPS), mods, [{ ...mods[0], namespace: undefined }]);
  assert.equal(merged.length, 6);
});

test('get-schema offer from ietf-netconf-monitoring', () => {
  const NCM = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring';
  const reply = parseTree(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><netconf-state xmlns="${NCM}"><schemas>
    <schema><identifier>toaster</identifier><version>2009-11-20</version><format xmlns:ncm="${NCM}">ncm:yang</format>
      <namespace>http://netconfcentral.org/ns/toaster</namespace><location>NETCONF</location></schema>
    </schemas></netconf-state></data>`);
  assert.deepEqual(schemasFromMonitoring(reply), [
    { identifier: 'toaster', version: '2009-11-20', format: 'yang', namespace: 'http://netconfcentral.org/ns/toaster' },
  ]);
});

test('loader: fetches modules with their imports and includes; the cache serves a second device', async () => {
  const cache = new YangModuleCache();
  const log: string[] = [];
  const refs = mergeModuleLists(modulesFromCapabilities(CAPS.slice(1, 3)), [
    {
      name: 'test-ext',
      revision: '2024-05-01',
      namespace: 'urn:test:ext',
      features: [],
      deviations: [],
      submodules: [],
      conformance: 'implement',
    },
  ]);
  const first = await loadSchema(refs, fetcher(log), cache);
  assert.deepEqual([...log].sort(), [
    'ietf-inet-types@',
    'ietf-interfaces@2014-05-08',
    'ietf-ip@2014-06-16',
    'ietf-yang-types@',
    'test-base-sub@',
    'test-base@',
    'test-ext@2024-05-01',
  ]);
  assert.deepEqual(first.schema.missingModules, []);
  assert.deepEqual(first.failed, []);
  assert.ok(first.schema.lookup('/test-base:servers/server/test-ext:weight'));
  assert.ok(first.schema.lookup('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4'));
  assert.equal(first.fetched.length, 7);

  const again: string[] = [];
  const second = await loadSchema(refs, fetcher(again), cache);
  assert.deepEqual(again, [], 'nothing fetched the second time');
  assert.deepEqual(second.fetched, []);
  assert.ok(second.schema.lookup('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4'));
});

test('loader: a module that cannot be fetched is reported, the rest still builds', async () => {
  const refs = modulesFromCapabilities([
    'urn:test:types?module=test-types&revision=2024-05-01',
    'urn:nowhere?module=nowhere&revision=2020-01-01',
  ]);
  const result = await loadSchema(refs, fetcher([]), new YangModuleCache());
  assert.deepEqual(
    result.failed.map((f) => [f.name, f.error]),
    [['nowhere', 'no schema nowhere']],
  );
  assert.equal(result.moduleNames.get('urn:nowhere'), 'nowhere');
  assert.ok(result.schema.lookup('/test-types:values/addr'));
});

test('directory cache: a new process (new cache object) reads modules from disk', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yang-cache-'));
  try {
    const refs = modulesFromCapabilities(['urn:example:netconf-lab?module=netconf-lab&revision=2024-01-01']);
    const log: string[] = [];
    await loadSchema(refs, fetcher(log), new YangModuleCache({ directory: dir }));
    assert.deepEqual(log, ['netconf-lab@2024-01-01']);
    assert.deepEqual(readdirSync(dir), ['netconf-lab@2024-01-01.yang']);
    const later: string[] = [];
    const result = await loadSchema(refs, fetcher(later), new YangModuleCache({ directory: dir }));
    assert.deepEqual(later, []);
    assert.ok(result.schema.lookup('/netconf-lab:lab/item'));
    const byName = await new YangModuleCache({ directory: dir }).get('netconf-lab');
    assert.equal(byName?.revision, '2024-01-01');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('directory cache: a module name or revision from the device that is not a YANG identifier or date is never a file path', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'yang-cache-'));
  const dir = path.join(root, 'a', 'cache');
  try {
    const cache = new YangModuleCache({ directory: dir });
    const escaping = await cache.put('module "../../escaped" { namespace "urn:x"; prefix x; revision 2024-01-01; }');
    const badRevision = await cache.put('module ok { namespace "urn:y"; prefix y; revision "2024-01-01/../../r"; }');
    await cache.put('module fine { namespace "urn:z"; prefix z; revision 2024-02-02; }');
    // kept in memory, so this process still uses them ...
    assert.equal((await cache.get('../../escaped', '2024-01-01'))?.name, escaping.name);
    assert.equal((await cache.get('ok'))?.revision, badRevision.revision);
    // ... but only the well-named module became a file, and nothing was written outside the directory
    assert.deepEqual(readdirSync(dir), ['fine@2024-02-02.yang']);
    assert.deepEqual(readdirSync(root), ['a']);
    assert.deepEqual(readdirSync(path.join(root, 'a')), ['cache']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
