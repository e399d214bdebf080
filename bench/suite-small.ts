/** Benchmark 2: small RPCs on one session, ours against OpenSSH + a minimal framer and ncclient. */
import { labJsonPath, type Lab } from './common';
import { attempt, runWorker } from './child';
import { args, smoke } from './options';
import { NCCLIENT_BENCH, PY, W } from './paths';
import { f0, f1, f2, num, say, table, target } from './report';

/**
 * Two filters: the NACM one this suite always used, and the one of an independent measurement
 * (issue 13) that saw a different ratio, a subtree of the lab's own module.
 */
const FILTERS = [
  { name: 'nacm', xml: '<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm/></nacm>' },
  { name: 'lab note', xml: '<lab xmlns="urn:example:netconf-lab"><note/></lab>' },
];

interface Rate {
  rps: number;
  p50: number;
  p99: number;
}

/** RPC/s by number in flight, for the raw client and ours. */
interface Rates {
  raw: Record<number, number>;
  ssh2: Record<number, number>;
  ours: Record<number, number>;
}

const LABELS: Record<string, string> = {
  'openssh-raw': 'raw: OpenSSH client + minimal framer',
  'ssh2-raw': 'floor: ssh2 client + minimal framer',
  ours: 'ours',
};

async function nodeClients(port: number, n: number, warm: number, filter: string, rates: Rates): Promise<string[][]> {
  const rows: string[][] = [];
  for (const inflight of [1, 8, 64]) {
    // ssh2-raw separates the SSH library's own cost from ours (ours / ssh2-raw in the last column).
    for (const client of ['openssh-raw', 'ssh2-raw', 'ours']) {
      const argv = [
        '--client',
        client,
        '--port',
        String(port),
        '--n',
        String(n),
        '--warm',
        String(warm),
        '--filter',
        filter,
      ];
      const r = await attempt(`small RPCs: ${client}, ${inflight} in flight`, () =>
        runWorker('node', [W('small'), ...argv, '--inflight', String(inflight)]),
      );
      const rps = num(r, 'rps');
      if (client === 'openssh-raw') rates.raw[inflight] = rps;
      else if (client === 'ssh2-raw') rates.ssh2[inflight] = rps;
      else rates.ours[inflight] = rps;
      const ofSsh2 = client === 'ours' ? ` (${f0((100 * rps) / rates.ssh2[inflight])}% of ssh2-raw)` : '';
      rows.push([
        String(inflight),
        LABELS[client],
        f0(rps),
        f2(num(r, 'p50')),
        f2(num(r, 'p99')),
        `${f0((100 * rps) / rates.raw[inflight])}%${ofSsh2}`,
      ]);
    }
  }
  return rows;
}

function ncclient(port: number, ncN: number, filter: string): Promise<Rate | undefined> {
  return attempt('small RPCs: ncclient, sequential', async () => {
    const r = await runWorker(PY, [
      NCCLIENT_BENCH,
      JSON.stringify({ lab: labJsonPath(), port, mode: 'small', n: ncN, filter }),
    ]);
    const lat = (r.latencies as number[]).sort((a, b) => a - b);
    return {
      rps: num(r, 'n') / num(r, 'seconds'),
      p50: lat[Math.floor(lat.length / 2)],
      p99: lat[Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)],
    };
  });
}

export async function small(lab: Lab): Promise<void> {
  say('## 2. Small RPCs on one session (netconfd, filtered get-config)');
  say();
  const n = Number(args['small-n'] ?? (smoke ? 200 : 5000));
  const warm = smoke ? 20 : 500;
  const port = Number(args['small-port'] ?? lab.sshPort);
  if (port !== lab.sshPort) say(`(netconfd on port ${port} rather than the lab's ${lab.sshPort}.)\n`);
  for (const filter of smoke ? FILTERS.slice(0, 1) : FILTERS) await oneFilter(port, n, warm, filter);
}

async function oneFilter(port: number, n: number, warm: number, filter: { name: string; xml: string }): Promise<void> {
  const ncN = smoke ? 10 : 100;
  const rates: Rates = { raw: {}, ssh2: {}, ours: {} };
  const { raw, ours } = rates;
  const rows = await nodeClients(port, n, warm, filter.xml, rates);
  const nc = await ncclient(port, ncN, filter.xml);
  const ncRps = nc?.rps ?? NaN;
  rows.push([
    '1',
    `ncclient (${ncN} RPCs)`,
    f1(ncRps),
    f2(nc?.p50 ?? NaN),
    f2(nc?.p99 ?? NaN),
    `${f1((100 * ncRps) / raw[1])}%`,
  ]);
  say(`Filter ${filter.xml.replace(/</g, '&lt;')}:`);
  say();
  table(['in flight', 'client', 'RPC/s', 'p50 ms', 'p99 ms', 'of raw'], rows);
  say(`${n} timed RPCs per run after ${warm} untimed ones (ncclient: ${ncN}).`);
  say(`ours at 64 in flight = ${f0(ours[64] / ncRps)}x ncclient.`);
  say();
  target(
    `small RPCs (${filter.name} filter), one at a time: at least 75% of raw`,
    ours[1] >= 0.75 * raw[1],
    `${f0((100 * ours[1]) / raw[1])}%`,
  );
  const pipelined = `${f0((100 * ours[64]) / raw[64])}%`;
  target(`small RPCs (${filter.name} filter), 64 in flight: at least 60% of raw`, ours[64] >= 0.6 * raw[64], pipelined);
}
