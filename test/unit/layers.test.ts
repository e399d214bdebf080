/**
 * The layering of the code, checked from the import graph: every .ts file under src/, nodes/ and
 * simulator/ is read, its `import ... from`, `export ... from`, `import(...)` and `require(...)`
 * of relative paths are resolved, and an import of a higher layer, a forbidden path or an import
 * cycle fails the test. The tables below are the architecture; adjust them there, not in the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix, join, relative, resolve, sep } from 'node:path';

/** Library layers, bottom-up: a file may import its own layer or a lower one. First match wins. */
const LAYERS: { name: string; paths: string[] }[] = [
  {
    name: 'base',
    paths: ['src/framing.ts', 'src/xml/', 'src/namespaces.ts', 'src/errors.ts', 'src/logger.ts', 'src/timeout.ts'],
  },
  { name: 'transport', paths: ['src/transport/'] },
  { name: 'session', paths: ['src/session/'] },
  { name: 'pool/diff', paths: ['src/pool', 'src/diff/'] },
  { name: 'public entry', paths: ['src/index.ts'] },
  // Everything else in src/ (operations/, manager.ts, transaction.ts, yang/, schema-loader.ts, ...).
  { name: 'manager', paths: ['src/'] },
  { name: 'nodes', paths: ['nodes/'] },
];
/** Rank of each layer name, bottom = 0 (the table above lists "manager" late only as a catch-all). */
const ORDER = ['base', 'transport', 'session', 'manager', 'pool/diff', 'public entry', 'nodes'];

/**
 * Imports a file may make at all, whatever the layers: nodes use the library only through its
 * public entry; the simulator uses only the public entry and the wire-format modules, never the
 * session/Manager/transport code, so a bug shared by client and server cannot hide on both sides.
 */
const ALLOWED: { from: string; to: string[]; why: string }[] = [
  { from: 'nodes/', to: ['nodes/', 'src/index.ts'], why: 'nodes import the library only via src/index' },
  {
    from: 'simulator/',
    to: ['simulator/', 'src/index.ts', 'src/framing.ts', 'src/xml/', 'src/namespaces.ts'],
    why: 'the simulator imports only the public entry and the framing/XML/namespace modules',
  },
  { from: 'src/', to: ['src/'], why: 'the library never imports nodes/ or simulator/' },
];

const ROOTS = ['src', 'nodes', 'simulator'];

interface Edge {
  from: string;
  to: string;
}

const starts = (file: string, prefixes: string[]): boolean => prefixes.some((p) => file === p || file.startsWith(p));

function layerOf(file: string): string | undefined {
  return LAYERS.find((l) => starts(file, l.paths))?.name;
}

/** Relative specifiers imported by a source text (package and node: imports are not ours). */
export function importsOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  const found = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
  return found.filter((spec) => spec.startsWith('.'));
}

/** Resolves a relative import of `file` to a file in the set (x.ts, x/index.ts), or the bare path. */
function resolveImport(file: string, spec: string, files: Map<string, string>): string {
  const base = posix.normalize(posix.join(posix.dirname(file), spec.replace(/\.js$/, '')));
  const candidates = [base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => files.has(c)) ?? base;
}

export function edgesOf(files: Map<string, string>): Edge[] {
  return [...files].flatMap(([from, text]) =>
    importsOf(text).map((spec) => ({ from, to: resolveImport(from, spec, files) })),
  );
}

/** Every import that breaks the layer order or the allowed-imports table, as readable lines. */
export function layerViolations(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const { from, to } of edgesOf(files)) {
    const rule = ALLOWED.find((r) => from.startsWith(r.from));
    if (rule && !starts(to, rule.to)) out.push(`${from} -> ${to}: ${rule.why}`);
    const a = layerOf(from);
    const b = layerOf(to);
    if (a && b && ORDER.indexOf(b) > ORDER.indexOf(a))
      out.push(`${from} -> ${to}: layer "${a}" imports higher layer "${b}"`);
  }
  return out;
}

/** Import cycles (strongly connected components of more than one file, or a self-import), Tarjan. */
export function importCycles(files: Map<string, string>): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edgesOf(files)) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of files.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts'))
        files.set(relative(root, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  for (const top of ROOTS) if (existsSync(join(root, top))) walk(join(root, top));
  return files;
}

// Compiled to dist/test/unit/, so the repository root is three levels up.
const REPO = resolve(__dirname, '..', '..', '..');

test('the repository imports follow the layers', () => {
  const files = readSources(REPO);
  assert.ok(files.has('src/index.ts') && files.has('simulator/index.ts'), `sources not found under ${REPO}`);
  assert.deepEqual(layerViolations(files), []);
});

test('the repository has no import cycle', () => {
  assert.deepEqual(importCycles(readSources(REPO)), []);
});

test('the checker reports an upward import, a forbidden import and a cycle (fake file set)', () => {
  const fake = new Map<string, string>([
    ['src/framing.ts', "import { x } from '../nodes/x';\nexport const y = 1;\n"],
    ['src/transport/ssh.ts', "import type { Session } from '../session/session';\n"],
    ['src/session/session.ts', "import { S } from '../transport/ssh';\nconst m = require('../manager');\n"],
    ['src/manager.ts', "export { T } from './transaction';\n"],
    ['src/transaction.ts', "import { Manager } from './manager';\n"],
    ['src/index.ts', "export * from './manager';\n"],
    ['nodes/x.ts', "import { Manager } from '../src/manager';\nimport { ok } from '../src/index';\n"],
    ['simulator/server.ts', "import { frame } from '../src/framing';\nimport { s } from '../src/session/session';\n"],
  ]);
  assert.deepEqual(layerViolations(fake).sort(), [
    'nodes/x.ts -> src/manager.ts: nodes import the library only via src/index',
    'simulator/server.ts -> src/session/session.ts: the simulator imports only the public entry and the framing/XML/namespace modules',
    'src/framing.ts -> nodes/x.ts: layer "base" imports higher layer "nodes"',
    'src/framing.ts -> nodes/x.ts: the library never imports nodes/ or simulator/',
    'src/session/session.ts -> src/manager.ts: layer "session" imports higher layer "manager"',
    'src/transport/ssh.ts -> src/session/session.ts: layer "transport" imports higher layer "session"',
  ]);
  assert.deepEqual(importCycles(fake).sort(), [
    ['src/manager.ts', 'src/transaction.ts'],
    ['src/session/session.ts', 'src/transport/ssh.ts'],
  ]);
});
