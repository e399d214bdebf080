/**
 * RFC 7951 JSON against netconfd: the schema of every lab module is fetched and built, list
 * entries are arrays whether one or many, values are typed per YANG, XML -> JSON -> XML round
 * trips, and an edit written in JSON is applied by the server and read back equal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connectSsh, Manager, parseTree, jsonToXml } from '../../src';
import { labYangCache } from './helpers/lab';

interface Lab {
  dir: string;
  host: string;
  sshPort: number;
  knownHosts: string;
  users: { admin: { username: string; password: string } };
}

const lab = JSON.parse(readFileSync(process.env.NETCONF_LAB_JSON ?? '/tmp/ncred-lab/lab.json', 'utf8')) as Lab;
let mgr: Manager;
/**
 * netconfd 2.13 answers the get-schema of ietf-netconf once per process: the second time it
 * returns an empty schema and then dies (double free). So every test in this suite shares one
 * module cache kept in the lab's directory, and the device is asked for each module only once.
 */
const cache = labYangCache();

async function connect(): Promise<Manager> {
  const session = await connectSsh({
    host: lab.host,
    port: lab.sshPort,
    username: lab.users.admin.username,
    password: lab.users.admin.password,
    knownHostsFile: lab.knownHosts,
    timeout: 20,
  });
  return new Manager(session, { timeout: 30 });
}

/** Element names, namespaces and non-whitespace text, for comparing XML that may differ in prefixes and formatting. */
function canonical(xml: string): string {
  const walk = (e: ReturnType<typeof parseTree>): string =>
    `<{${e.ns}}${e.local}>${e.children.length ? e.children.map(walk).join('') : e.text.trim()}</>`;
  return walk(parseTree(xml));
}

before(async () => {
  mgr = await connect();
  await mgr.discardChanges();
});

after(async () => {
  await mgr.discardChanges().catch(() => undefined);
  await mgr.close();
});

test('loadYang builds the schema of every module netconfd announces', async () => {
  const device = await mgr.loadYang({ cache });
  for (const name of [
    'ietf-interfaces',
    'ietf-ip',
    'iana-if-type',
    'netconf-lab',
    'toaster',
    'ietf-netconf-monitoring',
  ]) {
    assert.ok(device.schema.modules.has(name), `${name} loaded`);
  }
  assert.ok(device.schema.modules.size >= 25, `${device.schema.modules.size} modules in the schema`);
  assert.deepEqual(device.warnings, []);
  // ietf-ip augments ietf-interfaces across modules.
  assert.ok(device.schema.lookup('/ietf-interfaces:interfaces/interface/ietf-ip:ipv4'));
});

test("toaster's identityrefs and netconf-lab's leaf-lists are in the schema", async () => {
  const device = await mgr.loadYang({ cache });
  const input =
    device.schema.lookup('/toaster:make-toast/input/toasterToastType') ??
    device.schema.lookup('/toaster:make-toast/toasterToastType');
  assert.ok(input, 'make-toast input leaf toasterToastType');
  assert.equal(input.type?.base, 'identityref');
  assert.ok(device.schema.isDerivedFrom('toaster:wheat-bread', 'toaster:toast-type'));
  const tag = device.schema.lookup('/netconf-lab:lab/item/tag');
  assert.equal(tag?.kind, 'leaf-list');
  assert.deepEqual(device.schema.lookup('/netconf-lab:lab/item')?.keys, ['id']);
});

test('every subtree of the running and candidate configuration round-trips XML -> JSON -> XML', async () => {
  const device = await mgr.loadYang({ cache });
  for (const source of ['running', 'candidate']) {
    const reply = await mgr.getConfig({ source });
    assert.deepEqual(reply.jsonWarnings, [], `${source}: every subtree has its module`);
    const back = jsonToXml(device.schema, reply.json).value;
    const wrap = (inner: string): string => `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${inner}</data>`;
    assert.equal(canonical(wrap(back)), canonical(reply.dataXml), source);
  }
});

test('a second session with the same modules fetches nothing (cache by name and revision)', async () => {
  const other = await connect();
  try {
    const again = await other.loadYang({ cache });
    assert.deepEqual(again.fetched, []);
    assert.ok(again.schema.modules.has('netconf-lab'));
  } finally {
    await other.close();
  }
});

test('one and many list entries are arrays; values typed per YANG; JSON edit applied and read back', async () => {
  await mgr.loadYang({ cache });
  const one = {
    'netconf-lab:lab': {
      note: '007',
      percent: 42,
      item: [{ id: 1, name: 'first', value: '-9007199254740993', enabled: true, tag: ['a'] }],
    },
  };
  await mgr.editConfig(
    { 'netconf-lab:lab': { '@': { 'ietf-netconf:operation': 'replace' }, ...one['netconf-lab:lab'] } },
    { target: 'candidate' },
  );
  const r1 = await mgr.getConfig({ source: 'candidate', filter: { 'netconf-lab:lab': {} } });
  const lab1 = r1.json['netconf-lab:lab'] as Record<string, unknown>;
  assert.equal(lab1.note, '007', 'a string leaf stays a string');
  assert.equal(lab1.percent, 42, 'uint8 is a number');
  assert.ok(Array.isArray(lab1.item), 'one entry is still an array');
  assert.equal((lab1.item as unknown[]).length, 1);
  const first = (lab1.item as Record<string, unknown>[])[0];
  assert.equal(first.value, '-9007199254740993', 'int64 is a string, digits intact');
  assert.equal(first.enabled, true, 'boolean is a boolean');
  assert.deepEqual(first.tag, ['a'], 'a leaf-list with one value is an array');

  await mgr.editConfig(
    {
      'netconf-lab:lab': {
        item: [
          { id: 2, name: 'second' },
          { id: 3, name: 'third' },
        ],
      },
    },
    { target: 'candidate' },
  );
  const r2 = await mgr.getConfig({ source: 'candidate', filter: { 'netconf-lab:lab': {} } });
  const items = (r2.json['netconf-lab:lab'] as { item: { id: number }[] }).item;
  assert.deepEqual(items.map((i) => i.id).sort(), [1, 2, 3]);

  // XML -> JSON -> XML gives the same canonical XML.
  const device = mgr.yang;
  assert.ok(device);
  const back = jsonToXml(device.schema, r2.json).value;
  const original = parseTree(r2.dataXml);
  const rebuilt = parseTree(`<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${back}</data>`);
  assert.equal(
    canonical(rebuilt ? `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${back}</data>` : ''),
    canonical(r2.dataXml),
  );
  assert.ok(original);
  await mgr.discardChanges();
});

test('identityrefs come out module-qualified (ietf-interfaces type)', async () => {
  await mgr.loadYang({ cache });
  await mgr.editConfig(
    {
      'ietf-interfaces:interfaces': {
        interface: [{ name: 'eth9', type: 'iana-if-type:ethernetCsmacd', enabled: false }],
      },
    },
    { target: 'candidate' },
  );
  const r = await mgr.getConfig({ source: 'candidate', filter: { 'ietf-interfaces:interfaces': {} } });
  const ifs = (
    r.json['ietf-interfaces:interfaces'] as { interface: { name: string; type: string; enabled: boolean }[] }
  ).interface;
  const eth9 = ifs.find((i) => i.name === 'eth9');
  assert.deepEqual(eth9, { name: 'eth9', type: 'iana-if-type:ethernetCsmacd', enabled: false });
  await mgr.discardChanges();
});
