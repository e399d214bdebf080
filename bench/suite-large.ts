/** Benchmark 1: large get-config replies, ours against the ssh2 raw-read floor and ncclient. */
import { labJsonPath, type Lab } from './common';
import { attempt, runWorker } from './child';
import { smoke } from './options';
import { NCCLIENT_BENCH, PY, W } from './paths';
import { f0, f1, f2, MB, num, say, table, target, type R } from './report';

interface LargeCase {
  server: string;
  label: string;
  port: number;
  filter: string;
  sizeMb: number;
  reps: number;
  ncReps: number;
}

/** Targets checked on the fast server, over every size. */
interface FastChecks {
  xmlRatios: string[];
  xmlOk: boolean;
  rssOk: boolean;
  parsedOk: boolean;
  loopOk: boolean;
}

const CLIENTS = ['ssh2-raw', 'ours-xml', 'ours-data', 'ncclient'];
const NAMES: Record<string, string> = {
  'ssh2-raw': 'floor: ssh2 raw read',
  'ours-xml': 'ours, dataXml',
  'ours-data': 'ours, getData()',
  ncclient: 'ncclient (data_xml)',
};
const HEAD = [
  'reply',
  'client',
  'wall ms (median)',
  'MB/s',
  'x floor',
  'peak RSS MB',
  'peak - base MB',
  '(peak - base) / size',
  'max loop delay ms',
];

/** The netconfd case (after loading its data) and the fast-server sizes. */
async function largeCases(lab: Lab): Promise<LargeCase[]> {
  const entries = smoke ? 2000 : 20000;
  const cases: LargeCase[] = [];
  const loaded = await attempt(`netconfd: loading ${entries} /lab/item entries into running (8831)`, () =>
    runWorker('node', [W('netconfd-data'), '--entries', String(entries)], 600),
  );
  if (loaded) {
    cases.push({
      server: 'netconfd',
      label: `${entries / 1000}k entries`,
      port: lab.runningPort,
      filter: '<lab xmlns="urn:example:netconf-lab"/>',
      sizeMb: num(loaded, 'bytes') / MB,
      reps: smoke ? 1 : 5,
      ncReps: smoke ? 1 : 5,
    });
  }
  for (const mb of smoke ? [1] : [10, 50, 100]) {
    cases.push({
      server: 'fast',
      label: `${mb} MB`,
      port: lab.replay.port,
      filter: `<replay xmlns="urn:example:replay" mb="${mb}" chunk="1986"/>`,
      sizeMb: mb,
      reps: smoke ? 1 : mb >= 50 ? 2 : 3,
      ncReps: smoke ? 1 : mb >= 50 ? 1 : 3,
    });
  }
  return cases;
}

/** Runs every client on one case, each in a worker process of its own. */
async function measure(c: LargeCase): Promise<Record<string, R | undefined>> {
  const results: Record<string, R | undefined> = {};
  for (const client of ['ssh2-raw', 'ours-xml', 'ours-data']) {
    const argv = ['--client', client, '--port', String(c.port), '--filter', c.filter, '--reps', String(c.reps)];
    results[client] = await attempt(`${c.server} ${c.label}: ${client}`, () =>
      runWorker('node', ['--expose-gc', W('large'), ...argv]),
    );
  }
  results.ncclient = await attempt(`${c.server} ${c.label}: ncclient`, () =>
    runWorker(PY, [
      NCCLIENT_BENCH,
      JSON.stringify({ lab: labJsonPath(), port: c.port, mode: 'large', filter: c.filter, reps: c.ncReps }),
    ]),
  );
  return results;
}

function caseRows(c: LargeCase, results: Record<string, R | undefined>, size: number): string[][] {
  const floor = num(results['ssh2-raw'], 'ms');
  return CLIENTS.map((client) => {
    const r = results[client];
    const ms = num(r, 'ms');
    const delta = num(r, 'peakRss') - num(r, 'baseRss');
    return [
      `${c.server} ${c.label}`,
      NAMES[client],
      f0(ms),
      f1(size / (ms / 1000)),
      f2(ms / floor),
      f0(num(r, 'peakRss') / MB),
      f0(delta / MB),
      f2(delta / (size * MB)),
      client === 'ncclient' ? 'n/a' : f0(num(r, 'maxLoopDelayMs')),
    ];
  });
}

function checkFast(checks: FastChecks, c: LargeCase, results: Record<string, R | undefined>, size: number): void {
  const xmlRatio = num(results['ours-xml'], 'ms') / num(results['ssh2-raw'], 'ms');
  checks.xmlRatios.push(`${c.label}: ${f2(xmlRatio)}x`);
  if (!(xmlRatio <= 1.5)) checks.xmlOk = false;
  const d = (num(results['ours-xml'], 'peakRss') - num(results['ours-xml'], 'baseRss')) / (size * MB);
  if (!(d <= 4)) checks.rssOk = false;
  const rate = size / (num(results['ours-data'], 'ms') / 1000);
  if (!(rate >= 25)) checks.parsedOk = false;
  if (!(num(results['ours-data'], 'maxLoopDelayMs') <= 100)) checks.loopOk = false;
}

export async function large(lab: Lab): Promise<void> {
  say('## 1. Large replies (get-config)');
  say();
  const rows: string[][] = [];
  const checks: FastChecks = { xmlRatios: [], xmlOk: true, rssOk: true, parsedOk: true, loopOk: true };
  for (const c of await largeCases(lab)) {
    const results = await measure(c);
    const size = num(results['ssh2-raw'], 'bytes') / MB || c.sizeMb;
    rows.push(...caseRows(c, results, size));
    const ncVsOurs = num(results.ncclient, 'ms') / num(results['ours-xml'], 'ms');
    rows.push([`${c.server} ${c.label}`, `*ncclient / ours-dataXml = ${f1(ncVsOurs)}x*`, '', '', '', '', '', '', '']);
    if (c.server === 'fast') checkFast(checks, c, results, size);
    else target('netconfd: ours at least 2x faster than ncclient', ncVsOurs >= 2, `ncclient/ours = ${f1(ncVsOurs)}x`);
  }
  table(HEAD, rows);
  say('Wall time: from writing the RPC to holding the result (the floor: to seeing the end-of-chunks marker).');
  say('Peak RSS is VmHWM from the connected idle client (base) through one warm-up and the timed requests.');
  say();
  const { xmlOk, rssOk, parsedOk, loopOk } = checks;
  target('fast server: ours dataXml at most 1.5x the ssh2-raw floor at every size', xmlOk, checks.xmlRatios.join(', '));
  target('fast server: ours dataXml peak RSS (above base) at most 4x the reply', rssOk, 'see "(peak - base) / size"');
  target('fast server: parsed path at least 25 MB/s', parsedOk, 'see MB/s of "ours, getData()"');
  target('parsed path: event loop never delayed more than 100 ms', loopOk, 'see "max loop delay ms"');
  await attempt('netconfd: removing the benchmark data', () =>
    runWorker('node', [W('netconfd-data'), '--remove'], 300),
  );
}
