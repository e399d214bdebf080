/**
 * docs/ARCHITECTURE.md stays true: every file or folder path it writes in backticks exists in the
 * repository. A path is a backticked word with a `/` or a file extension; placeholders such as
 * `nodes/<type>.ts` and build output under `dist/` are not checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Compiled to dist/test/unit/: the repository root is three levels up.
const ROOT = resolve(__dirname, '../../..');

/** The paths a Markdown text names in backticks (inline code spans only). */
export function docPaths(markdown: string): string[] {
  const spans = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\s]+)`/g)].map((m) => m[1]);
  const isPath = (s: string): boolean =>
    /^[\w.-]+(\/[\w.-]*)+$/.test(s) || /^[\w.-]+\.(ts|md|html|json|js|mjs)$/.test(s);
  return [...new Set(spans.filter((s) => isPath(s) && !s.startsWith('dist/') && !s.includes('<')))];
}

test('every path named in docs/ARCHITECTURE.md exists', () => {
  const paths = docPaths(readFileSync(resolve(ROOT, 'docs/ARCHITECTURE.md'), 'utf8'));
  assert.ok(paths.length > 50, `only ${paths.length} paths found: the pattern no longer matches the document`);
  const missing = paths.filter((p) => !existsSync(resolve(ROOT, p)));
  assert.deepEqual(missing, [], `named in docs/ARCHITECTURE.md but not in the repository: ${missing.join(', ')}`);
});

test('the path finder sees paths, skips placeholders, build output and code blocks', () => {
  const md =
    'See `src/a.ts`, `nodes/<type>.ts`, `dist/nodes/`, `README.md`, `msg.netconf`, `get()`.\n```\n`src/x.ts`\n```';
  assert.deepEqual(docPaths(md), ['src/a.ts', 'README.md']);
});
