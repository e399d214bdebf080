/**
 * End-to-end harness: the package as a user meets it. `npm pack` the repository, install the
 * tarball into a fresh Node-RED user directory (no link to the source tree), start a real
 * Node-RED on 127.0.0.1 with a settings file of our own, deploy flows through the Admin HTTP API,
 * watch debug/status over the editor's comms websocket, and stop everything again, checking that
 * no process or port is left behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository root (this file runs as dist/test/e2e/harness.js). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PACKAGE_NAME = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string })
  .name;
export const NODE_RED_DIR = path.dirname(require.resolve('node-red/package.json', { paths: [ROOT] }));

/** Every child process the harness started, killed hard if the test process exits early. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a truthy value, or throws `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err instanceof Error ? err.message : JSON.stringify(err);
    }
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(everyMs);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True when nothing accepts TCP connections on 127.0.0.1:port. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(2000);
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Command lines of live processes that mention `needle` (other than this test process). */
export function processesMentioning(needle: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) out.push(`${pid}: ${cmd.trim()}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ncnr-e2e-${prefix}-`));
}

export function run(cmd: string, args: string[], cwd: string, timeoutMs: number): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** `npm pack` of the repository (dist/ must be built); returns the tarball's path. */
export function packPackage(dest: string): string {
  const out = run('npm', ['pack', '--json', '--pack-destination', dest], ROOT, 120000);
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return path.join(dest, info[0].filename);
}

/**
 * A fresh Node-RED user directory with the packed package installed from its tarball, as the
 * palette manager would (`npm install <module>` in the user directory). Its dependencies come from
 * the npm cache or the registry.
 */
export function createUserDir(prefix = 'ud'): { userDir: string; tarball: string } {
  const userDir = tempDir(prefix);
  fs.writeFileSync(
    path.join(userDir, 'package.json'),
    JSON.stringify({ name: 'node-red-project', private: true }, null, 2),
  );
  const tarball = packPackage(userDir);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], userDir, 180000);
  const installed = path.join(userDir, 'node_modules', PACKAGE_NAME);
  if (fs.lstatSync(installed).isSymbolicLink()) throw new Error(`${installed} is a link, not an installed copy`);
  return { userDir, tarball };
}

export interface NodeRedOptions {
  userDir: string;
  /** Another node-red installation to run (default: the repository's devDependency). */
  nodeRedDir?: string;
  /** The node binary to run it with (default: this process's; Node-RED 5 needs Node 22). */
  nodeBin?: string;
  /** Extra settings merged into the generated settings file (JSON-serialisable). */
  settings?: Record<string, unknown>;
}

/** A real Node-RED process: the repository's node-red, the package from the user directory. */
export class NodeRed {
  port = 0;
  proc?: ChildProcess;
  log = '';
  readonly userDir: string;
  private readonly nodeRedDir: string;
  private readonly nodeBin: string;
  private readonly extra: Record<string, unknown>;
  private exited?: Promise<void>;

  constructor(opts: NodeRedOptions) {
    this.userDir = opts.userDir;
    this.nodeRedDir = opts.nodeRedDir ?? NODE_RED_DIR;
    this.nodeBin = opts.nodeBin ?? process.execPath;
    this.extra = opts.settings ?? {};
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private writeSettings(): string {
    const settings = {
      uiHost: '127.0.0.1',
      uiPort: this.port,
      userDir: this.userDir,
      flowFile: 'flows.json',
      flowFilePretty: true,
      credentialSecret: 'e2e-credential-secret',
      logging: { console: { level: 'info', metrics: false, audit: false } },
      telemetry: { enabled: false, updateNotification: false },
      diagnostics: { enabled: false, ui: false },
      externalModules: {
        autoInstall: false,
        palette: { allowInstall: false, allowUpload: false },
        modules: { allowInstall: false },
      },
      functionExternalModules: false,
      editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
      ...this.extra,
    };
    const file = path.join(this.userDir, 'e2e-settings.js');
    fs.writeFileSync(
      file,
      `// Written by test/e2e/harness.ts\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`,
    );
    return file;
  }

  async start(timeoutMs = 30000): Promise<void> {
    if (!this.port) this.port = await freePort();
    const settingsFile = this.writeSettings();
    const proc = spawn(this.nodeBin, [path.join(this.nodeRedDir, 'red.js'), '-u', this.userDir, '-s', settingsFile], {
      cwd: this.userDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false' },
    });
    this.proc = proc;
    children.add(proc);
    proc.stdout.on('data', (d) => (this.log += d));
    proc.stderr.on('data', (d) => (this.log += d));
    this.exited = new Promise((resolve) => proc.on('exit', () => resolve()));
    await waitFor(
      `Node-RED on port ${this.port}`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`node-red exited with ${proc.exitCode}:\n${this.log}`);
        const r = await fetch(`${this.url}/settings`, { signal: AbortSignal.timeout(2000) });
        return r.ok;
      },
      timeoutMs,
      200,
    );
  }

  /** Stops Node-RED the way a service manager does (SIGINT: flows stopped, close handlers run). */
  async stop(timeoutMs = 30000): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    children.delete(proc);
    this.proc = undefined;
  }

  async api(
    method: string,
    urlPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const r = await fetch(`${this.url}${urlPath}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30000),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: r.status, body: parsed };
  }

  /** Full deploy through POST /flows (API v2); returns the new revision. */
  async deploy(flows: unknown[], type: 'full' | 'nodes' | 'flows' = 'full'): Promise<string> {
    const r = await this.api(
      'POST',
      '/flows',
      { flows },
      { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': type },
    );
    if (r.status !== 200) throw new Error(`POST /flows: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { rev: string }).rev;
  }

  /** The node modules Node-RED loaded (GET /nodes). */
  async nodeSets(): Promise<
    { id: string; module: string; types: string[]; enabled: boolean; loaded: boolean; err?: string }[]
  > {
    const r = await this.api('GET', '/nodes');
    if (r.status !== 200) throw new Error(`GET /nodes: ${r.status}`);
    return r.body as { id: string; module: string; types: string[]; enabled: boolean; loaded: boolean; err?: string }[];
  }

  /** Presses an inject node's button (POST /inject/:id). */
  async inject(id: string): Promise<void> {
    const r = await this.api('POST', `/inject/${id}`);
    if (r.status !== 200) throw new Error(`POST /inject/${id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/**
 * Starts a child process from the repository (the simulator) and waits for `ready` to match its
 * output. Returns the process and a live view of its output.
 */
export async function startProcess(
  args: string[],
  ready: RegExp,
  timeoutMs = 20000,
): Promise<{
  proc: ChildProcess;
  output: () => string;
  match: RegExpMatchArray;
  stop: (timeoutMs?: number) => Promise<void>;
}> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const match = await waitFor(
    `${path.basename(args[0])} to be ready`,
    () => {
      if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}:\n${out}`);
      return out.match(ready);
    },
    timeoutMs,
    50,
  );
  const stop = async (t = 10000): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), t);
      await exited;
      clearTimeout(timer);
    }
    children.delete(proc);
  };
  return { proc, output: () => out, match, stop };
}
