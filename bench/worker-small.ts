/**
 * Many small RPCs on one session, in a process of its own.
 *
 *   node dist/bench/worker-small.js --client ours|openssh-raw --port 8830 --n 5000 --inflight 1|8|64
 *        [--filter XML] [--source running] [--warm 50]
 *
 * - ours:        one Session/Manager; `inflight` loops each awaiting Manager.getConfig() in turn.
 * - openssh-raw: the reference. The OpenSSH client (`ssh -s netconf`) piped into a minimal framer
 *                that writes chunked RPCs (keeping `inflight` outstanding, one write per read
 *                that completed replies) and counts reply ends (`\n##\n`); no XML is looked at.
 */
import { spawn } from 'node:child_process';
import { connectSsh, Manager } from '../src/index';
import { emit, loadLab, parseArgs, percentile, runMain, sshOptions, type Lab } from './common';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const SMALL_FILTER = '<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm/></nacm>';

interface Run {
  seconds: number;
  latencies: number[];
}

async function ours(
  lab: Lab,
  port: number,
  n: number,
  inflight: number,
  warm: number,
  filter: string,
  source: string,
): Promise<Run> {
  const session = await connectSsh({ ...sshOptions(lab, port), timeout: 60 });
  const m = new Manager(session, { timeout: 120 });
  for (let i = 0; i < warm; i++) await m.getConfig({ source, filter });
  const latencies: number[] = [];
  let issued = 0;
  const t0 = performance.now();
  const loop = async (): Promise<void> => {
    while (issued < n) {
      issued++;
      const t = performance.now();
      await m.getConfig({ source, filter });
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: inflight }, loop));
  const seconds = (performance.now() - t0) / 1000;
  await m.close();
  return { seconds, latencies };
}

async function opensshRaw(
  lab: Lab,
  port: number,
  n: number,
  inflight: number,
  warm: number,
  filter: string,
  source: string,
): Promise<Run> {
  const ssh = spawn(
    'ssh',
    [
      '-T',
      '-q',
      '-p',
      String(port),
      '-i',
      lab.clientKeys.ed25519,
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${lab.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `HostKeyAlias=[${lab.host}]:${lab.sshPort}`,
      '-s',
      `${lab.users.admin.username}@${lab.host}`,
      'netconf',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
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
  let id = 0;
  const rpc = (): Buffer => {
    const body = `<rpc xmlns="${NC}" message-id="${++id}"><get-config><source><${source}/></source><filter type="subtree">${filter}</filter></get-config></rpc>`;
    return Buffer.from(`\n#${Buffer.byteLength(body)}\n${body}\n##\n`);
  };
  const total = warm + n;
  let helloSeen = false;
  let sent = 0;
  let received = 0;
  let carry = '';
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let t0 = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let resolveHello!: () => void;
  const hello = new Promise<void>((resolve) => (resolveHello = resolve));
  const send = (k: number): void => {
    const pieces: Buffer[] = [];
    const now = performance.now();
    for (let i = 0; i < k && sent < total; i++, sent++) {
      pieces.push(rpc());
      sentAt.push(now);
    }
    if (pieces.length) ssh.stdin.write(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces));
  };
  ssh.stdout.setEncoding('latin1');
  ssh.stdout.on('data', (s: string) => {
    const text = carry + s;
    carry = text.slice(-3);
    if (!helloSeen) {
      const at = text.indexOf(']]>]]>');
      if (at < 0) return;
      helloSeen = true;
      carry = '';
      resolveHello();
      return;
    }
    let k = 0;
    for (let at = text.indexOf('\n##\n'); at >= 0; at = text.indexOf('\n##\n', at + 4)) {
      // The carry is 3 bytes, so every match includes new bytes: nothing is counted twice.
      k++;
    }
    if (k === 0) return;
    const now = performance.now();
    for (let i = 0; i < k; i++, received++) {
      if (received === warm) t0 = now; // the warm-up replies end here; the timed run starts
      if (received >= warm) latencies.push(now - sentAt[received]);
    }
    if (received >= total) resolveDone();
    else send(received === warm ? inflight : k);
  });
  ssh.stdin.write(
    `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>]]>]]>`,
  );
  await Promise.race([hello, early]);
  // Warm-up one at a time, then the timed run keeps `inflight` outstanding.
  if (warm > 0) send(1);
  else {
    t0 = performance.now();
    send(inflight);
  }
  await Promise.race([done, early]);
  finished = true;
  const seconds = (performance.now() - t0) / 1000;
  ssh.stdin.end();
  const timer = setTimeout(() => ssh.kill(), 2000);
  await exited;
  clearTimeout(timer);
  return { seconds, latencies };
}

async function main(): Promise<void> {
  const a = parseArgs();
  const lab = loadLab(a.lab);
  const port = Number(a.port ?? lab.sshPort);
  const n = Number(a.n ?? 5000);
  const inflight = Number(a.inflight ?? 1);
  const warm = Number(a.warm ?? 50);
  const filter = a.filter ?? SMALL_FILTER;
  const source = a.source ?? 'running';
  const kind = a.client ?? 'ours';
  const run =
    kind === 'openssh-raw'
      ? await opensshRaw(lab, port, n, inflight, warm, filter, source)
      : await ours(lab, port, n, inflight, warm, filter, source);
  emit({
    client: kind,
    inflight,
    n: run.latencies.length,
    seconds: run.seconds,
    rps: run.latencies.length / run.seconds,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
  });
}

runMain(main);
