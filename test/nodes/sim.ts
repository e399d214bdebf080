/** The device simulator for node tests: start, restart on the same port and key, and flow pieces. */
import { NetconfSimulator } from '../../simulator/server';
import type { SimulatorOptions } from '../../simulator/options';
import type { FlowNode } from './helper';
import { sshKeyPair } from '../helpers/ssh-keys';

export { NetconfSimulator };

/** One host key for all simulators of a run, so a restarted simulator keeps its fingerprint. */
const hostKey = sshKeyPair().private;

export async function startSimulator(options: SimulatorOptions = {}): Promise<NetconfSimulator> {
  return new NetconfSimulator({ hostKey, users: { admin: 'admin' }, ...options }).listen();
}

/** A netconf-device node pinned to the simulator's host key. */
export function simDevice(sim: NetconfSimulator, id = 'dev', extra: Record<string, unknown> = {}): FlowNode {
  return {
    id,
    type: 'netconf-device',
    name: `sim-${id}`,
    transport: 'ssh',
    host: '127.0.0.1',
    port: String(sim.port),
    hostFingerprint: sim.hostFingerprint,
    verifyHostKey: true,
    connectTimeout: '5',
    rpcTimeout: '10',
    keepalive: '0',
    reconnectMax: '2',
    queueSize: '100',
    queueTimeout: '10',
    ...extra,
  };
}

export const adminCredentials = { username: 'admin', password: 'admin' };

/** Records the operations the simulator receives and how sessions end. */
export function watch(sim: NetconfSimulator): { rpcs: string[]; ends: { id: number; closeSession: boolean }[] } {
  const seen = { rpcs: [] as string[], ends: [] as { id: number; closeSession: boolean }[] };
  sim.on('rpc', (_id: number, op: string) => seen.rpcs.push(op));
  sim.on('session-end', (id: number, end: { closeSession: boolean }) =>
    seen.ends.push({ id, closeSession: end.closeSession }),
  );
  return seen;
}
