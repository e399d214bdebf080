/**
 * Loads (or removes) the netconfd benchmark data: N /lab/item entries (the lab's own model:
 * id, name, value, two tags) in the lab's "running" instance (port 8831), so that a get-config of
 * BENCH_FILTER returns about 150 bytes per entry (20k entries: about 3 MB).
 *
 *   node dist/bench/worker-netconfd-data.js --entries 20000 | --remove
 *
 * /lab is created fresh in one edit-config, keys in descending order: netconfd is quadratic when
 * merging into an existing list and 3-7x slower in ascending order (20k entries: about 2.5 s).
 * (ietf-interfaces entries would keep clear of the interop suite, which clears /lab, but netconfd
 * took 92 s to create 20k of them.) The data is removed again after the benchmark.
 */
import { connectSsh, Manager } from '../src/index';
import { emit, loadLab, parseArgs, runMain, sshOptions } from './common';

export const LAB_NS = 'urn:example:netconf-lab';
export const BENCH_FILTER = `<lab xmlns="${LAB_NS}"/>`;
const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';

async function main(): Promise<void> {
  const a = parseArgs();
  const lab = loadLab(a.lab);
  const port = Number(a.port ?? lab.runningPort);
  const session = await connectSsh({ ...sshOptions(lab, port), timeout: 60 });
  const m = new Manager(session, { timeout: 600 });
  const t0 = performance.now();
  if (a.remove === 'true') {
    const have = await m.getConfig({ filter: BENCH_FILTER });
    if (/<lab[\s>/]/.test(have.dataXml)) {
      await m.editConfig(`<lab xmlns="${LAB_NS}" xmlns:nc="${NC}" nc:operation="remove"/>`, { target: 'running' });
    }
    emit({ removed: true, ms: performance.now() - t0 });
  } else {
    const n = Number(a.entries ?? 20000);
    const parts: string[] = [];
    for (let i = n - 1; i >= 0; i--) {
      parts.push(
        `<item><id>${i}</id><name>interface-${i}</name><value>${i * 7919}</value><tag>core</tag><tag>edge</tag></item>`,
      );
    }
    await m.editConfig(`<lab xmlns="${LAB_NS}" xmlns:nc="${NC}" nc:operation="replace">${parts.join('')}</lab>`, {
      target: 'running',
    });
    const check = await m.getConfig({ filter: BENCH_FILTER });
    const got = check.dataXml.split('<item>').length - 1;
    if (got !== n) throw new Error(`loaded ${n} /lab/item entries but get-config returned ${got}`);
    emit({ entries: n, bytes: Buffer.byteLength(check.xml), ms: performance.now() - t0 });
  }
  await m.close();
}

runMain(main);
