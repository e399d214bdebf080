/** prettyXml: XML indented for people, the same document once parsed (the `xml-pretty` output of the nodes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyXml } from '../../src/index';
import { xmlToObject } from '../../src/xml/object';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const data =
  `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="${IF}" xmlns:ianaift="urn:x">` +
  `<interface><name>eth0</name><description>a &lt;b&gt; &amp; "c"</description><type>ianaift:eth</type>` +
  `<enabled>true</enabled><empty/></interface></interfaces><x a="1 &quot;2&quot; &lt;3"/></data>`;

test('prettyXml puts one element per line, indents children, keeps leaves with their text on one line', async () => {
  assert.equal(
    await prettyXml(data),
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
      '  <x a="1 &quot;2&quot; &lt;3"/>',
      '</data>',
      '',
    ].join('\n'),
  );
});

test('prettyXml keeps the document: the same object once parsed, prefixes and namespaces as written', async () => {
  const pretty = await prettyXml(data);
  assert.deepEqual(xmlToObject(pretty), xmlToObject(data));
  // Already pretty XML comes out the same; several top-level elements (a config's content) too.
  assert.equal(await prettyXml(pretty), pretty);
  assert.equal(await prettyXml('<a><b>1</b></a><c/>'), '<a>\n  <b>1</b>\n</a>\n<c/>\n');
  assert.equal(await prettyXml('<?xml version="1.0"?><a/>'), '<a/>\n');
});

test('prettyXml rejects XML that is not well-formed, and nesting past the depth bound', async () => {
  await assert.rejects(prettyXml('<a><b></a>'));
  await assert.rejects(prettyXml('<a>'.repeat(600) + '</a>'.repeat(600)));
});
