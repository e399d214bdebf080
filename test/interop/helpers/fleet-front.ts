/**
 * A fleet in front of the netconfd lab: several OpenSSH sshd of the test's own (one sshd listens
 * on at most 16 addresses, so a fleet needs more than one), each on several loopback addresses
 * (127.0.18.x, nothing to configure on Linux: all of 127/8 is local) and one port, each with its
 * own host key, and each serving the `netconf` subsystem as the lab's sshd does: through the lab's
 * nc-subsys-wrapper into the netconfd "candidate" instance, as the lab's users.
 *
 * Server-side counts: the subsystem command is a small script that appends `+ <address>` when a
 * NETCONF session starts and `- <address>` when its netconf-subsystem process exits, under flock,
 * so the file is a total order of session starts and ends; `counts()` replays it.
 *
 * The test writes the known_hosts file (`[host]:port` entries, some hashed as `|1|salt|hash`).
 * Everything lives in a temporary directory removed by stop(), which also ends any session left.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sshFingerprint } from '../../../src/transport/host-key';
import { lab } from './lab';

export interface FrontAddress {
  host: string;
  port: number;
  /** Index of the sshd serving it. */
  sshd: number;
  hostFingerprint: string;
  /** `ssh-ed25519 <base64>` of that sshd's host key. */
  hostKey: string;
}

export interface FrontCounts {
  started: number;
  live: number;
  peakLive: number;
  peakPerAddress: number;
  /** Sessions started per address. */
  perAddress: Map<string, number>;
}

/** True when `port` can be bound on every address (so sshd will get them all). */
function freeOnAll(port: number, hosts: string[]): Promise<boolean> {
  return hosts.reduce<Promise<boolean>>(
    (ok, host) =>
      ok.then(
        (yes) =>
          yes &&
          new Promise<boolean>((resolve) => {
            const s = createServer();
            s.once('error', () => resolve(false));
            s.listen(port, host, () => s.close(() => resolve(true)));
          }),
      ),
    Promise.resolve(true),
  );
}

