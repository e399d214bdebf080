/**
 * The reference client (test/interop/py/ncclient_client.py: Debian's python3-ncclient) from
 * TypeScript. JSON in, JSON out; progress events on stderr can trigger actions in the test
 * (e.g. make an edit once ncclient has subscribed).
 */
import { spawn } from 'node:child_process';
import { lab } from './lab';

export interface NcError {
  type: string | null;
  tag: string | null;
  severity: string | null;
  appTag: string | null;
  path: string | null;
  message: string | null;
  info: string | null;
}

export interface NcResult {
  op: string;
  ok: boolean;
  xml?: string;
  data?: string | null;
  errors: NcError[];
  notifications?: { xml: string; eventTime: string | null }[];
  timedOut?: boolean;
  skipped?: number;
  exception?: { type: string; message: string };
  elapsedMs: number;
}

export interface NcOutput {
  ok: boolean;
  sessionId: string | null;
  serverCapabilities: string[];
  results: NcResult[];
  result?: NcResult;
  error?: { type: string; message: string };
  exitCode: number;
  stderr: string;
}

export type NcStep = Record<string, unknown> & { op: string };

/**
 * Runs ncclient_client.py with `spec` (lab connection defaults filled in unless `noLab`).
 * `onEvent` sees each progress event; the promise resolves with the output whatever the exit code.
 */
export function ncclient(
  spec: Record<string, unknown> & { actions: NcStep[] },
  options: { onEvent?: (e: Record<string, unknown>) => void; timeoutMs?: number; noLab?: boolean } = {},
): Promise<NcOutput> {
  const l = lab();
  const full = options.noLab
    ? spec
    : { lab: process.env.NETCONF_LAB_JSON ?? `${l.dir}/lab.json`, hostkeyVerify: true, ...spec };
  return new Promise((resolve, reject) => {
    const child = spawn(l.python.interpreter, [l.python.ncclientClient, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let lineBuf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ncclient_client.py did not finish in ${options.timeoutMs ?? 60000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 60000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const s = d.toString();
      stderr += s;
      lineBuf += s;
      let nl: number;
      while ((nl = lineBuf.indexOf('\n')) >= 0) {
        const line = lineBuf.slice(0, nl);
        lineBuf = lineBuf.slice(nl + 1);
        if (line.startsWith('{')) {
          try {
            options.onEvent?.(JSON.parse(line) as Record<string, unknown>);
          } catch {
            /* not an event line */
          }
        }
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        const out = JSON.parse(stdout.trim().split('\n').pop() ?? '') as NcOutput;
        resolve({ ...out, exitCode: code ?? -1, stderr });
      } catch {
        reject(
          new Error(`ncclient_client.py exited ${code} without JSON output; stdout: ${stdout}; stderr: ${stderr}`),
        );
      }
    });
    child.stdin.end(JSON.stringify(full));
  });
}
