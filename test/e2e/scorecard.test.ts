/**
 * The Flow Library's scorecard (node-red-dev validate) on the packed package: every check must
 * pass. The work is done by scripts/scorecard.js, which CI can also run on its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { ROOT } from './harness';

it('passes every Flow Library scorecard check', { timeout: 300000 }, () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'scorecard.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 280000,
  });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, `scorecard failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /scorecard: (\d+)\/\1 checks passed/);
});
