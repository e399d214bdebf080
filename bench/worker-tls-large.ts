/**
 * One large get-config reply over NETCONF over TLS (RFC 7589), single session: the TLS case of
 * the large-reply bench (worker-large.ts times SSH against the lab's fast server). A reply server
 * in a child process (`--serve`: mutual TLS with a PKI made for the run, hello, then every RPC
 * answered with the same --mb MB `<data>` in base:1.1 chunks, built once) and connectTls +
 * Manager.getConfig() + the reply's dataXml here. Reports the median of --reps timed requests
 * after --warm untimed ones, and the worst event-loop delay over the timed ones.
 *
 *   node dist/bench/worker-tls-large.js [--mb 100] [--reps 3] [--warm 1]
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { connectTls, Manager } from '../src/index';
import { makeTestPki } from '../test/helpers/certs';
import { emit, LoopDelay, median, parseArgs, runMain } from './common';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const CHUNK = 64 * 1024;

interface ServerCredentials {
  key: string;
  cert: string;
  ca: string;
}

/** The reply body: interface entries up to `mb` MB, framed as base:1.1 chunks of 64 KiB. */
function framedData(mb: number): Buffer[] {
  const entries: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const e = `<interface><name>eth${i}</name><description>interface number ${i} of the TLS bench</description><enabled>true</enabled></interface>`;
    entries.push(e);
    size += e.length;
  }
  const body = Buffer.from(`<data><interfaces xmlns="${IF}">${entries.join('')}</interfaces></data></rpc-reply>`);
  const frames: Buffer[] = [];
  for (let at = 0; at < body.length; at += CHUNK) {
    const part = body.subarray(at, at + CHUNK);
    frames.push(Buffer.from(`\n#${part.length}\n`), part);
  }
  return frames;
}

function serve(creds: ServerCredentials, mb: number): void {
  const frames = framedData(mb);
  const server = tls.createServer({ ...creds, requestCert: true, rejectUnauthorized: true }, (s) => {
    s.setNoDelay(true);
    s.write(
      `<hello xmlns="${NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>1</session-id></hello>]]>]]>`,
    );
    let text = '';
    s.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      for (
        let m = /message-id="([^"]+)"[\s\S]*?<\/rpc>/.exec(text);
        m;
        m = /message-id="([^"]+)"[\s\S]*?<\/rpc>/.exec(text)
      ) {
        text = text.slice(m.index + m[0].length);
        const head = Buffer.from(`<rpc-reply xmlns="${NC}" message-id="${m[1]}">`);
        s.write(Buffer.concat([Buffer.from(`\n#${head.length}\n`), head]));
        for (const f of frames) s.write(f);
        s.write('\n##\n');
      }
    });
    s.on('error', () => s.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

async function main(): Promise<void> {
  const a = parseArgs();
  const mb = Number(a.mb ?? 100);
  const pki = makeTestPki();
  const child = fork(__filename, ['--serve', '--mb', String(mb)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    child.send({ key: pki.server.key, cert: pki.server.cert, ca: pki.ca });
    const port = await new Promise<number>((res) => child.once('message', (m) => res((m as { port: number }).port)));
    const session = await connectTls({
      host: '127.0.0.1',
      port,
      key: pki.client.key,
      cert: pki.client.cert,
      ca: pki.ca,
    });
    const m = new Manager(session, { timeout: 900 });
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < Number(a.warm ?? 1); i++) await m.getConfig({ source: 'running' });
    const times: number[] = [];
    let bytes = 0;
    const loop = new LoopDelay();
    loop.start();
    for (let i = 0; i < Number(a.reps ?? 3); i++) {
      gc?.();
      const t0 = performance.now();
      bytes = (await m.getConfig({ source: 'running' })).dataXml.length;
      times.push(performance.now() - t0);
    }
    await LoopDelay.settle();
    const worstDelayMs = loop.stop();
    await m.closeSession();
    emit({ mb, bytes, ms: median(times), times, worstDelayMs, mbPerS: bytes / 1e6 / (median(times) / 1000) });
  } finally {
    child.kill();
    pki.cleanup();
  }
}

if (process.argv.includes('--serve')) {
  process.once('message', (creds: ServerCredentials) => serve(creds, Number(parseArgs().mb ?? 100)));
} else {
  runMain(main);
}
