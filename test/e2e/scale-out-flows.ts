/**
 * The scale-out examples (examples/10-scale-out-dispatcher.json, 11-scale-out-worker.json) as the
 * e2e test and the bench deploy them: each on a tab of its own, the "demo broker" pointed at the
 * test's mosquitto, the dispatcher's inventory and settings replaced, the worker's fleet device
 * given credentials, and the worker's name set in the tab's environment (NETCONF_WORKER).
 * Nothing else of the examples is changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

export const DISPATCHER = {
  plan: 'd100000000000003',
  inject: 'd100000000000002',
  result: 'd100000000000008',
  summary: 'd100000000000009',
  duplicates: 'd100000000000011',
} as const;
export const WORKER = { jobs: 'e110000000000002' } as const;
export const BROKER_ID = 'a1b2c3d4e5f60003';
export const FLEET_ID = 'a1b2c3d4e5f60002';
export const REPLY_TOPIC = 'netconf/results/dispatcher-1';

export interface JobSettings {
  operation?: string;
  args?: Record<string, unknown>;
  deadlineSeconds?: number;
  maxAttempts?: number;
  inFlight?: number;
  replyTopic?: string;
}

export function loadExample(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as FlowNode[];
}

/** Config nodes stay global (no z); flow nodes go on the tab. */
function onTab(nodes: FlowNode[], tab: FlowNode, brokerPort: number): FlowNode[] {
  return [
    tab,
    ...nodes.map((n) => {
      if (n.id === BROKER_ID) return { ...n, broker: '127.0.0.1', port: String(brokerPort) };
      if (n.type === 'mqtt-broker' || n.type === 'netconf-device') return n;
      return { ...n, z: tab.id };
    }),
  ];
}

export function dispatcherFlow(brokerPort: number, inventory: unknown[], settings: JobSettings): FlowNode[] {
  const nodes = loadExample('10-scale-out-dispatcher.json').map((n) => {
    if (n.id !== DISPATCHER.inject) return n;
    const props = (n.props as { p: string; v?: string; vt?: string }[]).map((p) =>
      p.p === 'jobs' ? { ...p, v: JSON.stringify({ ...(JSON.parse(p.v ?? '{}') as object), ...settings }) } : p,
    );
    return { ...n, props, payload: JSON.stringify(inventory) };
  });
  return onTab(nodes, { id: 'dispatcher-tab', type: 'tab', label: 'dispatcher' }, brokerPort);
}

export function workerFlow(
  brokerPort: number,
  name: string,
  credentials: { username: string; password: string },
  fleet: Record<string, string> = {},
): FlowNode[] {
  const nodes = loadExample('11-scale-out-worker.json').map((n) =>
    n.id === FLEET_ID ? { ...n, ...fleet, credentials } : n,
  );
  const tab = {
    id: 'worker-tab',
    type: 'tab',
    label: name,
    env: [{ name: 'NETCONF_WORKER', value: name, type: 'str' }],
  };
  return onTab(nodes, tab, brokerPort);
}

/** The dispatcher's summary message (see the "send jobs" function of example 10). */
export interface Summary {
  run: string;
  jobs: number;
  ok: number;
  failed: { device: string; code: string; message: string }[];
  byWorker: Record<string, number>;
  republished: number;
  duplicatesDropped: number;
  seconds: number;
  results: { device: string; ok: boolean; worker?: string; attempts: number }[];
}

/** One accepted result (the dispatcher's "result" debug node). */
export interface JobResult {
  jobId: string;
  device: string;
  ok: boolean;
  worker: string;
  attempts: number;
  error?: { code: string; message: string };
}
