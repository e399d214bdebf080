/**
 * Benchmark 5: RFC 7951 JSON of large replies (issue 13), against the simulator (its demo YANG
 * describes the `reply-size` data): the non-blocking getJson() beside the synchronous `json`
 * getter it replaces in the nodes, getData() and dataXml; and a netconf-get node with output json
 * in a Node-RED runtime.
 */
import { attempt, runWorker } from './child';
import { smoke } from './options';
import { W } from './paths';
import { f0, f1, f2, MB, num, say, table, target, type R } from './report';

const NAMES: Record<string, string> = {
  xml: 'dataXml (no parse)',
  data: 'getData() (plain object)',
  json: 'getJson() (RFC 7951, sliced)',
  'json-sync': 'json getter (RFC 7951, blocking)',
  'nodered-json': 'Node-RED netconf-get, output json',
};
const HEAD = ['reply', 'path', 'wall ms (median)', 'MB/s', 'peak RSS MB', '(peak - base) / size', 'max loop delay ms'];

function run(client: string, mb: number): Promise<R | undefined> {
  const reps = smoke ? 1 : mb >= 50 ? 1 : 2;
  const argv = ['--expose-gc', W('json'), '--client', client, '--mb', String(mb), '--reps', String(reps)];
  return attempt(`json ${mb} MB: ${client}`, () => runWorker('node', argv));
}

function row(mb: number, client: string, r: R | undefined): string[] {
  const ms = num(r, 'ms');
  const growth = (num(r, 'peakRss') - num(r, 'baseRss')) / (mb * MB);
  return [
    `${mb} MB`,
    NAMES[client],
    f0(ms),
    f1(mb / (ms / 1000)),
    f0(num(r, 'peakRss') / MB),
    f2(growth),
    f0(num(r, 'maxLoopDelayMs')),
  ];
}

interface Checks {
  json: string[];
  jsonOk: boolean;
  data: string[];
  dataOk: boolean;
  red: string[];
  redOk: boolean;
}

function check(checks: Checks, mb: number, results: Record<string, R | undefined>): void {
  const j = results.json;
  const rate = mb / (num(j, 'ms') / 1000);
  const growth = (num(j, 'peakRss') - num(j, 'baseRss')) / (mb * MB);
  const delay = num(j, 'maxLoopDelayMs');
  checks.json.push(`${mb} MB: ${f1(rate)} MB/s, ${f0(delay)} ms, RSS ${f2(growth)}x`);
  if (!(rate >= 20 && delay <= 100 && growth <= 6)) checks.jsonOk = false;
  const dataRate = mb / (num(results.data, 'ms') / 1000);
  checks.data.push(`${mb} MB: ${f1(dataRate)} MB/s`);
  if (!(dataRate >= 40)) checks.dataOk = false;
  const red = results['nodered-json'];
  if (red) {
    const vsLib = num(red, 'ms') / num(j, 'ms');
    checks.red.push(`${mb} MB: ${f0(num(red, 'maxLoopDelayMs'))} ms, ${f2(vsLib)}x the library's time`);
    if (!(num(red, 'maxLoopDelayMs') <= 100)) checks.redOk = false;
  }
}

export async function json(): Promise<void> {
  say('## 5. RFC 7951 JSON of large replies (simulator)');
  say();
  const rows: string[][] = [];
  const checks: Checks = { json: [], jsonOk: true, data: [], dataOk: true, red: [], redOk: true };
  for (const mb of smoke ? [1] : [10, 50, 100]) {
    const clients = ['xml', 'data', 'json'];
    // The blocking getter (the nodes' path before getJson) for comparison; 100 MB as a tree is
    // several GB. Node-RED at 10 and 50 MB.
    if (mb <= 50) clients.push('json-sync', 'nodered-json');
    const results: Record<string, R | undefined> = {};
    for (const client of clients) results[client] = await run(client, mb);
    for (const client of clients) rows.push(row(mb, client, results[client]));
    check(checks, mb, results);
  }
  table(HEAD, rows);
  say('Wall time: from sending the RPC (Node-RED: the input message) to holding the result, over SSH from');
  say('the simulator in a process of its own. Loop delay: worst lateness of a timer on the same loop.');
  say();
  target(
    'JSON (getJson): >= 20 MB/s, loop <= 100 ms, RSS growth <= 6x, at every size',
    checks.jsonOk,
    checks.json.join('; '),
  );
  target('plain object (getData): at least 40 MB/s', checks.dataOk, checks.data.join('; '));
  target('Node-RED netconf-get json: loop <= 100 ms', checks.redOk, checks.red.join('; '));
}
