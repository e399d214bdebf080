/**
 * `npm start`'s demo as the e2e suites run it: scripts/start.js (directly, or through `npm start`)
 * with a temporary user dir and free ports, its banner read for the editor's URL and the demo
 * device, and a stop by signal that reports how it ended. The demo brings its own simulators (the
 * demo device and the demo fleet, in start.js's process) and its own flows and credentials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, pidAlive, portClosed, ROOT, tempDir, waitFor } from './harness';

export interface DemoOptions {
  /** `npm start` (npm -> sh -> node, as a user runs it) or start.js on `nodeBin` directly. */
  viaNpm?: boolean;
  /** The node binary for start.js (and so for Node-RED); default this process's. */
  nodeBin?: string;
  /** Another Node-RED installation (folder of red.js), e.g. Node-RED 5 from targets.ts. */
  nodeRedDir?: string;
  /** First port of the demo fleet (default 8301, the port examples/06's inventory names). */
  fleetPort?: number;
}

export interface DemoEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Demo fleet: 10 simulators on consecutive ports from its first one (scripts/demo-fleet.js). */
export const FLEET_DEVICES = 10;

export class Demo {
  readonly userDir = tempDir('demo');
  editorPort = 0;
  devicePort = 0;
  fingerprint = '';
  fleetPort: number;
  /** The demo MQTT broker's port (0 when mosquitto is not installed and the demo started none). */
  brokerPort = 0;
  log = '';
  proc?: ChildProcess;
  /** Processes below the demo's, recorded when it is signalled (killed in stop() should any remain). */
  private leftovers: number[] = [];
  private ended?: Promise<DemoEnd>;

  constructor(private readonly opts: DemoOptions = {}) {
    this.fleetPort = opts.fleetPort ?? 8301;
  }

  get url(): string {
    return `http://127.0.0.1:${this.editorPort}`;
  }

  /** The ports the demo listens on (editor, demo device, the fleet's devices, the broker). */
  get ports(): number[] {
    const fleet = Array.from({ length: FLEET_DEVICES }, (_, i) => this.fleetPort + i);
    return [this.editorPort, this.devicePort, ...fleet, ...(this.brokerPort ? [this.brokerPort] : [])];
  }

  /** Starts the demo and waits for its banner ("Press Ctrl-C to stop"). */
  async start(timeoutMs = 90000): Promise<void> {
    for (const port of [this.fleetPort, this.fleetPort + FLEET_DEVICES - 1])
      if (!(await portClosed(port))) throw new Error(`port ${port} (the demo fleet's) is in use: stop the other demo`);
    const env = {
      ...process.env,
      NETCONF_DEMO_DIR: this.userDir,
      NETCONF_DEMO_EDITOR_PORT: String(await freePort()),
      NETCONF_DEMO_DEVICE_PORT: String(await freePort()),
      NETCONF_DEMO_FLEET_PORT: String(this.fleetPort),
      NETCONF_DEMO_BROKER_PORT: String(await freePort()),
      NETCONF_DEMO_SKIP_BUILD: '1',
      NETCONF_BACKUP_DIR: '',
      npm_config_update_notifier: 'false',
      ...(this.opts.nodeRedDir ? { NETCONF_DEMO_NODE_RED: this.opts.nodeRedDir } : {}),
    };
    const [cmd, args] = this.opts.viaNpm
      ? ['npm', ['start', '--silent']]
      : [this.opts.nodeBin ?? process.execPath, [path.join(ROOT, 'scripts', 'start.js')]];
    // stdin ignored, output piped and read: the test never holds a terminal the demo waits on.
    const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout.on('data', (d) => (this.log += d));
    proc.stderr.on('data', (d) => (this.log += d));
    // 'exit', not 'close': the streams close only when every process holding them is gone.
    this.ended = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    // waitFor retries a check that throws: an exit ends the wait at once, and is reported after it.
    await waitFor(
      'the demo banner',
      () => proc.exitCode !== null || /Press Ctrl-C to stop/.test(this.log),
      timeoutMs,
      200,
    );
    if (proc.exitCode !== null) throw new Error(`npm start exited with ${proc.exitCode}:\n${this.log}`);
    this.editorPort = Number(/Node-RED editor:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(this.log)?.[1]);
    this.devicePort = Number(/Demo device[^:]*:\s+127\.0\.0\.1:(\d+)/.exec(this.log)?.[1]);
    this.fingerprint = /Host key fingerprint:\s+(\S+)/.exec(this.log)?.[1] ?? '';
    this.brokerPort = Number(/Demo MQTT 5 broker:\s+127\.0\.0\.1:(\d+)/.exec(this.log)?.[1] ?? 0);
    if (!this.editorPort || !this.devicePort || !this.fingerprint)
      throw new Error(`banner not understood:\n${this.log}`);
  }

  /**
   * Pids of every process below the one the test started (sh, start.js, Node-RED: Node-RED renames
   * its process title, so its command line no longer names the user dir).
   */
  descendants(): number[] {
    const parents = new Map<number, number>();
    for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ')'.
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        /* gone */
      }
    }
    const out: number[] = [];
    const walk = (pid: number): void => {
      for (const [child, parent] of parents) {
        if (parent !== pid) continue;
        out.push(child);
        walk(child);
      }
    };
    if (this.proc?.pid) walk(this.proc.pid);
    return out;
  }

  /** Sends `signal` to the process the test started and resolves with how it ended (SIGKILL after `boundMs`). */
  async signal(signal: NodeJS.Signals, boundMs: number): Promise<DemoEnd & { ms: number }> {
    const proc = this.proc!;
    this.leftovers = this.descendants();
    const t0 = Date.now();
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), boundMs);
    const end = await this.ended!;
    clearTimeout(timer);
    return { ...end, ms: Date.now() - t0 };
  }

  /** Stops the demo (SIGINT) if it still runs, and removes its user dir. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) await this.signal('SIGINT', 20000);
    for (const pid of this.leftovers) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    if (!process.env.E2E_KEEP) fs.rmSync(this.userDir, { recursive: true, force: true });
  }
}
