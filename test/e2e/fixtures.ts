/** The demo device (the simulator, in this process) and facts about the installed package. */
import fs from 'node:fs';
import path from 'node:path';
import { startSimulator, type NetconfSimulator, type SessionEnd } from '../../simulator';

export interface DemoDevice {
  sim: NetconfSimulator;
  username: string;
  password: string;
  /** Session ids in the order they started. */
  started: number[];
  /** How each session ended. */
  ended: Map<number, SessionEnd>;
  close(): Promise<void>;
}

export async function startDemoDevice(opts: { notificationIntervalMs?: number } = {}): Promise<DemoDevice> {
  const username = 'admin';
  const password = 'e2e-Passw0rd';
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    users: { [username]: password },
    notificationIntervalMs: opts.notificationIntervalMs ?? 0,
  });
  const started: number[] = [];
  const ended = new Map<number, SessionEnd>();
  sim.on('session-start', (id: number) => started.push(id));
  sim.on('session-end', (id: number, end: SessionEnd) => ended.set(id, end));
  return {
    sim,
    username,
    password,
    started,
    ended,
    async close() {
      await sim.close();
    },
  };
}

/** The node types an installed package declares, split into config and other ("operation") types. */
export function ourNodeTypes(pkgDir: string): { operations: string[]; config: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    'node-red': { nodes: Record<string, string> };
  };
  const operations: string[] = [];
  const config: string[] = [];
  for (const file of Object.values(pkg['node-red'].nodes)) {
    const html = fs.readFileSync(path.join(pkgDir, file.replace(/\.js$/, '.html')), 'utf8');
    const re = /RED\.nodes\.registerType\(\s*['"]([^'"]+)['"]\s*,\s*\{[\s\S]*?category\s*:\s*['"]([^'"]+)['"]/g;
    for (let m = re.exec(html); m; m = re.exec(html)) (m[2] === 'config' ? config : operations).push(m[1]);
  }
  return { operations, config };
}
