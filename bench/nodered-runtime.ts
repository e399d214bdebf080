/**
 * What the Node-RED benches share: Node-RED's runtime without the editor
 * (node-red-node-test-helper) with this package's netconf-device and netconf-get modules, flows
 * loaded with the helper's sinon spies removed, and the device simulator in a child process
 * (worker-sessions.js --serve), so the bench process holds only the client.
 *
 * The runtime is required when first started, not on import: a worker that times the library
 * alone never loads Node-RED (its RSS stays the library's).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export type Msg = Record<string, unknown>;

export interface RuntimeNode {
  on(event: 'input', f: (msg: Msg) => void): void;
  receive(msg: Msg): void;
}

interface Helper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  load(nodes: unknown[], flow: object[], credentials?: Record<string, Record<string, string>>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): RuntimeNode | null;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  _sandbox: { restore(): void };
}

export interface NodeRedRuntime {
  /**
   * Starts `flow` (with `credentials` by node id) and resolves with its nodes `ids`. The test
   * helper wraps Node.prototype's send/status/log... in sinon spies that record every call (a
   * cost per message, and memory that grows with the run): a test harness's cost that a real
   * Node-RED runtime does not have, so the runtime's own methods are restored for the timed run.
   */
  load(
    flow: object[],
    credentials: Record<string, Record<string, string>>,
    ids: readonly string[],
  ): Promise<RuntimeNode[]>;
  /** Stops the flow (as a redeploy would: its nodes close). */
  unload(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Node-RED's runtime with the netconf-device and netconf-get nodes, logging off; `extraModules`:
 * more node modules to load (e.g. the core tls-config node, by its path).
 */
export async function startNodeRedRuntime(extraModules: readonly string[] = []): Promise<NodeRedRuntime> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helper = require('node-red-node-test-helper') as Helper;
  helper.init(require.resolve('node-red'), { logging: { console: { level: 'off' } } });
  const nodesDir = resolve(__dirname, '..', 'nodes');
  const paths = [...['netconf-device', 'netconf-get'].map((name) => join(nodesDir, `${name}.js`)), ...extraModules];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const modules = paths.map((path) => require(path) as unknown);
  await helper.startServer();
  return {
    async load(flow, credentials, ids) {
      await helper.load(modules, flow, credentials);
      helper._sandbox.restore();
      return ids.map((id) => {
        const node = helper.getNode(id);
        if (!node) throw new Error(`the flow did not load (no node ${id})`);
        return node;
      });
    },
    unload: () => helper.unload(),
    stop: () => helper.stopServer(),
  };
}

/**
 * The flow both request benches time: device `dev` on the simulator at `port` (host key not
 * checked, `device` settings on top), a netconf-get `get` (get-config of running, `output`) into
 * the helper node `out`. Credentials: { dev: admin/admin }.
 */
export function simulatorGetFlow(port: number, output: 'xml' | 'json', device: Msg = {}): object[] {
  return [
    {
      id: 'dev',
      type: 'netconf-device',
      host: '127.0.0.1',
      port: String(port),
      transport: 'ssh',
      verifyHostKey: false,
      ...device,
    },
    {
      id: 'get',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      output,
      wires: [['out']],
    },
    { id: 'out', type: 'helper' },
  ];
}

export const ADMIN = { dev: { username: 'admin', password: 'admin' } };

/** The device simulator in a child process (worker-sessions.js --serve); send it 'exit' to stop it. */
export function forkSimulator(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'worker-sessions.js'), ['--serve']);
  return new Promise((res) => child.once('message', (m) => res({ child, port: (m as { port: number }).port })));
}
