/**
 * Many idle sessions from one process to the device simulator.
 *
 *   node --expose-gc dist/bench/worker-sessions.js --sessions 500
 *
 * The simulator runs in a child process of its own (`--serve`), so the client's RSS is the
 * client's. All sessions are opened at once (Promise.all); then the heap is collected and the RSS
 * growth divided by the number of sessions is the cost of one idle session.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connectSsh, type Session } from '../src/index';
import { currentRss, emit, parseArgs, runMain } from './common';

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function serve(): Promise<void> {
  // Loaded by path, so that bench/ still compiles where the simulator is absent.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sim = require(join(__dirname, '..', 'simulator', 'index.js')) as {
    startSimulator(o: { users: Record<string, string> }): Promise<{ port: number; close(): Promise<void> }>;
  };
  const s = await sim.startSimulator({ users: { admin: 'admin' } });
  process.send?.({ port: s.port, rss: currentRss() });
  process.on('message', (m: string) => {
    if (m === 'rss') {
      gc();
      process.send?.({ rss: currentRss() });
    } else if (m === 'exit') void s.close().then(() => process.exit(0));
  });
  await new Promise<never>(() => undefined); // serve until told to exit (runMain would exit)
}

function ask(child: ChildProcess, msg: string): Promise<{ port?: number; rss: number }> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as { port?: number; rss: number }));
    if (msg) child.send(msg);
  });
}

async function main(): Promise<void> {
  const a = parseArgs();
  if (a.serve === 'true') return serve();
  const n = Number(a.sessions ?? 500);
  const child = fork(__filename, ['--serve'], { execArgv: ['--expose-gc'] });
  const first = await ask(child, '');
  const port = first.port as number;
  // One session first, so code loading and JIT warm-up are not counted as per-session memory.
  const warm = await connectSsh({
    host: '127.0.0.1',
    port,
    username: 'admin',
    password: 'admin',
    verifyHostKey: false,
  });
  const serverBase = (await ask(child, 'rss')).rss;
  gc();
  const base = currentRss();
  const t0 = performance.now();
  const sessions: Session[] = await Promise.all(
    Array.from({ length: n }, () =>
      connectSsh({ host: '127.0.0.1', port, username: 'admin', password: 'admin', verifyHostKey: false, timeout: 300 }),
    ),
  );
  const connectSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  gc();
  const after = currentRss();
  const serverAfter = (await ask(child, 'rss')).rss;
  await Promise.all([...sessions, warm].map((s) => s.close()));
  child.send('exit');
  emit({
    sessions: n,
    connectSeconds,
    rssBase: base,
    rssAfter: after,
    rssPerSession: (after - base) / n,
    serverRssPerSession: (serverAfter - serverBase) / n,
    heapUsed: process.memoryUsage().heapUsed,
  });
}

runMain(main);
