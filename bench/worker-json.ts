/**
 * RFC 7951 JSON of large replies, in a process of its own, against the simulator (forked: its own
 * process too) whose demo YANG describes the `reply-size` test data.
 *
 *   node --expose-gc dist/bench/worker-json.js --client json|json-sync|data|xml|nodered-json
 *        --mb 10 [--reps 2]
 *
 * - json:         Manager.getConfig() and `await reply.getJson()` (the non-blocking JSON path).
 * - json-sync:    the same with the synchronous `reply.json` getter (what the nodes used before).
 * - data:         `await reply.getData()` (the plain object).
 * - xml:          `reply.dataXml` (no parsing).
 * - nodered-json: a netconf-get node with output json in a Node-RED runtime, from the input
 *                 message to the output message.
 *
 * Time is from sending the RPC (or the input message) to holding the result; the loop delay is
 * the worst delay of a timer on the same loop during that time (monitorEventLoopDelay); peak RSS
 * is VmHWM from the connected client through a warm-up and the timed requests.
 */
import { connectSsh, Manager } from '../src/index';
import { currentRss, emit, LoopDelay, median, parseArgs, peakRss, resetPeakRss, runMain } from './common';
import { ADMIN, forkSimulator, simulatorGetFlow, startNodeRedRuntime } from './nodered-runtime';

const NS_SIM = 'urn:example:simulator';

interface Client {
  request(bytes: number): Promise<number>;
  close(): Promise<void>;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function filterFor(bytes: number): string {
  return `<reply-size xmlns="${NS_SIM}" bytes="${bytes}"/>`;
}

/** Entries in the converted result (a check that it is complete). */
function entriesOf(value: unknown): number {
  const v = value as Record<string, Record<string, unknown[]> | undefined>;
  const json = v['netconf-simulator:reply-size']?.entry;
  const plain = v['reply-size']?.entry;
  return (json ?? plain ?? []).length;
}

async function libraryClient(port: number, kind: string): Promise<Client> {
  const session = await connectSsh({
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: 'admin',
    verifyHostKey: false,
  });
  const m = new Manager(session, { timeout: 900 });
  if (kind.startsWith('json')) await m.loadYang();
  return {
    async request(bytes: number): Promise<number> {
      const reply = await m.getConfig({ filter: filterFor(bytes) });
      if (kind === 'xml') return reply.dataXml.length > 0 ? 1 : 0;
      if (kind === 'data') return entriesOf(await reply.getData());
      if (kind === 'json-sync') return entriesOf(reply.json);
      return entriesOf(await reply.getJson());
    },
    close: () => m.close(),
  };
}

async function nodeRedClient(port: number): Promise<Client> {
  const runtime = await startNodeRedRuntime();
  const flow = simulatorGetFlow(port, 'json');
  const [get, out] = await runtime.load(flow, ADMIN, ['get', 'out']);
  let waiter: ((msg: Record<string, unknown>) => void) | undefined;
  out.on('input', (msg) => waiter?.(msg));
  return {
    async request(bytes: number): Promise<number> {
      const got = new Promise<Record<string, unknown>>((r) => (waiter = r));
      get.receive({ payload: 'go', netconf: { filter: filterFor(bytes) } });
      const msg = await got;
      if (msg.error) throw new Error(`netconf-get failed: ${JSON.stringify(msg.error)}`);
      return entriesOf(msg.payload);
    },
    async close(): Promise<void> {
      await runtime.unload();
      await runtime.stop();
    },
  };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const kind = a.client ?? 'json';
  const bytes = Math.round(Number(a.mb ?? 10) * 1e6);
  const reps = Number(a.reps ?? 2);
  const { child, port } = await forkSimulator();
  try {
    const c = kind === 'nodered-json' ? await nodeRedClient(port) : await libraryClient(port, kind);
    gc();
    const baseRss = currentRss();
    const resettable = resetPeakRss();
    // Warm-up: the first request also loads the node's YANG (Node-RED) and warms the JIT.
    await c.request(Math.min(bytes, 2e6));
    gc();
    const loop = new LoopDelay();
    const times: number[] = [];
    let maxLoopDelayMs = 0;
    let entries = 0;
    for (let i = 0; i < reps; i++) {
      loop.start();
      const t0 = performance.now();
      entries = await c.request(bytes);
      times.push(performance.now() - t0);
      await LoopDelay.settle();
      maxLoopDelayMs = Math.max(maxLoopDelayMs, loop.stop());
      if (i < reps - 1) gc();
    }
    const peak = peakRss();
    await c.close();
    emit({
      client: kind,
      bytes,
      ms: median(times),
      times,
      entries,
      baseRss,
      peakRss: peak,
      resettable,
      maxLoopDelayMs,
    });
  } finally {
    child.send('exit');
  }
}

runMain(main);
