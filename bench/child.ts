/** Child processes of the benchmark: one worker per client run, failures collected, not thrown. */
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { RESULT_PREFIX } from './common';
import { log, type R } from './report';

/** What failed to run, for the report's last section and the exit code. */
export const failures: string[] = [];

export function runWorker(cmd: string, argv: string[], timeoutS = 900): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) return resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as R);
      reject(new Error(`${[cmd, ...argv].join(' ').slice(0, 300)}: exit ${code ?? signal}\n${stderr.slice(-2000)}`));
    });
  });
}

export async function attempt<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  log(what);
  try {
    return await f();
  } catch (err) {
    const msg = `${what}: ${(err as Error).message}`;
    failures.push(msg);
    log(`FAILED ${msg}`);
    return undefined;
  }
}

export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ port, host });
    const done = (ok: boolean): void => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

export function sh(cmd: string, argv: string[]): string {
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
  }
}
