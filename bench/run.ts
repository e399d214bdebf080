/**
 * `npm run bench`: our NETCONF client side by side with ncclient and the raw transports, in one
 * run, same servers, same data. Prints tables with ratios and rewrites the results section of
 * BENCHMARKS.md. `--smoke` (CI) runs a small size of everything, asserts nothing about speed, and
 * exits non-zero only when something failed to run.
 *
 *   node dist/bench/run.js [--smoke] [--only large,small,sessions,nodered,json,diff,fleet,scale-out] [--no-write]
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
import { loadavg, cpus, totalmem } from 'node:os';
import type { Lab } from './common';
import { failures, sh } from './child';
import { ensureLab, stopLab } from './lab-control';
import { args, only, smoke } from './options';
import { PY, ROOT } from './paths';
import { f0, f2, log, say, table, targets, writeMarkdown } from './report';
import { json } from './suite-json';
import { large } from './suite-large';
import { nodered } from './suite-nodered';
import { sessions } from './suite-sessions';
import { small } from './suite-small';
import { diff } from './suite-diff';

/** The machine the numbers come from, for the report's header. */
function machine(): string[] {
  const cpu = cpus();
  const lines = [
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores; RAM ${f0(totalmem() / 2 ** 30)} GiB; ${sh('uname', ['-sr'])}`,
    `- Node ${process.version}; ${sh('sh', ['-c', 'ssh -V 2>&1'])}; ${sh(PY, ['-c', 'import ncclient,sys; print("ncclient", ncclient.__version__, "/ Python", sys.version.split()[0])'])}`,
    `- netconfd: ${sh('sh', ['-c', "dpkg-query -W -f='${Version}' netconfd 2>/dev/null"]) || 'unknown'}; commit ${sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}`,
  ];
  return lines;
}

/** Starts the lab, or exits when it cannot; stops it again on Ctrl-C. */
async function labOrExit(): Promise<Lab> {
  try {
    const lab = await ensureLab();
    const onSignal = (): void => {
      stopLab();
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return lab;
  } catch (err) {
    log(`the lab could not be started: ${(err as Error).message}`);
    stopLab();
    process.exit(1);
  }
}

function header(load0: number[]): void {
  say(`# Benchmark results${smoke ? ' (smoke: small sizes, numbers not meaningful)' : ''}`);
  say();
  say(`Run ${new Date().toISOString()}${smoke ? ' with --smoke' : ''}.`);
  for (const l of machine()) say(l);
  say(`- Load average at start: ${load0.map(f2).join(' ')} (the machine is shared; see notes)`);
  say();
}

function summary(t0: number): void {
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
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const load0 = loadavg();
  // Only the large and small suites use the netconfd lab: the others neither start nor stop it, so
  // a run of them never takes the lab away from a suite that holds it (the interop suite, CI).
  const lab = only.has('large') || only.has('small') ? await labOrExit() : undefined;
  try {
    header(load0);
    if (lab && only.has('large')) await large(lab);
    if (lab && only.has('small')) await small(lab);
    if (only.has('sessions')) await sessions();
    if (only.has('nodered')) await nodered();
    if (only.has('fleet') || !args.only) await (await import('./suite-fleet')).fleet(); // issue 18
    if (only.has('json')) await json();
    if (only.has('diff')) await diff();
    if (only.has('scale-out') || !args.only) await (await import('./suite-scale-out')).scaleOut();
    summary(t0);
  } finally {
    stopLab();
  }
  if (!smoke && args['no-write'] !== 'true' && failures.length === 0) writeMarkdown();
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: unknown) => {
  log(`crashed: ${(err as Error).stack ?? String(err)}`);
  stopLab();
  process.exit(1);
});
