/** Benchmark 3: many idle sessions against the simulator, RSS per session on both sides. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { attempt, runWorker } from './child';
import { smoke } from './options';
import { ROOT, W } from './paths';
import { f0, f2, num, say, table, target } from './report';

export async function sessions(): Promise<void> {
  say('## 3. Many sessions (simulator)');
  say();
  const worker = W('sessions');
  if (!existsSync(worker) || !existsSync(join(ROOT, 'dist', 'simulator', 'index.js'))) {
    say('Not yet measured: the simulator (dist/simulator) or the sessions worker is missing.');
    say();
    target('idle session at most 2 MB RSS', undefined, 'not yet measured');
    return;
  }
  const count = smoke ? 20 : 500;
  const r = await attempt(`sessions: ${count} at once`, () =>
    runWorker('node', ['--expose-gc', worker, '--sessions', String(count)]),
  );
  const perSession = num(r, 'rssPerSession');
  table(
    ['sessions', 'connect all (s)', 'RSS per idle session (client) KB', 'RSS per idle session (server) KB'],
    [[String(count), f2(num(r, 'connectSeconds')), f0(perSession / 1024), f0(num(r, 'serverRssPerSession') / 1024)]],
  );
  target('idle session at most 2 MB RSS', perSession <= 2 * 1024 * 1024, `${f0(perSession / 1024)} KB`);
}
