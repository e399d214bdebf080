/**
 * node-red-node-test-helper, typed for these tests (it ships no types), plus the compiled node
 * modules and small utilities: waiting for a message or status with a deadline, flows with a
 * Catch node.
 */
import * as path from 'node:path';
import type { NodeAPI, NodeMessage, NodeStatus } from '../../nodes/shared/red-types';

export interface HelperNode {
  id: string;
  type: string;
  credentials?: Record<string, string>;
  on(event: 'input', handler: (msg: NodeMessage) => void): void;
  on(event: `call:${string}`, handler: (call: { args: unknown[] }) => void): void;
  removeListener(event: string, handler: (...args: never[]) => void): void;
  receive(msg: NodeMessage): void;
}

interface AdminReply {
  status: number;
  body: Record<string, unknown>;
}
interface AdminRequestChain extends PromiseLike<AdminReply> {
  send(body: unknown): AdminRequestChain;
  set(header: string, value: string): AdminRequestChain;
}

export interface TestHelper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: NodeModule[], flow: FlowNode[], credentials?: Record<string, Record<string, string>>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): HelperNode | null;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  setFlows(
    flow: FlowNode[],
    type: 'full' | 'flows' | 'nodes',
    credentials?: Record<string, Record<string, string>>,
  ): Promise<void>;
  request(): { post(url: string): AdminRequestChain; get(url: string): AdminRequestChain };
  _redNodes: { getFlows(): { flows: FlowNode[] }; getCredentials(id: string): Record<string, string> | undefined };
}

export type NodeModule = (RED: NodeAPI) => void | Promise<void>;
export type FlowNode = Record<string, unknown> & { id: string; type: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper') as TestHelper;
helper.init(require.resolve('node-red'), { logging: { console: { level: 'off' } } });

const nodesDir = path.resolve(__dirname, '../../nodes');

/** Node-RED's message catalogs (i18next), which the runtime gives each node set as RED._. */
interface RedI18n {
  init(settings: Record<string, unknown>): void;
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, substitutions?: Record<string, string | number>): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i18n } = require('@node-red/util') as { i18n: RedI18n };
i18n.init({ lang: 'en-US' });
/** Core nodes' catalog, for keys such as node-red:common.status.connected. */
const coreCatalog = i18n.registerMessageCatalog(
  'node-red',
  path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'locales'),
  'messages.json',
);

/**
 * The test helper hands nodes a RED._ that returns the key untranslated. Node-RED itself
 * registers each node set's nodes/locales/<lang>/<file>.json under the set's id and prefixes keys
 * without a namespace with it (@node-red/registry: loadNodeLocales, createNodeApi); this does the
 * same, so the tests see the texts users see. Loading returns a promise, which the helper awaits
 * before it starts the flows.
 */
function load(name: string): NodeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const register = require(path.join(nodesDir, `${name}.js`)) as NodeModule;
  const namespace = `node-red-contrib-netconf/${name}`;
  const catalog = i18n.registerMessageCatalog(namespace, path.join(nodesDir, 'locales'), `${name}.json`);
  const translate = (key: string, substitutions?: Record<string, string | number>): string =>
    i18n._(key.includes(':') ? key : `${namespace}:${key}`, substitutions);
  return (RED) =>
    Promise.all([coreCatalog, catalog]).then(() =>
      register(Object.assign(Object.create(RED) as NodeAPI, { _: translate })),
    );
}

export const NODE_TYPES = [
  'netconf-device',
  'netconf-callhome',
  'netconf-get',
  'netconf-edit-config',
  'netconf-commit',
  'netconf-lock',
  'netconf-rpc',
  'netconf-notification',
  'netconf-diff',
] as const;

export const allNodes: NodeModule[] = NODE_TYPES.map(load);

/** The netconf-ssh-jump config node (not in NODE_TYPES: those tests treat every other type as a flow node). */
export const sshJumpNode: NodeModule = load('netconf-ssh-jump');

/** Node-RED's core nodes by file under @node-red/nodes/core (e.g. 'common/20-inject.js'), for flows that use them. */
export function coreNodes(...files: string[]): NodeModule[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.map((f) => require(require.resolve(`@node-red/nodes/core/${f}`)) as NodeModule);
}

/** The core TLS config node, which the device node uses for TLS. */
export function tlsNode(): NodeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('@node-red/nodes/core/network/05-tls.js')) as NodeModule;
}

/**
 * One listener per node feeding a queue. (Removing an input listener while Node-RED dispatches a
 * message makes it skip the next listener, so tests never add and remove listeners per message.)
 */
interface Inbox {
  queue: NodeMessage[];
  waiters: ((msg: NodeMessage) => void)[];
  all: NodeMessage[];
}
const inboxes = new WeakMap<HelperNode, Inbox>();

function inbox(node: HelperNode): Inbox {
  let box = inboxes.get(node);
  if (!box) {
    const created: Inbox = { queue: [], waiters: [], all: [] };
    node.on('input', (msg: NodeMessage) => {
      created.all.push(msg);
      const waiter = created.waiters.shift();
      if (waiter) waiter(msg);
      else created.queue.push(msg);
    });
    inboxes.set(node, created);
    box = created;
  }
  return box;
}

/** Starts recording a node's messages now (so none sent before the first nextMessage() is lost). */
export function listen(node: HelperNode): void {
  inbox(node);
}

/** Resolves with the next message a node receives (queued ones first), or rejects after `ms`. */
export function nextMessage(node: HelperNode, ms = 5000): Promise<NodeMessage> {
  const box = inbox(node);
  const queued = box.queue.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve, reject) => {
    const waiter = (msg: NodeMessage): void => {
      clearTimeout(timer);
      resolve(msg);
    };
    const timer = setTimeout(() => {
      const i = box.waiters.indexOf(waiter);
      if (i >= 0) box.waiters.splice(i, 1);
      reject(new Error(`no message at ${node.id} within ${ms} ms`));
    }, ms);
    box.waiters.push(waiter);
  });
}

/** Every message a node has received since recording started (a live array). */
export function collect(node: HelperNode): NodeMessage[] {
  return inbox(node).all;
}

/** The message a node receives after it has received `index` messages, waiting up to `ms`. */
export async function nth(node: HelperNode, index: number, ms = 8000): Promise<NodeMessage> {
  const all = collect(node);
  await until(() => all.length > index, ms, `message ${index + 1} at ${node.id}`);
  return all[index];
}

/** Records the statuses a node sets, in order. */
export function statuses(node: HelperNode): NodeStatus[] {
  const seen: NodeStatus[] = [];
  node.on('call:status', (call) => seen.push(call.args[0] as NodeStatus));
  return seen;
}

/** Waits until `predicate` is true, polling, or fails after `ms`. */
export async function until(predicate: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const TAB = 'tab1';
const CONFIG_TYPES = new Set(['netconf-device', 'netconf-callhome', 'tls-config', 'netconf-ssh-jump']);

/** A flow tab with a Catch node (c) wired to a helper node (caught) and an output helper (out). */
export function baseFlow(...nodes: FlowNode[]): FlowNode[] {
  return [
    { id: TAB, type: 'tab', label: 'test' },
    // x and y make them flow nodes: without them the runtime takes a node for a config node.
    { id: 'catch', type: 'catch', z: TAB, x: 0, y: 0, scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: TAB, x: 0, y: 0, wires: [] },
    { id: 'out', type: 'helper', z: TAB, x: 0, y: 0, wires: [] },
    ...nodes.map((n) => (CONFIG_TYPES.has(n.type) ? n : { z: TAB, x: 0, y: 0, ...n })),
  ];
}
