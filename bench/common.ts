/**
 * Shared helpers for the benchmark workers: the lab description, SSH options, peak RSS and
 * event-loop delay measurement, argument parsing and the one-line JSON result protocol.
 *
 * Every client runs in a child process of its own (bench/run.ts starts them), so peak RSS and
 * event-loop delay belong to that client alone. A worker prints exactly one line starting with
 * RESULT_PREFIX on stdout; anything else it prints is ignored by the orchestrator.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export const RESULT_PREFIX = 'BENCH-RESULT ';

export interface Lab {
  dir: string;
  host: string;
  sshPort: number;
  runningPort: number;
  users: { admin: { username: string; password: string } };
  clientKeys: { ed25519: string; rsa: string };
  knownHosts: string;
  hostFingerprints: string[];
  hostKeys: Record<string, { type: string; base64: string; fingerprint: string }>;
  replay: { script: string; port: number };
}

export function labJsonPath(): string {
  return process.env.NETCONF_LAB_JSON ?? `${process.env.NETCONF_LAB_DIR ?? '/tmp/ncred-lab'}/lab.json`;
}

export function loadLab(path = labJsonPath()): Lab {
  return JSON.parse(readFileSync(path, 'utf8')) as Lab;
}

/** The SSH options of our library for a lab port (host key pinned by fingerprint: works for 8840 too). */
export function sshOptions(
  lab: Lab,
  port: number,
): {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  hostFingerprint: string[];
} {
  return {
    host: lab.host,
    port,
    username: lab.users.admin.username,
    privateKey: lab.clientKeys.ed25519,
    hostFingerprint: lab.hostFingerprints,
  };
}

/** Peak resident set size of this process in bytes (VmHWM). */
export function peakRss(): number {
  return statusField('VmHWM');
}

/** Current resident set size in bytes (VmRSS). */
export function currentRss(): number {
  return statusField('VmRSS');
}

function statusField(name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

/** Resets the peak RSS to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`); false if not possible. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The event loop's worst delay (ms) over a stretch of work. */
export class LoopDelay {
  private readonly h: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  start(): void {
    this.h.reset();
    this.h.enable();
  }
  /**
   * Lets the histogram's timer fire once more: a block of synchronous work that ends the
   * measured stretch is only recorded when the timer next runs. Call (and await) before stop().
   */
  static settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 20));
  }
  /** Stops and returns the maximum delay in ms. */
  stop(): number {
    this.h.disable();
    return this.h.max / 1e6;
  }
}

/** `--name value` and `--flag` arguments. */
export function parseArgs(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = 'true';
  }
  return out;
}

export function emit(result: object): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Runs `main`, turns a throw into a non-zero exit with the message on stderr. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
