/**
 * One client fetching one large <get-config> reply, in a process of its own.
 *
 *   node dist/bench/worker-large.js --client ours-xml|ours-data|ssh2-raw --port P --filter XML
 *        [--source running] [--reps 3] [--warm 1]
 *
 * Each session first does `--warm` untimed requests (the fast reply server builds its payload on
 * the first request of a session, so that cost is kept out), then `--reps` timed ones. Between
 * requests the heap is collected (run with --expose-gc) so that every timed request starts from
 * the same state; the peak RSS is reset after the warm-up, so it covers the timed requests only.
 *
 * - ours-xml:  Manager.getConfig() and the reply's dataXml (the raw <data> text).
 * - ours-data: Manager.getConfig() and `await reply.getData()` (the parsed plain object).
 * - ssh2-raw:  the floor. ssh2's netconf subsystem channel, hello, the same RPC, and a reader that
 *              only looks for the end-of-chunks marker and counts bytes.
 */
import { Client } from 'ssh2';
import { readFileSync } from 'node:fs';
import { connectSsh, Manager } from '../src/index';
import {
  currentRss,
  emit,
  loadLab,
  LoopDelay,
  median,
  parseArgs,
  peakRss,
  resetPeakRss,
  runMain,
  sshOptions,
  type Lab,
} from './common';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';

interface Timed {
  ms: number;
  bytes: number;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function oursClient(lab: Lab, port: number, parsed: boolean, filter: string, source: string) {
  const session = await connectSsh({ ...sshOptions(lab, port), timeout: 60 });
  const m = new Manager(session, { timeout: 900 });
  let entries = 0;
  return {
    async request(): Promise<Timed> {
      const t0 = performance.now();
      const reply = await m.getConfig({ source, filter });
      let bytes: number;
      if (parsed) {
        const data = await reply.getData();
        bytes = reply.xml.length;
        entries = countEntries(data);
      } else {
        bytes = reply.dataXml.length;
      }
      return { ms: performance.now() - t0, bytes };
    },
    extra: () => (parsed ? { entries } : {}),
    close: () => m.close(),
  };
}

/** Counts list entries in the parsed object (a sanity check that the object is complete). */
function countEntries(data: unknown): number {
  let max = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 4 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      max = Math.max(max, v.length);
      return;
    }
    for (const x of Object.values(v as Record<string, unknown>)) walk(x, depth + 1);
  };
  walk(data, 0);
  return max;
}

/** The floor: the fastest raw reader of the same bytes. */
async function rawClient(lab: Lab, port: number, filter: string, source: string) {
  const client = new Client();
  const stream = await new Promise<import('ssh2').ClientChannel>((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () => client.subsys('netconf', (err, s) => (err ? reject(err) : resolve(s))));
    client.connect({
      host: lab.host,
      port,
      username: lab.users.admin.username,
      privateKey: readFileSync(lab.clientKeys.ed25519),
      readyTimeout: 60000,
    });
  });
  const END = Buffer.from('\n##\n');
  const EOM = Buffer.from(']]>]]>');
  let waiter: (() => void) | undefined;
  let helloSeen = false;
  let tail: Buffer = Buffer.alloc(0);
  let count = 0;
  stream.on('data', (buf: Buffer) => {
    count += buf.length;
    // Look for the marker in the last 3 bytes of the previous read plus this one.
    const hay = tail.length ? Buffer.concat([tail, buf.subarray(0, 8)]) : undefined;
    const marker = helloSeen ? END : EOM;
    const found = (hay && hay.indexOf(marker) >= 0) || buf.indexOf(marker) >= 0;
    tail = buf.subarray(Math.max(0, buf.length - (marker.length - 1)));
    if (found) {
      helloSeen = true;
      tail = Buffer.alloc(0);
      const w = waiter;
      waiter = undefined;
      w?.();
    }
  });
  const next = (): Promise<void> => new Promise((resolve) => (waiter = resolve));
  const helloIn = next();
  stream.write(
    `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>`,
  );
  await helloIn;
  let id = 0;
  return {
    async request(): Promise<Timed> {
      const rpc = Buffer.from(
        `<rpc xmlns="${NC}" message-id="${++id}"><get-config><source><${source}/></source><filter type="subtree">${filter}</filter></get-config></rpc>`,
      );
      const t0 = performance.now();
      count = 0;
      const done = next();
      stream.write(Buffer.concat([Buffer.from(`\n#${rpc.length}\n`), rpc, END]));
      await done;
      return { ms: performance.now() - t0, bytes: count };
    },
    extra: () => ({}),
    close: () => {
      client.end();
      return Promise.resolve();
    },
  };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const lab = loadLab(a.lab);
  const port = Number(a.port ?? 8840);
  const reps = Number(a.reps ?? 3);
  const warm = Number(a.warm ?? 1);
  const source = a.source ?? 'running';
  const filter = a.filter ?? `<replay xmlns="urn:example:replay" mb="${a.mb ?? 1}" chunk="${a.chunk ?? 1986}"/>`;
  const kind = a.client ?? 'ours-xml';
  const c =
    kind === 'ssh2-raw'
      ? await rawClient(lab, port, filter, source)
      : await oursClient(lab, port, kind === 'ours-data', filter, source);
  // Base: the RSS of the connected, idle client. The peak is reset here, so it covers the warm-up
  // too (V8 keeps the heap it grew, so a base taken after the warm-up would hide the growth).
  gc();
  const baseRss = currentRss();
  const resettable = resetPeakRss();
  for (let i = 0; i < warm; i++) await c.request();
  gc();
  const loop = new LoopDelay();
  const times: number[] = [];
  let bytes = 0;
  let maxLoopDelayMs = 0;
  for (let i = 0; i < reps; i++) {
    // The loop delay is measured during each request only: the forced gc() between requests
    // (a full collection of the previous reply's objects) is the benchmark's, not the client's.
    loop.start();
    const t = await c.request();
    await LoopDelay.settle();
    maxLoopDelayMs = Math.max(maxLoopDelayMs, loop.stop());
    times.push(t.ms);
    bytes = t.bytes;
    if (i < reps - 1) gc();
  }
  const peak = peakRss();
  await c.close();
  emit({
    client: kind,
    ms: median(times),
    times,
    bytes,
    baseRss,
    peakRss: peak,
    peakResetWorked: resettable,
    maxLoopDelayMs,
    ...c.extra(),
  });
}

runMain(main);
