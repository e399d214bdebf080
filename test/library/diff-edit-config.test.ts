/**
 * toEditConfig against the simulator: for seeded random pairs of demo configurations A and B,
 * a simulator started in state A applies toEditConfig(diff(A, B)); reading the configuration
 * back and diffing it against B must show no change.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { jsonToXml } from '../../src/yang/json-to-xml';
import type { JsonObject } from '../../src/yang/json';
import { diffConfig } from '../../src/diff';
import { isOk, RawClient, errorsOf } from '../helpers/simulator-client';
import { NetconfSimulator, DEMO_CONFIG, DEMO_MODULES } from '../helpers/diff-simulator';

const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));
const GET_RUNNING = '<get-config><source><running/></source></get-config>';

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

interface Iface {
  name: string;
  description?: string;
  type: string;
  enabled?: boolean;
}
interface System {
  hostname?: string;
  location?: string;
  'ntp-server'?: string[];
}

const TYPES = ['iana-if-type:ethernetCsmacd', 'iana-if-type:softwareLoopback'];

/** A few random edits of every kind the demo model has. */
interface Demo {
  'ietf-interfaces:interfaces'?: { interface?: Iface[] };
  'netconf-simulator:system'?: System;
}

function mutate(config: JsonObject, random: () => number): JsonObject {
  const copy = JSON.parse(JSON.stringify(config)) as Demo;
  const ifs = ((copy['ietf-interfaces:interfaces'] ??= {}).interface ??= []);
  const system = (copy['netconf-simulator:system'] ??= {});
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const steps = 1 + Math.floor(random() * 5);
  for (let s = 0; s < steps; s++) {
    const kind = Math.floor(random() * 9);
    const iface = ifs.length > 0 ? pick(ifs) : undefined;
    if (kind === 0) ifs.push({ name: `ge-0/0/${Math.floor(random() * 50)}`, type: pick(TYPES) });
    else if (kind === 1 && iface) ifs.splice(ifs.indexOf(iface), 1);
    else if (kind === 2 && iface) iface.description = random() < 0.3 ? '' : `desc ${Math.floor(random() * 100)}`;
    else if (kind === 3 && iface) delete iface.description;
    else if (kind === 4 && iface) {
      if (random() < 0.3) delete iface.enabled;
      else iface.enabled = random() < 0.5;
    } else if (kind === 5 && iface) iface.type = pick(TYPES);
    else if (kind === 6) system.hostname = `host-${Math.floor(random() * 1000)}`;
    else if (kind === 7) {
      if (random() < 0.4) delete system.location;
      else system.location = `rack ${Math.floor(random() * 10)}`;
    } else {
      const ntp = (system['ntp-server'] ??= []);
      const r = random();
      const fresh = `198.51.100.${Math.floor(random() * 250)}`;
      if (r < 0.3 && !ntp.includes(fresh)) ntp.push(fresh);
      else if (r < 0.5 && !ntp.includes(fresh)) ntp.splice(Math.floor(random() * (ntp.length + 1)), 0, fresh);
      else if (r < 0.75 && ntp.length > 0) ntp.splice(Math.floor(random() * ntp.length), 1);
      else ntp.reverse();
      if (ntp.length === 0) delete system['ntp-server'];
    }
  }
  // Deduplicate interface names (a list key must be unique).
  const seen = new Set<string>();
  copy['ietf-interfaces:interfaces'] = { interface: ifs.filter((i) => !seen.has(i.name) && seen.add(i.name)) };
  return copy as unknown as JsonObject;
}

async function getRunning(c: RawClient): Promise<string> {
  const id = c.send(GET_RUNNING);
  await c.waitReply(id);
  return c.reply(id)?.xml ?? '';
}

describe('toEditConfig applied on the simulator', { timeout: 60000 }, () => {
  test('24 random A -> B pairs: applying the edit to A gives exactly B', async () => {
    const demo = (await diffConfig(DEMO_CONFIG, DEMO_CONFIG, { schema })).before;
    let reorders = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const random = rng(seed);
      const a = mutate(demo, random);
      const b = mutate(a, random);
      const sim = new NetconfSimulator({ initialConfig: jsonToXml(schema, a).value });
      const c = await RawClient.memory(sim).handshake();
      try {
        const readA = await getRunning(c);
        assert.equal(
          (await diffConfig(readA, a, { schema })).changed,
          false,
          `seed ${seed}: the simulator starts in A`,
        );
        const diff = await diffConfig(readA, b, { schema });
        const edit = await diff.toEditConfig();
        if (edit.includes('nc:operation="replace"><hostname') || /<system[^>]*nc:operation="replace"/.test(edit))
          reorders++;
        if (diff.changed) {
          const reply = await c.rpc(`<edit-config><target><running/></target><config>${edit}</config></edit-config>`);
          assert.ok(isOk(reply), `seed ${seed}: ${JSON.stringify(errorsOf(reply))}\n${edit}`);
        } else assert.equal(edit, '');
        const check = await diffConfig(await getRunning(c), b, { schema });
        assert.deepEqual(check.changes, [], `seed ${seed}\nedit: ${edit}\n${check.text}`);
      } finally {
        c.close();
        await sim.close();
      }
    }
    // The pairs must also exercise the reordering of the user-ordered ntp-server leaf-list.
    assert.ok(reorders > 0, 'some pair reorders ntp-server');
  });
});
