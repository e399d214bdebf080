import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfSimulator, NS_IF, NS_SIM } from '../../simulator';
import { applySubtreeFilter } from '../../simulator/subtree-filter';
import { parseConfig } from '../../simulator/server';
import { toXml } from '../../simulator/tree';
import { parseTree } from '../../src/xml/element';
import { errorsOf, findAll, RawClient, texts } from '../helpers/simulator-client';

/** Runs a subtree filter (children of <filter>) over data, both as XML. */
function filter(data: string, f: string): string {
  const root = parseConfig(data);
  const filterEl = parseTree(`<filter xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${f}</filter>`);
  return toXml(applySubtreeFilter(root, filterEl.children));
}

const DATA = `<top xmlns="urn:t"><users><user><name>fred</name><type>admin</type><full-name>Fred</full-name></user><user><name>barney</name><type>admin</type><full-name>Barney</full-name></user><user><name>wilma</name><type>user</type><full-name>Wilma</full-name></user></users><groups><group><name>g1</name></group></groups></top><other xmlns="urn:o"><x>1</x></other>`;

describe('subtree filter (RFC 6241 section 6)', () => {
  test('no match and empty filter select nothing', () => {
    assert.equal(filter(DATA, '<nothing xmlns="urn:t"/>'), '');
    assert.equal(filter(DATA, ''), '');
  });

  test('selection node selects a whole subtree; namespaces must match', () => {
    assert.equal(filter(DATA, '<other xmlns="urn:o"/>'), '<other xmlns="urn:o"><x>1</x></other>');
    assert.equal(filter(DATA, '<other xmlns="urn:wrong"/>'), '');
    // no namespace matches any
    assert.equal(filter(DATA, '<other xmlns=""/>'), '<other xmlns="urn:o"><x>1</x></other>');
  });

  test('containment + selection nodes', () => {
    assert.equal(
      filter(DATA, '<top xmlns="urn:t"><groups/></top>'),
      '<top xmlns="urn:t"><groups><group><name>g1</name></group></groups></top>',
    );
  });

  test('content match on a key selects the whole entry', () => {
    assert.equal(
      filter(DATA, '<top xmlns="urn:t"><users><user><name>fred</name></user></users></top>'),
      '<top xmlns="urn:t"><users><user><name>fred</name><type>admin</type><full-name>Fred</full-name></user></users></top>',
    );
  });

  test('content match with selection nodes returns matched leaves and selected ones', () => {
    assert.equal(
      filter(DATA, '<top xmlns="urn:t"><users><user><type>admin</type><name/></user></users></top>'),
      '<top xmlns="urn:t"><users><user><name>fred</name><type>admin</type></user><user><name>barney</name><type>admin</type></user></users></top>',
    );
  });

  test('several filter entries for one list union', () => {
    assert.equal(
      texts(
        parseTree(
          `<r>${filter(DATA, '<top xmlns="urn:t"><users><user><name>wilma</name></user><user><name>fred</name></user></users></top>')}</r>`,
        ),
        'name',
      ).join(),
      'fred,wilma',
    );
  });

  test('a failed content match excludes its parent', () => {
    assert.equal(filter(DATA, '<top xmlns="urn:t"><users><user><name>nobody</name><type/></user></users></top>'), '');
  });
});

describe('filters over NETCONF', { timeout: 10000 }, () => {
  let sim: NetconfSimulator;
  let c: RawClient;
  before(async () => {
    sim = new NetconfSimulator();
    c = await RawClient.memory(sim).handshake();
  });
  after(async () => {
    c.close();
    await sim.close();
  });

  test('subtree filter on get-config and get', async () => {
    const r = await c.rpc(
      `<get-config><source><running/></source><filter type="subtree"><interfaces xmlns="${NS_IF}"><interface><name>eth1</name><description/></interface></interfaces></filter></get-config>`,
    );
    assert.deepEqual(texts(r, 'name'), ['eth1']);
    assert.deepEqual(texts(r, 'description'), ['access port']);
    assert.equal(findAll(r, 'enabled').length, 0);
    const s = await c.rpc(`<get><filter type="subtree"><system-state xmlns="${NS_SIM}"/></filter></get>`);
    assert.equal(findAll(s, 'system-state').length, 1);
    assert.equal(findAll(s, 'interfaces').length, 0);
  });

  test('XPath filter: absolute paths with key predicates and unions', async () => {
    const r = await c.rpc(
      `<get-config><source><running/></source><filter type="xpath" xmlns:if="${NS_IF}" xmlns:sim="${NS_SIM}" select="/if:interfaces/if:interface[if:name='eth0']/if:description | /sim:system/sim:hostname"/></get-config>`,
    );
    assert.deepEqual(texts(r, 'description'), ['uplink']);
    assert.deepEqual(texts(r, 'hostname'), ['sim-device']);
    assert.equal(findAll(r, 'location').length, 0);
    const entry = await c.rpc(
      `<get-config><source><running/></source><filter type="xpath" xmlns:if="${NS_IF}" select="/if:interfaces/if:interface[if:name='lo0']"/></get-config>`,
    );
    assert.deepEqual(texts(entry, 'name'), ['lo0']);
    assert.equal(findAll(entry, 'type').length, 1);
    const bad = await c.rpc(
      `<get-config><source><running/></source><filter type="xpath" select="//interface[count(x) > 1]"/></get-config>`,
    );
    const e = errorsOf(bad)[0];
    assert.equal(e.tag, 'invalid-value');
    assert.match(e.message, /not supported by the simulator/);
    const noSelect = await c.rpc('<get-config><source><running/></source><filter type="xpath"/></get-config>');
    assert.equal(errorsOf(noSelect)[0].tag, 'missing-attribute');
  });
});
