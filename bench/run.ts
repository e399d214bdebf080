/**
 * `npm run bench`: our NETCONF client side by side with ncclient and the raw transports, in one
 * run, same servers, same data. Prints tables with ratios and rewrites the results section of
 * BENCHMARKS.md. `--smoke` (CI) runs a small size of everything, asserts nothing about speed, and
 * exits non-zero only when something failed to run.
 *
 *   node dist/bench/run.js [--smoke] [--only large,small,sessions,nodered] [--no-write]
 *        [--small-port P] [--small-n N]
 *
 * --small-port points the small-RPC runs at another netconfd SSH port (default: the lab's 8830);
 * --small-n changes the number of timed small RPCs (default 5000; smoke 200).
 *
 * Servers: the project's netconfd lab (test/interop/lab/start.sh, ports 8830/8831) and the fast
 * reply server (replay.sh, port 8840). If they are up they are used as they are; whatever this
 * run starts, it stops again at the end.
 *
 * Every client runs in a child process of its own (bench/worker-*.ts, bench/py/ncclient_bench.py)
 * so that peak RSS and event-loop delay belong to one client.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { labJsonPath, loadLab, parseArgs, RESULT_PREFIX, type Lab } from './common';

const ROOT = resolve(__dirname, '..', '..');
const LAB_SCRIPTS = join(ROOT, 'test', 'interop', 'lab');
const PY = '/usr/bin/python3';
const NCCLIENT_BENCH = join(ROOT, 'bench', 'py', 'ncclient_bench.py');
const W = (name: string): string => join(__dirname, `worker-${name}.js`);
const MD_FILE = join(ROOT, 'BENCHMARKS.md');
const START = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';

const args = parseArgs();
const smoke = args.smoke === 'true';
const only = new Set((args.only ?? 'large,small,sessions,nodered').split(','));
const failures: string[] = [];
const out: string[] = [];

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
  out.push(line);
}
function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

// ------------------------------------------------------------------------------------------------
// Child processes

interface R {
  [k: string]: unknown;
}

function runWorker(cmd: string, argv: string[], timeoutS = 900): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) return resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as R);
      reject(new Error(`${[cmd, ...argv].join(' ').slice(0, 300)}: exit ${code ?? signal}\n${stderr.slice(-2000)}`));
    });
  });
}

async function attempt<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  log(what);
  try {
    return await f();
  } catch (err) {
    const msg = `${what}: ${(err as Error).message}`;
    failures.push(msg);
    log(`FAILED ${msg}`);
    return undefined;
  }
}

function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ port, host });
    const done = (ok: boolean): void => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

function sh(cmd: string, argv: string[]): string {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
  }
}

// ------------------------------------------------------------------------------------------------
// Lab

const started = { lab: false, replay: false };

async function ensureLab(): Promise<Lab> {
  const up = existsSync(labJsonPath()) && (await listening(8830)) && (await listening(8831));
  if (!up) {
    log('lab not running: starting it (test/interop/lab/start.sh)');
    execFileSync('bash', [join(LAB_SCRIPTS, 'start.sh')], { stdio: ['ignore', 2, 2] });
    started.lab = true;
  } else log('lab already running: using it');
  if (!(await listening(8840))) {
    execFileSync('bash', [join(LAB_SCRIPTS, 'replay.sh'), 'start'], { stdio: ['ignore', 2, 2] });
    started.replay = true;
  }
  return loadLab();
}

function stopLab(): void {
  try {
    if (started.lab) execFileSync('bash', [join(LAB_SCRIPTS, 'stop.sh')], { stdio: ['ignore', 2, 2] });
    else if (started.replay)
      execFileSync('bash', [join(LAB_SCRIPTS, 'replay.sh'), 'stop'], { stdio: ['ignore', 2, 2] });
  } catch (err) {
    log(`stopping the lab: ${(err as Error).message}`);
  }
}

// ------------------------------------------------------------------------------------------------
// Formatting

const f0 = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
const MB = 1e6;
const num = (r: R | undefined, k: string): number => (r && typeof r[k] === 'number' ? (r[k] as number) : NaN);

function table(head: string[], rows: string[][]): void {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
}

interface Target {
  what: string;
  met: boolean | undefined;
  detail: string;
}
const targets: Target[] = [];
function target(what: string, met: boolean | undefined, detail: string): void {
  targets.push({ what, met, detail });
}

// ------------------------------------------------------------------------------------------------
// 1. Large replies

interface LargeCase {
  server: string;
  label: string;
  port: number;
  filter: string;
  sizeMb: number;
  reps: number;
  ncReps: number;
}

async function large(lab: Lab): Promise<void> {
  say('## 1. Large replies (get-config)');
  say();
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
  const rows: string[][] = [];
  const xmlRatios: string[] = [];
  let xmlOk = true;
  let rssOk = true;
  let parsedOk = true;
  let loopOk = true;
  for (const c of cases) {
    const results: Record<string, R | undefined> = {};
    for (const client of ['ssh2-raw', 'ours-xml', 'ours-data']) {
      results[client] = await attempt(`${c.server} ${c.label}: ${client}`, () =>
        runWorker('node', [
          '--expose-gc',
          W('large'),
          '--client',
          client,
          '--port',
          String(c.port),
          '--filter',
          c.filter,
          '--reps',
          String(c.reps),
        ]),
      );
    }
    results.ncclient = await attempt(`${c.server} ${c.label}: ncclient`, () =>
      runWorker(PY, [
        NCCLIENT_BENCH,
        JSON.stringify({ lab: labJsonPath(), port: c.port, mode: 'large', filter: c.filter, reps: c.ncReps }),
      ]),
    );
    const floor = num(results['ssh2-raw'], 'ms');
    const size = num(results['ssh2-raw'], 'bytes') / MB || c.sizeMb;
    const names: Record<string, string> = {
      'ssh2-raw': 'floor: ssh2 raw read',
      'ours-xml': 'ours, dataXml',
      'ours-data': 'ours, getData()',
      ncclient: 'ncclient (data_xml)',
    };
    for (const client of ['ssh2-raw', 'ours-xml', 'ours-data', 'ncclient']) {
      const r = results[client];
      const ms = num(r, 'ms');
      const delta = num(r, 'peakRss') - num(r, 'baseRss');
      rows.push([
        `${c.server} ${c.label}`,
        names[client],
        f0(ms),
        f1(size / (ms / 1000)),
        f2(ms / floor),
        f0(num(r, 'peakRss') / MB),
        f0(delta / MB),
        f2(delta / (size * MB)),
        client === 'ncclient' ? 'n/a' : f0(num(r, 'maxLoopDelayMs')),
      ]);
    }
    const xmlRatio = num(results['ours-xml'], 'ms') / floor;
    const ncVsOurs = num(results.ncclient, 'ms') / num(results['ours-xml'], 'ms');
    rows.push([`${c.server} ${c.label}`, `*ncclient / ours-dataXml = ${f1(ncVsOurs)}x*`, '', '', '', '', '', '', '']);
    if (c.server === 'fast') {
      xmlRatios.push(`${c.label}: ${f2(xmlRatio)}x`);
      if (!(xmlRatio <= 1.5)) xmlOk = false;
      const d = (num(results['ours-xml'], 'peakRss') - num(results['ours-xml'], 'baseRss')) / (size * MB);
      if (!(d <= 4)) rssOk = false;
      const rate = size / (num(results['ours-data'], 'ms') / 1000);
      if (!(rate >= 25)) parsedOk = false;
      if (!(num(results['ours-data'], 'maxLoopDelayMs') <= 100)) loopOk = false;
    } else {
      target('netconfd: ours at least 2x faster than ncclient', ncVsOurs >= 2, `ncclient/ours = ${f1(ncVsOurs)}x`);
    }
  }
  table(
    [
      'reply',
      'client',
      'wall ms (median)',
      'MB/s',
      'x floor',
      'peak RSS MB',
      'peak - base MB',
      '(peak - base) / size',
      'max loop delay ms',
    ],
    rows,
  );
  say('Wall time: from writing the RPC to holding the result (the floor: to seeing the end-of-chunks marker).');
  say('Peak RSS is VmHWM from the connected idle client (base) through one warm-up and the timed requests.');
  say();
  target('fast server: ours dataXml at most 1.5x the ssh2-raw floor at every size', xmlOk, xmlRatios.join(', '));
  target('fast server: ours dataXml peak RSS (above base) at most 4x the reply', rssOk, 'see "(peak - base) / size"');
  target('fast server: parsed path at least 25 MB/s', parsedOk, 'see MB/s of "ours, getData()"');
  target('parsed path: event loop never delayed more than 100 ms', loopOk, 'see "max loop delay ms"');
  await attempt('netconfd: removing the benchmark data', () =>
    runWorker('node', [W('netconfd-data'), '--remove'], 300),
  );
}

// ------------------------------------------------------------------------------------------------
// 2. Small RPCs

async function small(lab: Lab): Promise<void> {
  say('## 2. Small RPCs on one session (netconfd, filtered get-config)');
  say();
  const n = Number(args['small-n'] ?? (smoke ? 200 : 5000));
  const warm = smoke ? 20 : 500;
  const port = Number(args['small-port'] ?? lab.sshPort);
  if (port !== lab.sshPort) say(`(netconfd on port ${port} rather than the lab's ${lab.sshPort}.)\n`);
  const ncN = smoke ? 10 : 100;
  const rows: string[][] = [];
  const raw: Record<number, number> = {};
  const ours: Record<number, number> = {};
  for (const inflight of [1, 8, 64]) {
    for (const client of ['openssh-raw', 'ours']) {
      const r = await attempt(`small RPCs: ${client}, ${inflight} in flight`, () =>
        runWorker('node', [
          W('small'),
          '--client',
          client,
          '--port',
          String(port),
          '--n',
          String(n),
          '--warm',
          String(warm),
          '--inflight',
          String(inflight),
        ]),
      );
      const rps = num(r, 'rps');
      if (client === 'openssh-raw') raw[inflight] = rps;
      else ours[inflight] = rps;
      rows.push([
        String(inflight),
        client === 'ours' ? 'ours' : 'raw: OpenSSH client + minimal framer',
        f0(rps),
        f2(num(r, 'p50')),
        f2(num(r, 'p99')),
        client === 'ours' ? `${f0((100 * rps) / raw[inflight])}%` : '100%',
      ]);
    }
  }
  const nc = await attempt('small RPCs: ncclient, sequential', async () => {
    const r = await runWorker(PY, [
      NCCLIENT_BENCH,
      JSON.stringify({ lab: labJsonPath(), port, mode: 'small', n: ncN, filter: SMALL_FILTER }),
    ]);
    const lat = (r.latencies as number[]).sort((a, b) => a - b);
    return {
      rps: num(r, 'n') / num(r, 'seconds'),
      p50: lat[Math.floor(lat.length / 2)],
      p99: lat[Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)],
    };
  });
  rows.push([
    '1',
    `ncclient (${ncN} RPCs)`,
    f1(nc?.rps ?? NaN),
    f2(nc?.p50 ?? NaN),
    f2(nc?.p99 ?? NaN),
    `${f1((100 * (nc?.rps ?? NaN)) / raw[1])}%`,
  ]);
  table(['in flight', 'client', 'RPC/s', 'p50 ms', 'p99 ms', 'of raw'], rows);
  say(
    `${n} timed RPCs per run after ${warm} untimed ones (ncclient: ${ncN}); filter ${SMALL_FILTER.replace(/</g, '&lt;')}.`,
  );
  say(`ours at 64 in flight = ${f0(ours[64] / (nc?.rps ?? NaN))}x ncclient.`);
  say();
  target(
    'small RPCs, one at a time: at least 75% of raw',
    ours[1] >= 0.75 * raw[1],
    `${f0((100 * ours[1]) / raw[1])}%`,
  );
  target(
    'small RPCs, 64 in flight: at least 50% of raw pipelined',
    ours[64] >= 0.5 * raw[64],
    `${f0((100 * ours[64]) / raw[64])}%`,
  );
}

const SMALL_FILTER = '<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm/></nacm>';

// ------------------------------------------------------------------------------------------------
// 3. Many sessions, 4. Node-RED

async function sessions(): Promise<void> {
  say('## 3. Many sessions (simulator)');
  say();
  const worker = W('sessions');
  if (!existsSync(worker) || !existsSync(join(ROOT, 'dist', 'simulator', 'index.js'))) {
    say('Not yet measured: the simulator (simulator) has no server entry point yet.');
    say();
    target('idle session at most 2 MB RSS', undefined, 'not yet measured');
    return;
  }
  const count = smoke ? 20 : 500;
  const r = await attempt(`sessions: ${count} at once`, () =>
    runWorker('node', ['--expose-gc', worker, '--sessions', String(count)]),
  );
  const perSession = num(r, 'rssPerSession');
  table(
    ['sessions', 'connect all (s)', 'RSS per idle session (client) KB', 'RSS per idle session (server) KB'],
    [[String(count), f2(num(r, 'connectSeconds')), f0(perSession / 1024), f0(num(r, 'serverRssPerSession') / 1024)]],
  );
  target('idle session at most 2 MB RSS', perSession <= 2 * 1024 * 1024, `${f0(perSession / 1024)} KB`);
}

async function nodered(): Promise<void> {
  say('## 4. Node-RED (netconf-get node vs the library)');
  say();
  const worker = W('nodered');
  if (!existsSync(worker) || !existsSync(join(ROOT, 'dist', 'nodes', 'netconf-get.js'))) {
    say('Not yet measured: the netconf-get node or its benchmark worker is missing.');
    say();
    target('Node-RED at least 80% of the library', undefined, 'not yet measured');
    return;
  }
  const n = smoke ? 100 : 5000;
  const r = await attempt('node-red: netconf-get vs library', () => runWorker('node', [worker, '--n', String(n)]));
  table(
    ['path', 'msgs or RPCs / s'],
    [
      ['library (Manager.getConfig)', f0(num(r, 'libraryRps'))],
      ['Node-RED netconf-get node', f0(num(r, 'nodeRps'))],
    ],
  );
  const ratio = num(r, 'nodeRps') / num(r, 'libraryRps');
  target('Node-RED at least 80% of the library', ratio >= 0.8, `${f0(100 * ratio)}%`);
}

// ------------------------------------------------------------------------------------------------

function machine(): string[] {
  const cpu = cpus();
  const lines = [
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; RAM ${f0(totalmem() / 2 ** 30)} GiB; ${sh('uname', ['-sr'])}`,
    `- Node ${process.version}; ${sh('sh', ['-c', 'ssh -V 2>&1'])}; ${sh(PY, ['-c', 'import ncclient,sys; print("ncclient", ncclient.__version__, "/ Python", sys.version.split()[0])'])}`,
    `- netconfd: ${sh('sh', ['-c', "dpkg-query -W -f='${Version}' netconfd 2>/dev/null"]) || 'unknown'}; commit ${sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}`,
  ];
  return lines;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const load0 = loadavg();
  let lab: Lab;
  try {
    lab = await ensureLab();
  } catch (err) {
    log(`the lab could not be started: ${(err as Error).message}`);
    stopLab();
    process.exit(1);
  }
  const onSignal = (): void => {
    stopLab();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    say(`# Benchmark results${smoke ? ' (smoke: small sizes, numbers not meaningful)' : ''}`);
    say();
    say(`Run ${new Date().toISOString()}${smoke ? ' with --smoke' : ''}.`);
    for (const l of machine()) say(l);
    say(`- Load average at start: ${load0.map(f2).join(' ')} (the machine is shared; see notes)`);
    say();
    if (only.has('large')) await large(lab);
    if (only.has('small')) await small(lab);
    if (only.has('sessions')) await sessions();
    if (only.has('nodered')) await nodered();
    say('## Targets');
    say();
    table(
      ['target', 'result', 'measured'],
      targets.map((t) => [t.what, t.met === undefined ? 'not measured' : t.met ? 'met' : '**missed**', t.detail]),
    );
    say(`Load average at end: ${loadavg().map(f2).join(' ')}; took ${f0((Date.now() - t0) / 1000)} s.`);
    if (failures.length) {
      say();
      say('Failed to run:');
      for (const f of failures) say(`- ${f.split('\n')[0]}`);
    }
  } finally {
    stopLab();
  }
  if (!smoke && args['no-write'] !== 'true' && failures.length === 0) writeMarkdown();
  process.exit(failures.length ? 1 : 0);
}

function writeMarkdown(): void {
  const body = `${START}\n${out.join('\n')}\n${END}`;
  let text = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? text.slice(0, a) + body + text.slice(b + END.length) : `${text}\n${body}\n`;
  writeFileSync(MD_FILE, text);
  log(`wrote ${MD_FILE}`);
}

main().catch((err: unknown) => {
  log(`crashed: ${(err as Error).stack ?? String(err)}`);
  stopLab();
  process.exit(1);
});
