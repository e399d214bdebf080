/** Where the benchmark finds the repository, the lab scripts, ncclient and its own workers. */
import { join, resolve } from 'node:path';

// Compiled to dist/bench/, so the repository root is two levels up.
export const ROOT = resolve(__dirname, '..', '..');
export const LAB_SCRIPTS = join(ROOT, 'test', 'interop', 'lab');
export const PY = '/usr/bin/python3';
export const NCCLIENT_BENCH = join(ROOT, 'bench', 'py', 'ncclient_bench.py');
export const W = (name: string): string => join(__dirname, `worker-${name}.js`);
export const MD_FILE = join(ROOT, 'BENCHMARKS.md');
