/** Benchmark 4: the netconf-get node in a Node-RED runtime against the library alone. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { attempt, runWorker } from './child';
import { smoke } from './options';
import { ROOT, W } from './paths';
import { f0, num, say, table, target } from './report';

export async function nodered(): Promise<void> {
  say('## 4. Node-RED (netconf-get node vs the library)');
  say();
  const worker = W('nodered');
  if (!existsSync(worker) || !existsSync(join(ROOT, 'dist', 'nodes', 'netconf-get.js'))) {
    say('Not yet measured: the netconf-get node or its benchmark worker is missing.');
    say();
    target('Node-RED at least 80% of the library', undefined, 'not yet measured');
    return;
  }
  const n = smoke ? 100 : 5000;
  const r = await attempt('node-red: netconf-get vs library', () => runWorker('node', [worker, '--n', String(n)]));
  table(
    ['path', 'msgs or RPCs / s'],
    [
      ['library (Manager.getConfig)', f0(num(r, 'libraryRps'))],
      ['Node-RED netconf-get node', f0(num(r, 'nodeRps'))],
    ],
  );
  const ratio = num(r, 'nodeRps') / num(r, 'libraryRps');
  target('Node-RED at least 80% of the library', ratio >= 0.8, `${f0(100 * ratio)}%`);
}
