/** prettyXml: XML indented for people, the same document once parsed (the `xml-pretty` output of the nodes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyXml } from '../../src/index';
import { xmlToObject } from '../../src/xml/object';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const data =
  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="${IF}" xmlns:ianaift="urn:x">` +
  `<interface><name>eth0</name><description>a &lt;b&gt; &amp; "c"</description><type>ianaift:eth</type>` +
  `<enabled>true</enabled><empty/></interface></interfaces><!-- note --><x a="1 &quot;2&quot; &lt;3"/></data>`;

test('prettyXml puts one element per line, indents children, keeps leaves with their text on one line', () => {
  assert.equal(
    prettyXml(data),
    [
      '<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">',
      `  <interfaces xmlns="${IF}" xmlns:ianaift="urn:x">`,
      '    <interface>',
      '      <name>eth0</name>',
      '      <description>a &lt;b&gt; &amp; "c"</description>',
      '      <type>ianaift:eth</type>',
      '      <enabled>true</enabled>',
      '      <empty/>',
      '    </interface>',
      '  </interfaces>',
      '  <!-- note -->',
      '  <x a="1 &quot;2&quot; &lt;3"/>',
      '</data>',
      '',
    ].join('\n'),
  );
});

test('prettyXml keeps the document: the same object once parsed, prefixes and namespaces as written', () => {
  const pretty = prettyXml(data);
  assert.deepEqual(xmlToObject(pretty), xmlToObject(data));
  // Already pretty XML comes out the same; several top-level elements (a config's content) too.
  assert.equal(prettyXml(pretty), pretty);
  assert.equal(prettyXml('<a><b>1</b></a><c/>'), '<a>\n  <b>1</b>\n</a>\n<c/>\n');
  assert.equal(prettyXml('<?xml version="1.0"?><a/>'), '<a/>\n');
});

test('prettyXml rejects XML that is not well-formed', () => {
  assert.throws(() => prettyXml('<a><b></a>'));
});
