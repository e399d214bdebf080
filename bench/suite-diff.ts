/** Benchmark 6: the YANG-aware config diff of two 50,000-interface configurations (bench/diff.ts). */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { attempt, runWorker } from './child';
import { smoke } from './options';
import { f0, f1, f2, say, table, target, type R } from './report';

interface FormResult {
  diffMs: number;
  editMs: number;
  maxDelayMs: number;
  changes: number;
}

export async function diff(): Promise<void> {
  say('## 6. Config diff (diffConfig + toEditConfig, 300 changes)');
  say();
  const entries = smoke ? 2000 : 50000;
  const r: R | undefined = await attempt('config diff', () =>
    runWorker('node', [
      join(__dirname, 'diff.js'),
      '--entries',
      String(entries),
      '--reps',
      smoke ? '1' : '3',
      '--json',
    ]),
  );
  const results = (r?.results ?? {}) as Record<string, FormResult>;
  table(
    ['input', 'entries', 'diffConfig ms', 'toEditConfig ms', 'worst event-loop delay ms', 'changes'],
    Object.entries(results).map(([form, x]) => [
      form === 'json' ? 'RFC 7951 JSON' : 'XML text',
      String(entries),
      f0(x.diffMs),
      f0(x.editMs),
      f1(x.maxDelayMs),
      String(x.changes),
    ]),
  );
  const json = results.json;
  const xml = results.xml;
  if (json && xml) {
    // The machine is shared: the ratio says more than either time alone.
    say(`XML / JSON diffConfig time: ${f2(xml.diffMs / json.diffMs)} (load average ${loadavg().map(f2).join(' ')})`);
    say();
  }
  for (const [form, x] of [
    ['JSON', json],
    ['XML', xml],
  ] as const)
    target(
      `diff of two ${entries}-entry configurations (${form}) under 1 s`,
      x ? x.diffMs < 1000 : undefined,
      x ? `${f0(x.diffMs)} ms` : 'not measured',
    );
  const worst = Math.max(...Object.values(results).map((x) => x.maxDelayMs));
  target(
    'config diff never holds the event loop more than 100 ms',
    Number.isFinite(worst) ? worst <= 100 : undefined,
    Number.isFinite(worst) ? `${f1(worst)} ms` : 'not measured',
  );
}
