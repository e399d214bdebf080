import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { diffConfig } from '../../src/diff';
import { schemaView } from '../../src/diff/input';
import { xmlConfigPairToJson, xmlConfigToJson } from '../../src/diff/xml-input';
import { streamXmlToJsonSync } from '../../src/yang/xml-stream-json';
import { xmlToJson } from '../../src/yang/xml-to-json';
import { parseTree } from '../../src/xml/element';
import { DEMO_MODULES } from '../helpers/diff-simulator';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));
const view = schemaView(schema);

function entry(i: number, description = `port ${i}`): string {
  return `<interface><name>eth${i}</name><description>${description}</description><type>ianaift:ethernetCsmacd</type><enabled>${i % 3 !== 0}</enabled></interface>`;
}

function config(entries: string[], ianaNamespace = IANA): string {
  return `<data xmlns="${NC}"><interfaces xmlns="${IF}" xmlns:ianaift="${ianaNamespace}">\n  ${entries.join('\n  ')}\n</interfaces></data>`;
}

const BASE = Array.from({ length: 40 }, (_, i) => entry(i));

/** The second configurations, each against BASE: every way the text can differ. */
const SECONDS: Record<string, string> = {
  same: config(BASE),
  'one changed': config(BASE.map((e, i) => (i === 7 ? entry(7, 'changed') : e))),
  'changes in a row (more than the window)': config(BASE.map((e, i) => (i >= 5 && i < 15 ? entry(i, 'x') : e))),
  'entries deleted in a row': config(BASE.filter((_, i) => i < 10 || i > 18)),
  'entries added in the middle': config([...BASE.slice(0, 20), entry(100), entry(101), ...BASE.slice(20)]),
  'entries moved': config([...BASE.slice(30), ...BASE.slice(0, 30)]),
  'a sibling the schema lacks between entries': config([...BASE.slice(0, 3), '<odd>x</odd>', ...BASE.slice(3)]),
  // After the end tag in the comment comes the text of the entry expected next: still a comment.
  'an end tag in a comment between entries': config([
    ...BASE.slice(0, 3),
    `<!-- </interface>\n  ${BASE[3]} -->`,
    ...BASE.slice(3),
  ]),
  'an entry with metadata': config(BASE.map((e, i) => (i === 4 ? e.replace('<interface>', '<interface a="1">') : e))),
  // The same entry text means something else: ianaift is bound to another namespace.
  'the prefix bound elsewhere': config(BASE, 'urn:example:other-types'),
  'the prefix declared on each entry': config(
    BASE.map((e) => e.replace('<interface>', `<interface xmlns:ianaift="${IANA}">`)),
    'urn:example:other-types',
  ),
  'whitespace changed': config(BASE).replace(/\n {2}/g, '\n    '),
  empty: config([]),
};

test('the second configuration converted as a pair equals its conversion alone', async () => {
  const first = config(BASE);
  for (const [name, second] of Object.entries(SECONDS)) {
    const alone = { before: [] as string[], after: [] as string[] };
    const expected = [
      await xmlConfigToJson(first, view, alone.before),
      await xmlConfigToJson(second, view, alone.after),
    ];
    const paired = { before: [] as string[], after: [] as string[] };
    assert.deepEqual(await xmlConfigPairToJson(first, second, view, paired), expected, name);
    assert.deepEqual(paired, alone, name);
    // And both equal the element-tree conversion, which never streams nor reuses anything.
    const tree = xmlToJson(schema, parseTree(second)).value;
    assert.deepEqual(expected[1], tree, name);
  }
});

test('warnings of reused entries are those of the first configuration: the same once deduplicated', async () => {
  // Entry 2 has a member the schema lacks (a conversion warning), in both configurations.
  const odd = BASE.map((e, i) => (i === 2 ? e.replace('</name>', '</name><odd>1</odd>') : e));
  const first = config(odd);
  const second = config(odd.map((e, i) => (i === 7 ? entry(7, 'changed') : e)));
  const alone = [...(await warningsOf(first)), ...(await warningsOf(second))];
  const paired = { before: [] as string[], after: [] as string[] };
  await xmlConfigPairToJson(first, second, view, paired);
  assert.ok(alone.some((w) => w.includes('odd')));
  assert.deepEqual([...new Set([...paired.before, ...paired.after])], [...new Set(alone)]);
  const diff = await diffConfig(first, second, { schema });
  assert.deepEqual(diff.warnings, [...new Set(alone)]);
});

async function warningsOf(xml: string): Promise<string[]> {
  const warnings: string[] = [];
  await xmlConfigToJson(xml, view, warnings);
  return warnings;
}

test('a pair differing in a few entries diffs as the same configurations given as JSON', async () => {
  const first = config(BASE);
  for (const name of [
    'one changed',
    'entries deleted in a row',
    'entries added in the middle',
    'the prefix bound elsewhere',
  ]) {
    const second = SECONDS[name];
    const fromXml = await diffConfig(first, second, { schema });
    const json = [await xmlConfigToJson(first, view, []), await xmlConfigToJson(second, view, [])];
    const fromJson = await diffConfig(json[0], json[1], { schema });
    assert.ok(fromXml.changed, name);
    assert.deepEqual(fromXml.changes, fromJson.changes, name);
    assert.equal(fromXml.text, fromJson.text, name);
  }
});

test('leaves without attributes take the fast path; with declarations or children the element path', () => {
  // A leaf declaring its own prefix (identityref), a leaf with a child element (invalid: its
  // text is what counts), a leaf-list entry with metadata between bare ones.
  const xml =
    `<data xmlns="${NC}"><interfaces xmlns="${IF}" xmlns:ianaift="urn:example:other-types">` +
    `<interface><name>a</name><type xmlns:t="${IANA}">t:ethernetCsmacd</type></interface>` +
    `<interface><name>b<x>inner</x>c</name><type>ianaift:softwareLoopback</type></interface>` +
    `</interfaces><system xmlns="urn:example:simulator"><ntp-server>192.0.2.1</ntp-server>` +
    `<ntp-server xmlns:m="urn:example:simulator" m:n="1">192.0.2.2</ntp-server><ntp-server>192.0.2.3</ntp-server></system></data>`;
  const streamed = streamXmlToJsonSync(schema, xml);
  const tree = xmlToJson(schema, parseTree(xml));
  assert.deepEqual(streamed, tree);
  const interfaces = (streamed.value['ietf-interfaces:interfaces'] as { interface: { name: string; type: string }[] })
    .interface;
  assert.equal(interfaces[0].type, 'iana-if-type:ethernetCsmacd');
  assert.equal(interfaces[1].name, 'bc');
  // The second type's prefix is bound to a namespace of no loaded module: kept as text, warned.
  assert.equal(interfaces[1].type, 'ianaift:softwareLoopback');
  assert.ok(streamed.warnings.some((w) => w.includes('ianaift:softwareLoopback')));
});
