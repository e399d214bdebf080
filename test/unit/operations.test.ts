import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/operations/rpc';
import { filterElement } from '../../src/operations/filter';
import { InvalidInputError } from '../../src/operations/validate';

test('get-config: datastore, subtree filter (string and object), with-defaults', () => {
  assert.equal(ops.getConfigRpc('running'), '<get-config><source><running/></source></get-config>');
  assert.equal(
    ops.getConfigRpc('candidate', '<lab xmlns="urn:lab"/>', 'report-all'),
    '<get-config><source><candidate/></source><filter type="subtree"><lab xmlns="urn:lab"/></filter>' +
      '<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">report-all</with-defaults></get-config>',
  );
  assert.equal(
    filterElement({ lab: { '@xmlns': 'urn:lab', item: '' } }),
    '<filter type="subtree"><lab xmlns="urn:lab"><item/></lab></filter>',
  );
  assert.equal(filterElement('<filter type="subtree"><x/></filter>'), '<filter type="subtree"><x/></filter>');
  assert.throws(() => ops.getConfigRpc('running', undefined, 'everything'), InvalidInputError);
});

test('xpath filters carry their namespace map and are escaped', () => {
  assert.equal(
    filterElement({ xpath: "/l:lab/l:item[l:name='a&b']", namespaces: { l: 'urn:lab' } }),
    `<filter type="xpath" select="/l:lab/l:item[l:name='a&amp;b']" xmlns:l="urn:lab"/>`,
  );
});

test('datastores: names, URLs, and refusal of anything else', () => {
  assert.equal(ops.lockRpc('candidate'), '<lock><target><candidate/></target></lock>');
  assert.equal(
    ops.copyConfigRpc('file:///tmp/a&b.xml', 'running'),
    '<copy-config><target><url>file:///tmp/a&amp;b.xml</url></target><source><running/></source></copy-config>',
  );
  for (const bad of ['', 'run ning', '<running/>', 'a/b']) assert.throws(() => ops.lockRpc(bad), InvalidInputError);
});

test('edit-config: options, config wrapping, unparseable XML refused before sending', () => {
  assert.equal(
    ops.editConfigRpc('<lab xmlns="urn:lab"><note>x</note></lab>', {
      target: 'candidate',
      defaultOperation: 'merge',
      testOption: 'test-then-set',
      errorOption: 'rollback-on-error',
    }),
    '<edit-config><target><candidate/></target><default-operation>merge</default-operation><test-option>test-then-set</test-option>' +
      '<error-option>rollback-on-error</error-option><config><lab xmlns="urn:lab"><note>x</note></lab></config></edit-config>',
  );
  const own = '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><a xmlns="urn:a"/></config>';
  assert.equal(ops.editConfigRpc(own), `<edit-config><target><running/></target>${own}</edit-config>`);
  assert.throws(() => ops.editConfigRpc('<lab><note>x</lab>'), /not well-formed/);
  assert.throws(() => ops.editConfigRpc(''), /empty/);
  assert.throws(() => ops.editConfigRpc('<a/>', { defaultOperation: 'delete' }), /defaultOperation must be one of/);
  assert.equal(
    ops.editConfigRpc({ lab: { '@xmlns': 'urn:lab', note: 'a<b' } }),
    '<edit-config><target><running/></target><config><lab xmlns="urn:lab"><note>a&lt;b</note></lab></config></edit-config>',
  );
});

test('commit: every RFC 6241 combination, and the illegal ones refused', () => {
  assert.equal(ops.commitRpc(), '<commit/>');
  assert.equal(
    ops.commitRpc({ confirmed: true, confirmTimeout: 60 }),
    '<commit><confirmed/><confirm-timeout>60</confirm-timeout></commit>',
  );
  assert.equal(
    ops.commitRpc({ confirmed: true, persist: 'tok' }),
    '<commit><confirmed/><persist>tok</persist></commit>',
  );
  assert.equal(ops.commitRpc({ persistId: 'tok' }), '<commit><persist-id>tok</persist-id></commit>');
  assert.equal(
    ops.commitRpc({ confirmed: true, persistId: 'tok' }),
    '<commit><confirmed/><persist-id>tok</persist-id></commit>',
  );
  assert.throws(() => ops.commitRpc({ confirmed: true, persist: 'a', persistId: 'b' }), InvalidInputError);
  assert.throws(() => ops.commitRpc({ confirmTimeout: 5 }), InvalidInputError);
  assert.throws(() => ops.commitRpc({ confirmed: true, confirmTimeout: -1 }), InvalidInputError);
  assert.equal(ops.cancelCommitRpc('tok'), '<cancel-commit><persist-id>tok</persist-id></cancel-commit>');
  assert.equal(ops.cancelCommitRpc(), '<cancel-commit/>');
});

test('create-subscription: stream, filter, replay times', () => {
  assert.equal(
    ops.createSubscriptionRpc({
      stream: 'NETCONF',
      startTime: '2026-11-23T20:35:55Z',
      stopTime: new Date('2026-11-24T00:00:00Z'),
    }),
    '<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><stream>NETCONF</stream>' +
      '<startTime>2026-11-23T20:35:55Z</startTime><stopTime>2026-11-24T00:00:00.000Z</stopTime></create-subscription>',
  );
  assert.throws(() => ops.createSubscriptionRpc({ startTime: 'yesterday' }), /RFC 3339/);
  assert.throws(() => ops.createSubscriptionRpc({ stopTime: '2026-11-23T20:35:55Z' }), /stopTime needs startTime/);
});

test('get-schema, get-data, kill-session, dispatch', () => {
  assert.equal(
    ops.getSchemaRpc('ietf-interfaces', '2014-05-08'),
    '<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>ietf-interfaces</identifier>' +
      '<version>2014-05-08</version><format>yang</format></get-schema>',
  );
  assert.equal(
    ops.getDataRpc({ datastore: 'running', filter: '<lab xmlns="urn:lab"/>', maxDepth: 2 }),
    '<get-data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-nmda"><datastore xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">ds:running</datastore>' +
      '<subtree-filter><lab xmlns="urn:lab"/></subtree-filter><max-depth>2</max-depth></get-data>',
  );
  assert.equal(ops.killSessionRpc(12), '<kill-session><session-id>12</session-id></kill-session>');
  assert.throws(() => ops.killSessionRpc('0'), InvalidInputError);
  assert.equal(
    ops.customRpc('<?xml version="1.0"?>\n<make-toast xmlns="http://netconfcentral.org/ns/toaster"/>'),
    '<make-toast xmlns="http://netconfcentral.org/ns/toaster"/>',
  );
  assert.throws(() => ops.customRpc('<rpc message-id="1"><get/></rpc>'), /without the <rpc> element/);
});
