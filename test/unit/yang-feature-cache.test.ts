/**
 * The module cache keys built schemas on the feature set as well as the modules: two devices of
 * the same modules announcing different features get different schemas, equal sets share one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { modulesFromCapabilities } from '../../src/yang/module-list';
import { loadSchema, YangModuleCache } from '../../src/yang/cache';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/yang');
const FILES: Record<string, string> = {
  'ietf-interfaces': 'ietf-interfaces@2014-05-08.yang',
  'ietf-yang-types': 'ietf-yang-types@2013-07-15.yang',
};

function fetch(name: string): Promise<string> {
  const file = FILES[name];
  return file ? Promise.resolve(readFileSync(path.join(FIXTURES, file), 'utf8')) : Promise.reject(new Error(name));
}

const cap = (features: string): string[] => [
  `urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2014-05-08${features}`,
];
const IF_INDEX = '/ietf-interfaces:interfaces-state/interface/if-index'; // if-feature if-mib

test('module cache: one schema per module set and feature set', async () => {
  const cache = new YangModuleCache();
  const withMib = await loadSchema(modulesFromCapabilities(cap('&features=if-mib')), fetch, cache);
  const without = await loadSchema(modulesFromCapabilities(cap('')), fetch, cache);
  const otherFeature = await loadSchema(modulesFromCapabilities(cap('&features=arbitrary-names')), fetch, cache);
  const withMibAgain = await loadSchema(modulesFromCapabilities(cap('&features=if-mib')), fetch, cache);
  assert.ok(withMib.schema.lookup(IF_INDEX), 'if-mib announced: if-index is in the schema');
  assert.equal(without.schema.lookup(IF_INDEX), undefined, 'no features announced');
  assert.equal(otherFeature.schema.lookup(IF_INDEX), undefined, 'another feature announced');
  assert.ok(without.schema.lookup('/ietf-interfaces:interfaces-state/interface/name'));
  assert.equal(withMibAgain.schema, withMib.schema, 'the same feature set shares the built schema');
  assert.notEqual(without.schema, otherFeature.schema);
});
