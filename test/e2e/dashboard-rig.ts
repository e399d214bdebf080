/**
 * The ops dashboard's test rig: the packed package and FlowFuse Dashboard 2.0 installed in a fresh
 * Node-RED user directory (as a user installs both from the palette), the demo fleet of
 * scripts/demo-fleet.js in this process on free ports (10 simulators, one flapping eth1) plus one
 * address where nothing listens, and examples/09-ops-dashboard.json deployed against them with
 * only its inventory changed (the ports) and the confirm timeout shortened through the
 * NETCONF_DASHBOARD_CONFIRM_TIMEOUT environment variable the example reads.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NetconfSimulator } from '../../simulator/server';
import { generateHostKey } from '../../simulator/ssh-listener';
import { createUserDir, freePort, NodeRed, ROOT, run } from './harness';
import type { NodeRedTarget } from './targets';

/** What scripts/demo-fleet.js exports (plain JavaScript, so typed here). */
interface DemoFleetModule {
  startDemoFleet(options: {
    root: string;
    userDir: string;
    hostKey: string;
    firstPort: number;
    flap: { everyMs: number; downMs: number };
  }): Promise<NetconfSimulator[]>;
  deviceName(i: number): string;
  FLEET_ID: string;
  FLAPPING: { device: number; interface: string };
}

export const demoFleet = createRequire(__filename)(path.join(ROOT, 'scripts', 'demo-fleet.js')) as DemoFleetModule;

export interface InventoryEntry {
  host: string;
  port: number;
  name: string;
}

export interface DashboardRig {
  nr: NodeRed;
  sims: NetconfSimulator[];
  inventory: InventoryEntry[];
  userDir: string;
  stop(): Promise<void>;
}

type FlowNode = Record<string, unknown> & { id: string; type: string };

const EXAMPLE = path.join(ROOT, 'examples', '09-ops-dashboard.json');
const TAB = 'e9tab00000000001';

/** The dashboard version the repository pins (its devDependency), installed from the npm cache. */
function dashboardSpec(): string {
  const file = path.join(ROOT, 'node_modules', '@flowfuse', 'node-red-dashboard', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  return `@flowfuse/node-red-dashboard@${version}`;
}

/** The example on a tab of its own, its inventory replaced, the fleet's credentials added. */
export function exampleFlows(inventory: InventoryEntry[]): FlowNode[] {
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as FlowNode[];
  const flows: FlowNode[] = [{ id: TAB, type: 'tab', label: 'ops dashboard' }];
  for (const n of example) {
    const placed: FlowNode = 'x' in n ? { ...n, z: TAB } : { ...n };
    if (n.type === 'inject' && n.name === 'inventory') placed.payload = JSON.stringify(inventory);
    if (n.id === demoFleet.FLEET_ID) placed.credentials = { username: 'admin', password: 'admin' };
    flows.push(placed);
  }
  return flows;
}

export async function startDashboardRig(
  target: NodeRedTarget,
  options: { confirmTimeoutS: number; flap: { everyMs: number; downMs: number } },
): Promise<DashboardRig> {
  const { userDir } = createUserDir('dash');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', dashboardSpec()], userDir, 300000);
  const sims = await demoFleet.startDemoFleet({
    root: ROOT,
    userDir,
    hostKey: generateHostKey(),
    firstPort: 0,
    flap: options.flap,
  });
  const inventory: InventoryEntry[] = sims.map((s, i) => ({
    host: '127.0.0.1',
    port: s.port,
    name: demoFleet.deviceName(i),
  }));
  inventory.push({ host: '127.0.0.1', port: await freePort(), name: 'unreachable-11' });
  const nr = new NodeRed({ userDir, nodeRedDir: target.nodeRedDir, nodeBin: target.nodeBin });
  // Node-RED inherits this process's environment: the example's confirm timeout, shortened.
  process.env.NETCONF_DASHBOARD_CONFIRM_TIMEOUT = String(options.confirmTimeoutS);
  try {
    await nr.start(60000);
  } finally {
    delete process.env.NETCONF_DASHBOARD_CONFIRM_TIMEOUT;
  }
  await nr.deploy(exampleFlows(inventory));
  return {
    nr,
    sims,
    inventory,
    userDir,
    async stop() {
      await nr.stop();
      await Promise.all(sims.map((s) => s.close()));
      if (!process.env.E2E_KEEP) fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
