/**
 * A real OpenSSH sshd of the test's own (Debian's /usr/sbin/sshd), on a free 127.0.0.1 port,
 * with its own host key, config and authorized key, run in the foreground (`-D -e -f cfg`):
 * a bastion (jump host) with TCP forwarding allowed or refused, or an old-algorithms-only
 * server whose `netconf` subsystem bridges (socat) to a raw-TCP port of the simulator.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { sshFingerprint } from '../../src/transport/host-key';
import type { NetconfSimulator } from '../../simulator';
import { freePort } from './free-port';

export interface SshdOptions {
  /** AllowTcpForwarding (default true). */
  forwarding?: boolean;
  /** Extra sshd_config lines (e.g. KexAlgorithms). */
  extra?: string[];
  /** A command for `Subsystem netconf`. */
  netconfCommand?: string;
}

/** A client key pair every TestSshd accepts (OpenSSH format, made by ssh-keygen). */
let clientKey: { private: string; public: string } | undefined;

export function sshdClientKey(): { private: string; public: string } {
  if (!clientKey) {
    const dir = mkdtempSync(path.join(tmpdir(), 'sshd-client-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
    clientKey = {
      private: readFileSync(path.join(dir, 'id'), 'utf8'),
      public: readFileSync(path.join(dir, 'id.pub'), 'utf8'),
    };
    rmSync(dir, { recursive: true, force: true });
  }
  return clientKey;
}

export class TestSshd {
  readonly username = userInfo().username;
  port = 0;
  fingerprint = '';
  private proc?: ChildProcess;
  private stderr = '';
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'test-sshd-'));

  constructor(private readonly options: SshdOptions = {}) {}

  /** The listening sshd's process id (its children are the connections it serves). */
  get pid(): number {
    return this.proc?.pid ?? 0;
  }

  async start(): Promise<this> {
    const key = path.join(this.dir, 'host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const pub = readFileSync(`${key}.pub`, 'utf8').split(' ')[1];
    this.fingerprint = sshFingerprint(Buffer.from(pub, 'base64'));
    writeFileSync(path.join(this.dir, 'authorized_keys'), sshdClientKey().public, { mode: 0o600 });
    // sshd insists on its privilege separation directory even when it will not use it.
    mkdirSync('/run/sshd', { recursive: true });
    for (let attempt = 0; attempt < 5; attempt++) {
      this.port = await freePort();
      if (await this.spawn(key)) return this;
    }
    throw new Error(`sshd did not start: ${this.stderr}`);
  }

  private config(key: string): string {
    const lines = [
      `ListenAddress 127.0.0.1:${this.port}`,
      `HostKey ${key}`,
      `PidFile ${path.join(this.dir, 'pid')}`,
      `AuthorizedKeysFile ${path.join(this.dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'StrictModes no',
      'UsePAM no',
      `AllowTcpForwarding ${this.options.forwarding === false ? 'no' : 'yes'}`,
      'LogLevel ERROR',
      ...(this.options.netconfCommand ? [`Subsystem netconf ${this.options.netconfCommand}`] : []),
      ...(this.options.extra ?? []),
    ];
    return lines.join('\n') + '\n';
  }

  /** Starts sshd; true once it accepts TCP connections, false if it exited (port taken). */
  private spawn(key: string): Promise<boolean> {
    const cfg = path.join(this.dir, 'sshd_config');
    writeFileSync(cfg, this.config(key));
    const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    return new Promise((resolve) => {
      let done = false;
      proc.once('exit', () => {
        if (!done) resolve((done = false));
      });
      const poll = (): void => {
        if (done || proc.exitCode !== null) return;
        const probe = createServer();
        // The port is ours once sshd holds it: binding it ourselves then fails.
        probe.once('error', () => {
          done = true;
          resolve(true);
        });
        probe.listen(this.port, '127.0.0.1', () => probe.close(() => setTimeout(poll, 50)));
      };
      poll();
    });
  }

  /** Stops the listening sshd (connections still open keep their own processes until they end). */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A raw TCP listener on 127.0.0.1 that hands every connection to the simulator as a NETCONF stream. */
export function rawSimulatorPort(sim: NetconfSimulator, username = 'admin'): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      sim.serveStream(socket, username);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
