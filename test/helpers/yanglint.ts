/**
 * Runs libyang's `yanglint` (Debian libyang2-tools) for the fidelity tests. Under CI (env
 * CI=true) a missing yanglint is a failure; locally the tests skip with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const YANGLINT_MISSING = (() => {
  const r = spawnSync('yanglint', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'yanglint not found (apt-get install libyang2-tools)';
})();

/** Test option: skip locally without yanglint, never under CI (the test then fails on the run). */
export function yanglintSkip(): string | false {
  return YANGLINT_MISSING && process.env.CI !== 'true' ? YANGLINT_MISSING : false;
}

/** Runs yanglint; throws (with its messages) on a non-zero exit. */
export function yanglint(args: string[]): string {
  return execFileSync('yanglint', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: '/tmp' },
  });
}
