/**
 * Node-RED: messages per second through a netconf-get node vs the same RPCs through the library.
 *
 *   node dist/bench/worker-nodered.js --n 5000 --inflight 64
 *
 * The device simulator runs in a child process (worker-sessions.js --serve). Both paths send the
 * same <get-config> of running (output: XML) with `inflight` outstanding: the library with
 * Manager.getConfig() loops, Node-RED by feeding the netconf-get node a new message whenever one
 * comes out (runtime: node-red-node-test-helper, the real Node-RED runtime without the editor).
 */
import { connectSsh, Manager } from '../src/index';
import { emit, parseArgs, runMain } from './common';
import { ADMIN, forkSimulator, simulatorGetFlow, startNodeRedRuntime } from './nodered-runtime';

async function library(port: number, n: number, inflight: number): Promise<number> {
  const s = await connectSsh({ host: '127.0.0.1', port, username: 'admin', password: 'admin', verifyHostKey: false });
  const m = new Manager(s);
  for (let i = 0; i < 200; i++) await m.getConfig({ source: 'running' }).then((r) => r.dataXml);
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (issued < n) {
        issued++;
        const r = await m.getConfig({ source: 'running' });
        void r.dataXml;
      }
    }),
  );
  const rps = n / ((performance.now() - t0) / 1000);
  await m.close();
  return rps;
}

async function nodeRed(port: number, n: number, inflight: number): Promise<number> {
  const runtime = await startNodeRedRuntime();
  const flow = simulatorGetFlow(port, 'xml', { queueSize: String(inflight * 4) });
  const [get, out] = await runtime.load(flow, ADMIN, ['get', 'out']);
  let received = 0;
  let sent = 0;
  let onDone!: () => void;
  let target = 0;
  let t0 = 0;
  const finished = new Promise<void>((r) => (onDone = r));
  out.on('input', (msg) => {
    if (msg.error) throw new Error(`netconf-get failed: ${JSON.stringify(msg.error)}`);
    received++;
    if (received === 200) {
      // Warm-up done: now the timed run with `inflight` outstanding.
      t0 = performance.now();
      target = 200 + n;
      for (let i = 0; i < inflight; i++) send();
    } else if (received === target) onDone();
    else if (received < 200) send();
    else if (sent < target) send();
  });
  const send = (): void => {
    sent++;
    get.receive({ payload: sent });
  };
  send(); // warm-up: 200 one at a time (the first also opens the session)
  await finished;
  const rps = n / ((performance.now() - t0) / 1000);
  await runtime.unload();
  await runtime.stop();
  return rps;
}

async function main(): Promise<void> {
  const a = parseArgs();
  const n = Number(a.n ?? 5000);
  const inflight = Number(a.inflight ?? 64);
  const { child, port } = await forkSimulator();
  try {
    const libraryRps = await library(port, n, inflight);
    const nodeRps = await nodeRed(port, n, inflight);
    emit({ n, inflight, libraryRps, nodeRps });
  } finally {
    child.send('exit');
  }
}

runMain(main);
