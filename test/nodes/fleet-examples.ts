/**
 * Running the fleet examples (06 fleet backup, 12 fleet backup on change) on simulators: the
 * example as a user imports it, with its "demo fleet" device (Host empty) pinning the
 * simulators' keys through a known_hosts file, its inject nodes sending the test's inventory (the
 * simulators and one unreachable device) and its debug nodes replaced by helper nodes.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../helpers/free-port';
import { allNodes, coreNodes, helper, TAB, type FlowNode } from './helper';
import { adminCredentials, type NetconfSimulator } from './sim';

export const root = path.resolve(__dirname, '../../..');

/** The demo fleet device's id, shared by the fleet examples and scripts/demo-fleet.js. */
export const FLEET_ID = 'a1b2c3d4e5f60002';

/** The core nodes the fleet examples use (the join node lives in the same core file as split). */
const CORE = [
  'common/20-inject.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/15-change.js',
  'sequence/17-split.js',
  'storage/10-file.js',
];

export function readExample(name: string): FlowNode[] {
  return JSON.parse(readFileSync(path.join(root, 'examples', `${name}.json`), 'utf8')) as FlowNode[];
}

export interface FleetSetting {
  knownHosts: string;
  inventory: { host: string; port: number; name: string }[];
}

/** Writes a known_hosts file for `sims` into `dir`; the inventory: dev-<i> per simulator, then `unreachable`. */
export async function fleetSetting(sims: NetconfSimulator[], dir: string): Promise<FleetSetting> {
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, sims.map((s) => `[127.0.0.1]:${s.port} ${s.hostPublicKey}\n`).join(''));
  const inventory = [
    ...sims.map((s, i) => ({ host: '127.0.0.1', port: s.port, name: `dev-${i}` })),
    { host: '127.0.0.1', port: await freePort(), name: 'unreachable' },
  ];
  return { knownHosts, inventory };
}

/**
 * The example's nodes on the test tab, set as the module says; `patch` may replace any other node
 * (return undefined to keep it).
 */
export function fleetExampleFlow(
  example: FlowNode[],
  setting: FleetSetting,
  patch: (n: FlowNode) => FlowNode | undefined = () => undefined,
): FlowNode[] {
  return example.map((n): FlowNode => {
    if (n.type === 'netconf-device') {
      assert.deepEqual([n.id, n.name, n.host], [FLEET_ID, 'demo fleet', '']);
      return { ...n, knownHostsFile: setting.knownHosts };
    }
    if (n.type === 'debug') return { id: n.id, type: 'helper', z: TAB, wires: [] };
    // An inject node sends its own payload, whatever the message it receives.
    if (n.type === 'inject') return { ...n, z: TAB, payload: JSON.stringify(setting.inventory) };
    return patch(n) ?? { ...n, z: TAB };
  });
}

/** Loads the patched example with the core nodes it uses and the fleet device's credentials. */
export async function loadFleetExample(flow: FlowNode[]): Promise<void> {
  await helper.load([...allNodes, ...coreNodes(...CORE)], [{ id: TAB, type: 'tab', label: 'example' }, ...flow], {
    [FLEET_ID]: adminCredentials,
  });
}