async function portFreeOn(hosts: string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (await freeOnAll(port, hosts)) return port;
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

/** The known_hosts name of host:port, hashed as OpenSSH's HashKnownHosts does. */
export function hashedName(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export class FleetFront {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'fleet-front-'));
  readonly addresses: FrontAddress[] = [];
  private readonly events = path.join(this.dir, 'sessions.log');
  private readonly procs: ChildProcess[] = [];
  private readonly stderr: string[] = [];

  /** `layout[i]` = how many addresses sshd i listens on (each at most 16). */
  constructor(private readonly layout: number[]) {}

  async start(): Promise<this> {
    chmodSync(this.dir, 0o755); // the subsystem runs as the lab user: it must reach the script
    writeFileSync(this.events, '');
    chownSync(this.events, ...this.labUid());
    const script = this.countingSubsystem();
    let next = 1;
    for (let i = 0; i < this.layout.length; i++) {
      const hosts = Array.from({ length: this.layout[i] }, () => `127.0.18.${next++}`);
      await this.startSshd(i, hosts, script);
    }
    return this;
  }

  private labUid(): [number, number] {
    const user = lab().users.admin.username;
    const id = (flag: string): number => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
    return [id('-u'), id('-g')];
  }

  private countingSubsystem(): string {
    const l = lab();
    const file = path.join(this.dir, 'netconf-counting');
    const sock = path.join(l.dir, 'nc-candidate', 'ncxserver.sock');
    writeFileSync(
      file,
      [
        '#!/bin/sh',
        '# counts NETCONF sessions (server address from SSH_CONNECTION), then runs the lab wrapper',
        `ev=${this.events}`,
        'set -- $SSH_CONNECTION',
        'addr=$3',
        'flock "$ev" sh -c \'echo "+ $1" >> "$0"\' "$ev" "$addr"',
        `${path.join(l.dir, 'bin', 'nc-subsys-wrapper')} ${l.sshPort} ${sock}`,
        'rc=$?',
        'flock "$ev" sh -c \'echo "- $1" >> "$0"\' "$ev" "$addr"',
        'exit $rc',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    return file;
  }

  private async startSshd(index: number, hosts: string[], subsystem: string): Promise<void> {
    const key = path.join(this.dir, `host_key_${index}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const pub = readFileSync(`${key}.pub`, 'utf8').split(' ');
    const hostFingerprint = sshFingerprint(Buffer.from(pub[1], 'base64'));
    const port = await portFreeOn(hosts);
    const cfg = path.join(this.dir, `sshd_config_${index}`);
    writeFileSync(cfg, this.config(index, hosts, port, key, subsystem));
    const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.procs.push(proc);
    // never outlive the test process, even when it dies before stop()
    process.once('exit', () => proc.exitCode === null && proc.kill('SIGKILL'));
    this.stderr[index] = '';
    proc.stderr?.on('data', (d: Buffer) => (this.stderr[index] += d.toString()));
    await this.waitListening(proc, index, hosts, port);
    for (const host of hosts)
      this.addresses.push({ host, port, sshd: index, hostFingerprint, hostKey: `${pub[0]} ${pub[1]}` });
  }

  private config(index: number, hosts: string[], port: number, key: string, subsystem: string): string {
    const l = lab();
    return [
      ...hosts.map((h) => `ListenAddress ${h}:${port}`),
      `HostKey ${key}`,
      `PidFile ${path.join(this.dir, `sshd_${index}.pid`)}`,
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${l.users.admin.username}`,
      'DisableForwarding yes',
      'PermitTTY no',
      'UseDNS no',
      'MaxStartups 64:30:128',
      'LogLevel ERROR',
      `Subsystem netconf ${subsystem}`,
      '',
    ].join('\n');
  }

  private async waitListening(proc: ChildProcess, index: number, hosts: string[], port: number): Promise<void> {
    const deadline = Date.now() + 10000;
    while (await freeOnAll(port, hosts.slice(-1))) {
      if (proc.exitCode !== null) throw new Error(`sshd ${index} exited: ${this.stderr[index]}`);
      if (Date.now() > deadline) throw new Error(`sshd ${index} not listening: ${this.stderr[index]}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** known_hosts text for `addresses` (default all): `[host]:port key`, every other name hashed. */
  knownHosts(addresses = this.addresses): string {
    return addresses
      .map((a, i) => {
        const name = `[${a.host}]:${a.port}`;
        return `${i % 2 ? hashedName(name) : name} ${a.hostKey}\n`;
      })
      .join('');
  }

  /** Lines written so far: `counts(mark())` later counts only what happened after (live must be 0 now). */
  mark(): number {
    return readFileSync(this.events, 'utf8').split('\n').length - 1;
  }

  /** Session starts and ends from line `from` on, replayed in the order the server wrote them. */
  counts(from = 0): FrontCounts {
    const c: FrontCounts = { started: 0, live: 0, peakLive: 0, peakPerAddress: 0, perAddress: new Map() };
    const live = new Map<string, number>();
    for (const line of readFileSync(this.events, 'utf8').split('\n').slice(from)) {
      const [sign, addr] = line.split(' ');
      if (!addr) continue;
      const delta = sign === '+' ? 1 : -1;
      live.set(addr, (live.get(addr) ?? 0) + delta);
      c.live += delta;
      if (delta > 0) {
        c.started++;
        c.perAddress.set(addr, (c.perAddress.get(addr) ?? 0) + 1);
      }
      c.peakLive = Math.max(c.peakLive, c.live);
      c.peakPerAddress = Math.max(c.peakPerAddress, live.get(addr) ?? 0);
    }
    return c;
  }

  /** Stops the sshd listeners and every connection process they left, then removes the directory. */
  async stop(): Promise<void> {
    const pids = this.procs.flatMap((p) => (p.pid ? [...descendants(p.pid), p.pid] : []));
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    await Promise.all(
      this.procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : Promise.resolve())),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Processes still running under the listeners (connections, subsystems). */
  leftovers(): number[] {
    return this.procs.flatMap((p) => (p.pid && p.exitCode === null ? descendants(p.pid) : []));
  }
}

/** All descendants of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}
