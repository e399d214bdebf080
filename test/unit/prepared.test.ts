/**
 * Prepared operations (src/operations/prepared.ts): the input is checked and the XML built when
 * the operation is prepared, not again when it is executed; RFC 7951 JSON input is converted only
 * at execute time, but the operation's other arguments are still checked at prepare time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidInputError,
  prepareCommit,
  prepareDispatch,
  prepareEditConfig,
  prepareGetConfig,
  prepareLock,
  type JsonObject,
  type JsonToXml,
} from '../../src/index';

/** A JSON converter that records what it was asked to convert. */
function recordingToXml(): { toXml: JsonToXml; calls: { json: JsonObject; what: string }[] } {
  const calls: { json: JsonObject; what: string }[] = [];
  return { calls, toXml: (json, what) => (calls.push({ json, what }), '<lab xmlns="urn:lab"><note>x</note></lab>') };
}

test('bad input fails when the operation is prepared, with the library error', () => {
  assert.throws(() => prepareGetConfig({ source: 'run ning' }), InvalidInputError);
  assert.throws(() => prepareLock(''), InvalidInputError);
  assert.throws(() => prepareCommit({ confirmTimeout: 5 }), InvalidInputError);
  assert.throws(() => prepareEditConfig('<lab><note>x</lab>'), /not well-formed/);
  assert.throws(() => prepareDispatch('<rpc><get/></rpc>'), /without the <rpc> element/);
});

test('XML and object input: the XML is built once and the JSON converter is never used', () => {
  const { toXml, calls } = recordingToXml();
  const op = prepareGetConfig({ source: 'candidate', filter: '<lab xmlns="urn:lab"/>' });
  assert.equal(op.name, 'getConfig');
  assert.equal(op.reply, 'data');
  assert.equal(op.rfc7951Input, undefined);
  const xml = op.xml(toXml);
  assert.equal(
    xml,
    '<get-config><source><candidate/></source><filter type="subtree"><lab xmlns="urn:lab"/></filter></get-config>',
  );
  assert.equal(op.xml(toXml), xml);
  assert.equal(calls.length, 0);
  const edit = prepareEditConfig({ lab: { '@xmlns': 'urn:lab', note: 'a' } }, { target: 'candidate' });
  assert.equal(edit.rfc7951Input, undefined);
  assert.equal(
    edit.xml(toXml),
    '<edit-config><target><candidate/></target><config><lab xmlns="urn:lab"><note>a</note></lab></config></edit-config>',
  );
  assert.equal(calls.length, 0);
});

test('RFC 7951 input: other arguments checked at prepare time, the JSON converted at execute time', () => {
  const config = { 'lab:lab': { note: 'x' } };
  // A bad option fails before any schema is needed.
  assert.throws(() => prepareEditConfig(config, { defaultOperation: 'delete' }), /defaultOperation must be one of/);
  assert.throws(() => prepareGetConfig({ source: '', filter: { 'lab:lab': {} } }), InvalidInputError);

  const { toXml, calls } = recordingToXml();
  const op = prepareEditConfig(config, { target: 'candidate', defaultOperation: 'merge' });
  assert.equal(op.rfc7951Input, 'config');
  assert.equal(calls.length, 0);
  assert.equal(
    op.xml(toXml),
    '<edit-config><target><candidate/></target><default-operation>merge</default-operation>' +
      '<config><lab xmlns="urn:lab"><note>x</note></lab></config></edit-config>',
  );
  assert.deepEqual(calls, [{ json: config, what: 'config' }]);

  const filtered = prepareGetConfig({ filter: { 'lab:lab': {} } });
  assert.equal(filtered.rfc7951Input, 'filter');
  assert.match(filtered.xml(toXml), /<filter type="subtree"><lab xmlns="urn:lab"><note>x<\/note><\/lab><\/filter>/);
  // What the schema makes of the JSON is checked like any other XML input.
  assert.throws(() => prepareDispatch({ 'lab:reset': {} }).xml(() => '<a><b></a>'), /not well-formed/);
});
