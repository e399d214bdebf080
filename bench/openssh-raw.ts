/**
 * The reference client of the small-RPC benchmark: the OpenSSH client (`ssh -s netconf`) piped
 * into a minimal framer that writes chunked RPCs (keeping `inflight` outstanding, one write per
 * read that completed replies) and counts reply ends (`\n##\n`); no XML is looked at.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

type SshProcess = ChildProcessByStdio<Writable, Readable, null>;
import type { Lab } from './common';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const CLIENT_HELLO = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>`;

export interface Run {
  seconds: number;
  latencies: number[];
}

export interface SmallRunOptions {
  port: number;
  n: number;
  inflight: number;
  warm: number;
  filter: string;
  source: string;
}

function spawnSsh(lab: Lab, port: number): SshProcess {
  const o = (opt: string): string[] => ['-o', opt];
  return spawn(
    'ssh',
    [
      ...['-T', '-q', '-p', String(port), '-i', lab.clientKeys.ed25519],
      ...o('BatchMode=yes'),
      ...o('IdentitiesOnly=yes'),
      ...o(`UserKnownHostsFile=${lab.knownHosts}`),
      ...o('StrictHostKeyChecking=yes'),
      ...o(`HostKeyAlias=[${lab.host}]:${lab.sshPort}`),
      ...['-s', `${lab.users.admin.username}@${lab.host}`, 'netconf'],
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
}

/** One run's state: what was sent when, how many replies came, the timed latencies. */
export class RawPipeline {
  private id = 0;
  private helloSeen = false;
  private sent = 0;
  private received = 0;
  private carry = '';
  private readonly sentAt: number[] = [];
  readonly latencies: number[] = [];
  t0 = 0;
  private readonly total: number;

  constructor(
    private readonly write: (bytes: Buffer) => void,
    private readonly o: SmallRunOptions,
    private readonly onHello: () => void,
    private readonly onDone: () => void,
  ) {
    this.total = o.warm + o.n;
  }

  private rpc(): Buffer {
    const { source, filter } = this.o;
    const body = `<rpc xmlns="${NC}" message-id="${++this.id}"><get-config><source><${source}/></source><filter type="subtree">${filter}</filter></get-config></rpc>`;
    return Buffer.from(`\n#${Buffer.byteLength(body)}\n${body}\n##\n`);
  }

  send(k: number): void {
    const pieces: Buffer[] = [];
    const now = performance.now();
    for (let i = 0; i < k && this.sent < this.total; i++, this.sent++) {
      pieces.push(this.rpc());
      this.sentAt.push(now);
    }
    if (pieces.length) this.write(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  }

  onData(s: string): void {
    const text = this.carry + s;
    this.carry = text.slice(-3);
    if (!this.helloSeen) {
      if (text.indexOf(']]>]]>') < 0) return;
      this.helloSeen = true;
      this.carry = '';
      this.onHello();
      return;
    }
    let k = 0;
    // The carry is 3 bytes, so every match includes new bytes: nothing is counted twice.
    for (let at = text.indexOf('\n##\n'); at >= 0; at = text.indexOf('\n##\n', at + 4)) k++;
    if (k === 0) return;
    const { warm, inflight } = this.o;
    const now = performance.now();
    for (let i = 0; i < k; i++, this.received++) {
      if (this.received === warm) this.t0 = now; // the warm-up replies end here; the timed run starts
      if (this.received >= warm) this.latencies.push(now - this.sentAt[this.received]);
    }
    if (this.received >= this.total) this.onDone();
    else this.send(this.received === warm ? inflight : k);
  }
}

export async function opensshRaw(lab: Lab, o: SmallRunOptions): Promise<Run> {
  const ssh = spawnSsh(lab, o.port);
  let finished = false;
  let failEarly!: (err: Error) => void;
  const early = new Promise<never>((_, reject) => (failEarly = reject));
  early.catch(() => undefined);
  const exited = new Promise<void>((resolve) =>
    ssh.on('exit', (code) => {
      if (!finished) failEarly(new Error(`ssh exited (code ${code}) before all replies came`));
      resolve();
    }),
  );
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let resolveHello!: () => void;
  const hello = new Promise<void>((resolve) => (resolveHello = resolve));
  const run = new RawPipeline((b) => ssh.stdin.write(b), o, resolveHello, resolveDone);
  ssh.stdout.setEncoding('latin1');
  ssh.stdout.on('data', (s: string) => run.onData(s));
  ssh.stdin.write(CLIENT_HELLO);
  await Promise.race([hello, early]);
  // Warm-up one at a time, then the timed run keeps `inflight` outstanding.
  if (o.warm > 0) run.send(1);
  else {
    run.t0 = performance.now();
    run.send(o.inflight);
  }
  await Promise.race([done, early]);
  finished = true;
  const seconds = (performance.now() - run.t0) / 1000;
  ssh.stdin.end();
  const timer = setTimeout(() => ssh.kill(), 2000);
  await exited;
  clearTimeout(timer);
  return { seconds, latencies: run.latencies };
}
