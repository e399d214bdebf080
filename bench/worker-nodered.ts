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
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { connectSsh, Manager } from '../src/index';
import { emit, parseArgs, runMain } from './common';

interface HelperNode {
  on(event: 'input', f: (msg: Record<string, unknown>) => void): void;
  receive(msg: Record<string, unknown>): void;
}
interface Helper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  load(
    nodes: unknown[],
    flow: Record<string, unknown>[],
    credentials?: Record<string, Record<string, string>>,
  ): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): HelperNode | null;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
}

function startSimulator(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'worker-sessions.js'), ['--serve']);
  return new Promise((res) => child.once('message', (m) => res({ child, port: (m as { port: number }).port })));
}

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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helper = require('node-red-node-test-helper') as Helper;
  helper.init(require.resolve('node-red'), { logging: { console: { level: 'off' } } });
  const nodesDir = resolve(__dirname, '..', 'nodes');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const modules = ['netconf-device', 'netconf-get'].map((name) => require(join(nodesDir, `${name}.js`)) as unknown);
  await helper.startServer();
  const flow = [
    {
      id: 'dev',
      type: 'netconf-device',
      host: '127.0.0.1',
      port: String(port),
      transport: 'ssh',
      verifyHostKey: false,
      queueSize: String(inflight * 4),
    },
    {
      id: 'get',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      output: 'xml',
      wires: [['out']],
    },
    { id: 'out', type: 'helper' },
  ];
  await helper.load(modules, flow, { dev: { username: 'admin', password: 'admin' } });
  // The test helper wraps Node.prototype's send/status/log... in sinon spies that record every
  // call (a cost per message, and memory that grows with the run) - a test harness's cost that a
  // real Node-RED runtime does not have. Restore the runtime's own methods for the timed run.
  (helper as unknown as { _sandbox: { restore(): void } })._sandbox.restore();
  const get = helper.getNode('get');
  const out = helper.getNode('out');
  if (!get || !out) throw new Error('the flow did not load');
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
  await helper.unload();
  await helper.stopServer();
  return rps;
}

async function main(): Promise<void> {
  const a = parseArgs();
  const n = Number(a.n ?? 5000);
  const inflight = Number(a.inflight ?? 64);
  const { child, port } = await startSimulator();
  try {
    const libraryRps = await library(port, n, inflight);
    const nodeRps = await nodeRed(port, n, inflight);
    emit({ n, inflight, libraryRps, nodeRps });
  } finally {
    child.send('exit');
  }
}

runMain(main);
