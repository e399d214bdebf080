/**
 * The config diff on large data (issue 19): two 50,000-interface configurations with a few
 * hundred differences, given as RFC 7951 JSON and as XML text. Measures the time of
 * `diffConfig` (changes and unified text) and of `toEditConfig`, and the event loop's worst
 * delay meanwhile (perf_hooks monitorEventLoopDelay).
 *
 *   node dist/bench/diff.js [--entries 50000] [--changes 300] [--reps 3] [--json]
 *
 * Prints a table, or with --json one BENCH-RESULT line (bench/common.ts protocol).
 */
import { diffConfig, YangSchemaSet, type JsonObject } from '../src/index';
// The simulator's demo YANG, through the one file that knows where the simulator lives.
import { DEMO_MODULES } from '../test/helpers/diff-simulator';
import { emit, LoopDelay, median, parseArgs, runMain } from './common';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';

interface Iface {
  name: string;
  description: string;
  type: string;
  enabled: boolean;
}

function interfaces(n: number): Iface[] {
  const out: Iface[] = [];
  for (let i = 0; i < n; i++)
    out.push({ name: `eth${i}`, description: `port ${i}`, type: 'ethernetCsmacd', enabled: i % 7 !== 0 });
  return out;
}

/** A third of the changes edit descriptions, a third delete interfaces, a third add some. */
function mutate(list: Iface[], changes: number): Iface[] {
  const out = list.map((i) => ({ ...i }));
  const step = Math.max(1, Math.floor(out.length / changes));
  for (let k = 0, i = 0; k < changes && i < out.length; k++, i += step) {
    if (k % 3 === 0) out[i].description = `changed ${k}`;
    else if (k % 3 === 1) out[i].name = '';
    else out.push({ name: `new${k}`, description: 'added', type: 'softwareLoopback', enabled: true });
  }
  return out.filter((i) => i.name !== '');
}

function toJson(list: Iface[]): JsonObject {
  return {
    'ietf-interfaces:interfaces': {
      interface: list.map((i) => ({ ...i, type: `iana-if-type:${i.type}` })),
    },
  };
}

function toXml(list: Iface[]): string {
  const body = list
    .map(
      (i) =>
        `<interface><name>${i.name}</name><description>${i.description}</description>` +
        `<type>ianaift:${i.type}</type><enabled>${i.enabled}</enabled></interface>`,
    )
    .join('');
  return `<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><interfaces xmlns="${IF}" xmlns:ianaift="${IANA}">${body}</interfaces></data>`;
}

interface Run {
  diffMs: number;
  editMs: number;
  maxDelayMs: number;
  changes: number;
  textLines: number;
}

async function measure(before: string | JsonObject, after: string | JsonObject, schema: YangSchemaSet): Promise<Run> {
  const delay = new LoopDelay();
  // A timer that must keep firing: the loop delay histogram only sees turns of the loop.
  const ticker = setInterval(() => undefined, 5);
  delay.start();
  const t0 = performance.now();
  const diff = await diffConfig(before, after, { schema });
  const t1 = performance.now();
  await diff.toEditConfig();
  const t2 = performance.now();
  const maxDelayMs = delay.stop();
  clearInterval(ticker);
  return {
    diffMs: t1 - t0,
    editMs: t2 - t1,
    maxDelayMs,
    changes: diff.changes.length,
    textLines: diff.text.split('\n').length,
  };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const entries = Number(args.entries ?? 50000);
  const changes = Number(args.changes ?? 300);
  const reps = Number(args.reps ?? 3);
  const schema = YangSchemaSet.fromTexts(DEMO_MODULES.map((m) => m.text));
  const a = interfaces(entries);
  const b = mutate(a, changes);
  const inputs: Record<string, [string | JsonObject, string | JsonObject]> = {
    json: [toJson(a), toJson(b)],
    xml: [toXml(a), toXml(b)],
  };
  const results: Record<string, { diffMs: number; editMs: number; maxDelayMs: number; changes: number }> = {};
  for (const [form, [before, after]] of Object.entries(inputs)) {
    await measure(before, after, schema); // warm-up
    const runs: Run[] = [];
    for (let r = 0; r < reps; r++) runs.push(await measure(before, after, schema));
    results[form] = {
      diffMs: median(runs.map((r) => r.diffMs)),
      editMs: median(runs.map((r) => r.editMs)),
      maxDelayMs: Math.max(...runs.map((r) => r.maxDelayMs)),
      changes: runs[0].changes,
    };
  }
  if (args.json === 'true') {
    emit({ entries, changes, results });
    return;
  }
  process.stdout.write(`config diff, ${entries} interfaces, ${changes} changes, median of ${reps}\n`);
  process.stdout.write('input  diffConfig ms  toEditConfig ms  worst loop delay ms  changes\n');
  for (const [form, r] of Object.entries(results)) {
    process.stdout.write(
      `${form.padEnd(6)} ${r.diffMs.toFixed(0).padStart(13)} ${r.editMs.toFixed(0).padStart(16)} ` +
        `${r.maxDelayMs.toFixed(1).padStart(20)} ${String(r.changes).padStart(8)}\n`,
    );
  }
}

runMain(main);
