/**
 * Config diff and check mode against netconfd (candidate instance), with the device's own YANG:
 * - checkTransaction leaves running unchanged and the candidate clean, seen by ncclient (an
 *   independent client): ncclient reads the same running before and after, and can lock the
 *   candidate (netconfd refuses that while the candidate holds changes), which equals running;
 * - the diff of an editTransaction (running read before and after) lists exactly the edited leaves;
 * - toEditConfig(A -> B) applied to netconfd in state A gives B, read back with get-config, for
 *   24 seeded random pairs over the lab model and ietf-interfaces + ietf-ip.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTransaction, editTransaction } from '../../src/index';
import { diffConfig } from '../../src/diff';
import type { JsonObject } from '../../src/yang/json';
import type { Manager } from '../../src/manager';
import { LAB_NS, NC_NS, closeAll, connect, labYangCache, resetCandidate } from './helpers/lab';
import { ncclient } from './helpers/ncclient';

const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const filter = { 'netconf-lab:lab': {}, 'ietf-interfaces:interfaces': {} } as unknown as JsonObject;
// The lab's disk cache: netconfd must not be asked for a module twice (helpers/lab.ts).
const cache = labYangCache();
let m: Manager;

async function clearInterfaces(mgr: Manager): Promise<void> {
  await mgr.editConfig(`<interfaces xmlns="${IF_NS}" xmlns:nc="${NC_NS}" nc:operation="remove"/>`, {
    target: 'candidate',
  });
  await mgr.commit();
}

before(async () => {
  m = await connect();
  await m.loadYang({ cache });
  await resetCandidate(m);
  await clearInterfaces(m);
});

after(async () => {
  await resetCandidate(m).catch(() => undefined);
  await clearInterfaces(m).catch(() => undefined);
  await closeAll(m);
});

const read = async (source: string): Promise<string> => (await m.getConfig({ source, filter })).dataXml;

test('check mode: the diff of the edit; running unchanged and the candidate clean, as ncclient sees them', async () => {
  await m.editConfig(`<lab xmlns="${LAB_NS}"><note>before</note><percent>5</percent></lab>`, { target: 'candidate' });
  await m.commit();
  const ncRunning = async (): Promise<string> => {
    const out = await ncclient({
      actions: [{ op: 'get-config', source: 'running', filter: `<lab xmlns="${LAB_NS}"/>` }],
    });
    assert.ok(out.ok, JSON.stringify(out.error ?? out.result?.errors));
    return out.results[0].data ?? '';
  };
  const runningBefore = await ncRunning();
  const result = await checkTransaction(
    m,
    `<lab xmlns="${LAB_NS}"><note>after</note><item><id>1</id><name>one</name></item></lab>`,
  );
  assert.equal(result.mode, 'candidate');
  const diff = await diffConfig(result.running!, result.candidate!, { schema: m.yang });
  assert.deepEqual(
    diff.changes.map((c) => [c.op, c.path]),
    [
      ['replace', '/netconf-lab:lab/note'],
      ['create', "/netconf-lab:lab/item[id='1']"],
    ],
  );
  const runningAfter = await ncRunning();
  assert.equal((await diffConfig(runningBefore, runningAfter, { schema: m.yang })).changed, false, 'running unchanged');
  const out = await ncclient({
    actions: [
      { op: 'lock', target: 'candidate' },
      { op: 'get-config', source: 'candidate', filter: `<lab xmlns="${LAB_NS}"/>` },
      { op: 'unlock', target: 'candidate' },
    ],
  });
  assert.ok(out.ok, `ncclient can lock the candidate: ${JSON.stringify(out.results.map((r) => r.errors))}`);
  const candidate = out.results[1].data ?? '';
  assert.equal((await diffConfig(runningAfter, candidate, { schema: m.yang })).changed, false, 'candidate = running');
});

test('editTransaction: the diff of running before and after lists exactly the edited leaves', async () => {
  await resetCandidate(m);
  await m.editConfig(
    `<lab xmlns="${LAB_NS}"><note>n</note><item><id>1</id><name>a</name><value>1</value></item><item><id>2</id><name>b</name></item></lab>`,
    { target: 'candidate' },
  );
  await m.commit();
  const result = await editTransaction(
    m,
    `<lab xmlns="${LAB_NS}" xmlns:nc="${NC_NS}"><item><id>1</id><value>2</value></item><item><id>2</id><tag>x</tag></item><percent>9</percent></lab>`,
    { target: 'auto', readBack: true },
  );
  assert.equal(result.target, 'candidate');
  const diff = await diffConfig(result.before!, result.after!, { schema: m.yang });
  assert.deepEqual(
    diff.changes.map((c) => [c.op, c.path, c.after]),
    [
      ['create', '/netconf-lab:lab/percent', 9],
      ['replace', "/netconf-lab:lab/item[id='1']/value", '2'],
      ['create', "/netconf-lab:lab/item[id='2']/tag[.='x']", 'x'],
    ],
  );
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Item {
  id: number;
  name?: string;
  value?: string;
  enabled?: boolean;
  tag?: string[];
}
interface Iface {
  name: string;
  type: string;
  description?: string;
  enabled?: boolean;
  'ietf-ip:ipv4'?: { address?: { ip: string; 'prefix-length': number }[]; mtu?: number };
}

/** A random configuration of the lab model and the interfaces (each leaf present or not). */
function randomConfig(random: () => number): JsonObject {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const items: Item[] = [];
  for (let id = 1; id <= 6; id++) {
    if (random() < 0.4) continue;
    const item: Item = { id };
    if (random() < 0.7) item.name = pick(['a', 'b', 'c']);
    if (random() < 0.5) item.value = String(Math.floor(random() * 5) - 2);
    if (random() < 0.3) item.enabled = random() < 0.5;
    const tags = ['red', 'green', 'blue'].filter(() => random() < 0.4);
    if (tags.length > 0) item.tag = tags;
    items.push(item);
  }
  const ordered = ['x', 'y', 'z', 'w'].filter(() => random() < 0.6).sort(() => random() - 0.5);
  const lab: Record<string, unknown> = {};
  if (random() < 0.7) lab.note = pick(['one', 'two', 'three']);
  if (random() < 0.5) lab.percent = Math.floor(random() * 100);
  if (items.length > 0) lab.item = items;
  if (ordered.length > 0) lab.ordered = ordered.map((name) => ({ name }));
  const ifs: Iface[] = [];
  for (const name of ['eth0', 'eth1', 'lo0']) {
    if (random() < 0.3) continue;
    const i: Iface = { name, type: pick(['iana-if-type:ethernetCsmacd', 'iana-if-type:softwareLoopback']) };
    if (random() < 0.5) i.description = pick(['uplink', 'spare', '']);
    if (random() < 0.5) i.enabled = random() < 0.5;
    if (random() < 0.6) {
      const address = ['192.0.2.1', '192.0.2.2', '198.51.100.7']
        .filter(() => random() < 0.5)
        .map((ip) => ({ ip, 'prefix-length': pick([24, 32]) }));
      i['ietf-ip:ipv4'] = address.length > 0 ? { address } : { mtu: 1400 + Math.floor(random() * 100) };
    }
    ifs.push(i);
  }
  const config: Record<string, unknown> = {};
  if (Object.keys(lab).length > 0) config['netconf-lab:lab'] = lab;
  if (ifs.length > 0) config['ietf-interfaces:interfaces'] = { interface: ifs };
  return config as JsonObject;
}

test('toEditConfig(A -> B) applied to netconfd in state A gives B (24 random pairs, lab model + ietf-interfaces/ietf-ip)', async () => {
  let applied = 0;
  for (let seed = 1; seed <= 24; seed++) {
    const random = rng(seed);
    const a = randomConfig(random);
    const b = randomConfig(random);
    // State A: clear both subtrees, write A, commit.
    await resetCandidate(m);
    await clearInterfaces(m);
    if (Object.keys(a).length > 0) {
      await m.editConfig(a, { target: 'candidate' });
      await m.commit();
    }
    const stateA = await read('running');
    assert.equal((await diffConfig(stateA, a, { schema: m.yang })).changed, false, `seed ${seed}: netconfd is in A`);
    const diff = await diffConfig(stateA, b, { schema: m.yang });
    const edit = await diff.toEditConfig();
    if (diff.changed) {
      await m.editConfig(edit, { target: 'candidate' });
      await m.commit();
      applied++;
    }
    const check = await diffConfig(await read('running'), b, { schema: m.yang });
    assert.deepEqual(check.changes, [], `seed ${seed}\nedit: ${edit}\n${check.text}`);
  }
  assert.ok(applied >= 20, `${applied} pairs needed an edit`);
});
