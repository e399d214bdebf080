import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YangSchemaSet } from '../../src/yang/schema';
import { canonicalConfig, diffConfig } from '../../src/diff';
import { schemaView } from '../../src/diff/input';
import { ReusedEntries } from '../../src/diff/reused-entries';
import { xmlConfigPairToJson } from '../../src/diff/xml-input';
import type { JsonObject, JsonValue } from '../../src/yang/json';
import { DEMO_MODULES } from '../helpers/diff-simulator';

// The canonical pass of the second XML configuration copies the first's canonical form of the
// entries the pair conversion reused (src/diff/reused-entries.ts). Each side must still be what
// its canonical form alone is, member order included.

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));
const LIST = '/ietf-interfaces:interfaces-state/interface';

/** Members out of schema order and values not in canonical form: the pass changes every entry. */
function entry(i: number, speed = `00${i}0`): string {
  return (
    `<interface><speed>${speed}</speed><name>eth${i}</name><type>ianaift:ethernetCsmacd</type>` +
    `<statistics><in-octets>00${i}</in-octets></statistics></interface>`
  );
}

function config(entries: string[]): string {
  return `<data xmlns="${NC}"><interfaces-state xmlns="${IF}" xmlns:ianaift="${IANA}">\n  ${entries.join('\n  ')}\n</interfaces-state></data>`;
}

// Entry 4's speed is no uint64: a warning of the conversion and one of the canonical pass.
const BASE = Array.from({ length: 30 }, (_, i) => (i === 4 ? entry(4, 'fast') : entry(i)));

const SECONDS: Record<string, string[]> = {
  'one changed': BASE.map((e, i) => (i === 7 ? entry(7, '99') : e)),
  'the first deleted (every position moves)': BASE.slice(1),
  'entries added in the middle': [...BASE.slice(0, 10), entry(100), entry(101), ...BASE.slice(10)],
  'entries moved': [...BASE.slice(20), ...BASE.slice(0, 20)],
};

const IGNORES: Record<string, string[] | undefined> = {
  none: undefined,
  // A position selects another entry on each side once an entry before it is deleted.
  'by position': [`${LIST}[2]/speed`, `${LIST}[12]`],
  'by key': [`${LIST}[name='eth3']/statistics`, `${LIST}[name='eth9']`],
  'a leaf of every entry': [`${LIST}/type`],
};

test('an XML pair: each side is its canonical form alone, and changes, text and warnings follow from those', async () => {
  const first = config(BASE);
  for (const [name, entries] of Object.entries(SECONDS)) {
    for (const [how, ignore] of Object.entries(IGNORES)) {
      const label = `${name}, ignored: ${how}`;
      const second = config(entries);
      const diff = await diffConfig(first, second, { schema, ignore });
      const alone = [
        await canonicalConfig(first, { schema, ignore }),
        await canonicalConfig(second, { schema, ignore }),
      ];
      // As text: the order of members is part of the canonical form (deepEqual overlooks it).
      assert.equal(JSON.stringify(diff.before), JSON.stringify(alone[0].json), label);
      assert.equal(JSON.stringify(diff.after), JSON.stringify(alone[1].json), label);
      assert.deepEqual(diff.warnings, [...new Set([...alone[0].warnings, ...alone[1].warnings])], label);
      assert.ok(
        diff.warnings.some((w) => w.includes('"fast" is not a valid uint64')),
        label,
      );
      // The same two forms given as JSON (no pair conversion, nothing reused).
      const fromJson = await diffConfig(alone[0].json, alone[1].json, { schema });
      assert.deepEqual(diff.changes, fromJson.changes, label);
      assert.equal(diff.text, fromJson.text, label);
    }
  }
});

test('the cases above do reuse entries (moved ones only up to the first found out of order)', async () => {
  const reused = new ReusedEntries();
  const warnings = { before: [] as string[], after: [] as string[] };
  const first = config(BASE);
  for (const entries of Object.values(SECONDS)) {
    const [, b] = await xmlConfigPairToJson(first, config(entries), schemaView(schema), warnings, reused);
    const list = (b['ietf-interfaces:interfaces-state'] as JsonObject).interface as JsonValue[];
    const copied = reused.copiesIn(list)?.at.filter((at) => at >= 0).length ?? 0;
    assert.ok(copied >= entries.length / 4, `${copied} of ${entries.length} copied`);
  }
});

test('before and after share no object, so changing one leaves the other as it was', async () => {
  const diff = await diffConfig(config(BASE), config(SECONDS['one changed']), { schema });
  const inBefore = new Set<object>();
  walk(diff.before, (o) => inBefore.add(o));
  let shared = 0;
  walk(diff.after, (o) => (shared += inBefore.has(o) ? 1 : 0));
  assert.equal(shared, 0);
});

function walk(value: JsonValue, visit: (o: object) => void): void {
  if (typeof value !== 'object' || value === null) return;
  visit(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) walk(v, visit);
}
