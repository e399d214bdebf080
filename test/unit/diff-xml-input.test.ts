import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfProtocolError } from '../../src/errors';
import { YangSchemaSet } from '../../src/yang/schema';
import { parseTree } from '../../src/xml/element';
import { elementsToJson } from '../../src/yang/xml-to-json';
import { canonicalConfig, diffConfig } from '../../src/diff';
import { xmlConfigToJson } from '../../src/diff/xml-input';
import { schemaView } from '../../src/diff/input';
import { DEMO_CONFIG, DEMO_MODULES } from '../helpers/diff-simulator';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const NMDA = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));
const view = schemaView(schema);

const IFACES =
  `<interfaces xmlns="${IF}" xmlns:ianaift="${IANA}">` +
  '<interface><name>eth0</name><type>ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>' +
  '<interface><name>eth1</name><description>up</description><type>ianaift:ethernetCsmacd</type></interface>' +
  '</interfaces>';
const EXPECTED = {
  'ietf-interfaces:interfaces': {
    interface: [
      { name: 'eth0', type: 'iana-if-type:ethernetCsmacd', enabled: true },
      { name: 'eth1', description: 'up', type: 'iana-if-type:ethernetCsmacd' },
    ],
  },
};

test('every envelope a configuration comes in gives the same JSON', async () => {
  const forms = [
    IFACES,
    `<?xml version="1.0" encoding="UTF-8"?>\n${IFACES}`,
    `<data xmlns="${NC}">${IFACES}</data>`,
    `<?xml version="1.0"?><nc:config xmlns:nc="${NC}">${IFACES}</nc:config>\n`,
    `<data xmlns="${NMDA}">${IFACES}</data>`,
    `<rpc-reply xmlns="${NC}" message-id="1"><data>${IFACES}</data></rpc-reply>`,
    // The data's prefix is declared on the envelope only: the span inherits it.
    `<nc:rpc-reply xmlns:nc="${NC}" xmlns:x="${IANA}" message-id="2">\n  <nc:data>${IFACES.replace(/ianaift:/g, 'x:').replace(` xmlns:ianaift="${IANA}"`, '')}</nc:data>\n</nc:rpc-reply>`,
  ];
  for (const xml of forms) {
    const warnings: string[] = [];
    assert.deepEqual(await xmlConfigToJson(xml, view, warnings), EXPECTED, xml);
    assert.deepEqual(warnings, [], xml);
  }
});

test('no data at all is an empty configuration', async () => {
  for (const xml of ['', '  \n', '<?xml version="1.0"?>', `<rpc-reply xmlns="${NC}" message-id="1"><ok/></rpc-reply>`])
    assert.deepEqual(await xmlConfigToJson(xml, view, []), {}, JSON.stringify(xml));
  assert.deepEqual(await xmlConfigToJson(`<data xmlns="${NC}"/>`, view, []), {});
});

test('the streamed conversion equals the element-tree conversion on the demo configuration', async () => {
  // DEMO_CONFIG is bare top-level elements (several).
  const expected = elementsToJson(schema, parseTree(`<w>${DEMO_CONFIG}</w>`).children).value;
  assert.ok(Object.keys(expected).length > 0);
  assert.deepEqual(await xmlConfigToJson(DEMO_CONFIG, view, []), expected);
});

test('without a schema: module names guessed from namespaces, repeated elements as arrays', async () => {
  const xml = `<data xmlns="${NC}"><top xmlns="urn:example:things/"><a>1</a><a>2</a><b><c>x</c></b></top><bare xmlns="">t</bare></data>`;
  assert.deepEqual(await xmlConfigToJson(xml, undefined, []), {
    'things:top': { a: ['1', '2'], b: { c: 'x' } },
    bare: 't',
  });
  const diff = await diffConfig(xml, xml.replace('<a>2</a>', '<a>3</a>'));
  assert.deepEqual(
    diff.changes.map((c) => [c.op, c.path]),
    [['replace', '/things:top/a[2]']],
  );
});

test('malformed XML and a DOCTYPE are refused with NETCONF_PROTOCOL', async () => {
  const bad = [
    `<data xmlns="${NC}"><interfaces xmlns="${IF}"></data>`,
    `<!DOCTYPE data [<!ENTITY x "y">]><data xmlns="${NC}">&x;</data>`,
    `<data xmlns="${NC}"/><data xmlns="${NC}"/>`,
  ];
  for (const xml of bad) {
    await assert.rejects(canonicalConfig(xml, { schema }), (err: unknown) => {
      assert.ok(err instanceof NetconfProtocolError, String(err));
      assert.equal(err.code, 'NETCONF_PROTOCOL');
      return true;
    });
  }
});
