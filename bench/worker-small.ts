/**
 * Many small RPCs on one session, in a process of its own.
 *
 *   node dist/bench/worker-small.js --client ours|openssh-raw|ssh2-raw --port 8830 --n 5000 --inflight 1|8|64
 *        [--filter XML] [--source running] [--warm 50]
 *
 * - ours:        one Session/Manager; `inflight` loops each awaiting Manager.getConfig() in turn.
 * - openssh-raw: the reference, OpenSSH + a minimal framer (openssh-raw.ts).
 * - ssh2-raw:    the SSH library's floor, ssh2 + the same framer (ssh2-raw.ts).
 */
import { connectSsh, Manager } from '../src/index';
import { emit, loadLab, parseArgs, percentile, runMain, sshOptions, type Lab } from './common';
import { opensshRaw, type Run } from './openssh-raw';
import { ssh2Raw } from './ssh2-raw';
export const SMALL_FILTER = '<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm/></nacm>';

async function ours(
  lab: Lab,
  port: number,
  n: number,
  inflight: number,
  warm: number,
  filter: string,
  source: string,
): Promise<Run> {
  const session = await connectSsh({ ...sshOptions(lab, port), timeout: 60 });
  const m = new Manager(session, { timeout: 120 });
  for (let i = 0; i < warm; i++) await m.getConfig({ source, filter });
  const latencies: number[] = [];
  let issued = 0;
  const t0 = performance.now();
  const loop = async (): Promise<void> => {
    while (issued < n) {
      issued++;
      const t = performance.now();
      await m.getConfig({ source, filter });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inflight }, loop));
  const seconds = (performance.now() - t0) / 1000;
  await m.close();
  return { seconds, latencies };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const lab = loadLab(a.lab);
  const port = Number(a.port ?? lab.sshPort);
  const n = Number(a.n ?? 5000);
  const inflight = Number(a.inflight ?? 1);
  const warm = Number(a.warm ?? 50);
  const filter = a.filter ?? SMALL_FILTER;
  const source = a.source ?? 'running';
  const kind = a.client ?? 'ours';
  const o = { port, n, inflight, warm, filter, source };
  const run =
    kind === 'openssh-raw'
      ? await opensshRaw(lab, o)
      : kind === 'ssh2-raw'
        ? await ssh2Raw(lab, o)
        : await ours(lab, port, n, inflight, warm, filter, source);
  emit({
    client: kind,
    inflight,
    n: run.latencies.length,
    seconds: run.seconds,
    rps: run.latencies.length / run.seconds,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
  });
}

runMain(main);
