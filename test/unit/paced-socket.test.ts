/**
 * Input pacing (src/transport/input-pacer.ts, paced-socket.ts) on real TCP sockets over loopback:
 * every byte in order, the queue bounded while the consumer is slow, end / reset / close passed
 * on after the data, both directions, and a flood from many connections handed to the consumer
 * a few chunks per loop turn, with timers running in between (ordering, not milliseconds).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { InputPacer } from '../../src/transport/input-pacer';
import { pacedConnection, type PacedSocket } from '../../src/transport/paced-socket';

/** A loopback server handing each accepted socket to `onSocket`; closed with its sockets after the test. */
async function server(t: TestContext, onSocket: (s: Socket) => void): Promise<{ srv: Server; port: number }> {
  const accepted: Socket[] = [];
  const srv = createServer((s) => {
    accepted.push(s);
    onSocket(s);
  });
  t.after(() => {
    srv.close();
    for (const s of accepted) s.destroy();
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { srv, port: (srv.address() as AddressInfo).port };
}

/** `n` bytes of a pattern that shows any reordering or loss. */
function pattern(n: number, seed = 0): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed + (i >> 11)) & 0xff;
  return b;
}

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('a paced socket hands on every byte in order, then end and close; writes reach the server', async (t) => {
  const data = pattern(3 * 1024 * 1024);
  let fromClient = '';
  const { port } = await server(t, (s) => {
    s.on('data', (d: Buffer) => (fromClient += d.toString()));
    s.on('end', () => s.end(data));
  });
  const pacer = new InputPacer({ budgetMs: 1 });
  const sock = pacedConnection('127.0.0.1', port, { pacer });
  assert.equal(sock.connecting, true, 'looks like a connecting net.Socket to ssh2');
  await once(sock, 'connect');
  sock.write('hello ');
  sock.end('server');
  const parts: Buffer[] = [];
  const events: string[] = [];
  sock.on('data', (d: Buffer) => {
    parts.push(d);
    busy(1.5); // a consumer slower than loopback and than the 1 ms budget: chunks queue up
  });
  sock.on('end', () => events.push(`end after ${Buffer.concat(parts).length}`));
  await once(sock, 'close');
  events.push('close');
  assert.ok(Buffer.concat(parts).equals(data), 'same bytes, same order');
  assert.deepEqual(events, [`end after ${data.length}`, 'close']);
  assert.equal(fromClient, 'hello server');
  assert.ok(pacer.deferred > 0, 'chunks waited for a later turn');
});

test('while the consumer does not read, the queue stays bounded and the TCP socket is paused', async (t) => {
  const total = 16 * 1024 * 1024;
  const data = pattern(total, 3);
  const { port } = await server(t, (s) => s.end(data));
  const maxQueuedBytes = 128 * 1024;
  const sock = pacedConnection('127.0.0.1', port, { pacer: new InputPacer(), maxQueuedBytes });
  sock.pause();
  await once(sock, 'connect');
  // Let the server write as much as TCP takes while nothing is read here.
  let peak = 0;
  sock.raw.on('data', () => (peak = Math.max(peak, sock.queued)));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(sock.raw.isPaused(), 'TCP socket paused');
  assert.ok(sock.queued > 0 && sock.queued <= maxQueuedBytes + 65536, `queued ${sock.queued}`);
  assert.ok(peak <= maxQueuedBytes + 65536, `peak queued ${peak}`);
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => {
    parts.push(d);
    peak = Math.max(peak, sock.queued);
  });
  sock.resume();
  await once(sock, 'end');
  assert.ok(Buffer.concat(parts).equals(data), 'every byte once the consumer reads');
  assert.ok(peak <= maxQueuedBytes + 65536, `peak queued ${peak}`);
});

test('a reset by the peer comes out as the socket error, after the data that came before it', async (t) => {
  const { port } = await server(t, (s) => {
    s.write('last words', () => setTimeout(() => s.resetAndDestroy(), 50));
  });
  const sock = pacedConnection('127.0.0.1', port, { pacer: new InputPacer() });
  let got = '';
  sock.on('data', (d: Buffer) => (got += d.toString()));
  const [err] = (await once(sock, 'error')) as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNRESET');
  assert.equal(got, 'last words');
  if (!sock.closed) await once(sock, 'close');
});

test('a refused connection is an error with its code; destroying the paced socket closes the TCP one', async (t) => {
  const { srv, port } = await server(t, () => undefined);
  srv.close();
  await once(srv, 'close');
  const refused = pacedConnection('127.0.0.1', port, { pacer: new InputPacer() });
  const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  assert.equal(err.code, 'ECONNREFUSED');

  let serverSide: Socket | undefined;
  const second = await server(t, (s) => (serverSide = s));
  const sock = pacedConnection('127.0.0.1', second.port, { pacer: new InputPacer() });
  await once(sock, 'connect');
  while (!serverSide) await new Promise((r) => setImmediate(r));
  const ended = once(serverSide, 'close');
  sock.destroy();
  await ended;
  assert.ok(sock.raw.destroyed);
});

test('a flood from many connections reaches the consumer a few chunks per loop turn, timers in between', async (t) => {
  const connections = 20;
  const waiting: Socket[] = [];
  let release!: () => void;
  const allConnected = new Promise<void>((r) => (release = r));
  const { port } = await server(t, (s) => {
    waiting.push(s);
    if (waiting.length === connections) release();
  });
  const pacer = new InputPacer({ budgetMs: 5 });
  const socks: PacedSocket[] = [];
  const log: string[] = [];
  for (let i = 0; i < connections; i++) {
    const sock = pacedConnection('127.0.0.1', port, { pacer });
    // Each chunk costs the consumer 2 ms, as a burst of key exchanges would.
    sock.on('data', () => {
      log.push('c');
      busy(2);
    });
    socks.push(sock);
  }
  await allConnected;
  await Promise.all(socks.map((s) => (s.connecting ? once(s, 'connect') : Promise.resolve([]))));
  const ticker = setInterval(() => log.push('t'), 1);
  for (const s of waiting) for (let k = 0; k < 4; k++) s.write(pattern(16 * 1024, k));
  while (log.filter((e) => e === 'c').length < connections) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  clearInterval(ticker);
  const chunks = log.filter((e) => e === 'c').length;
  const firstChunk = log.indexOf('c');
  const lastChunk = log.lastIndexOf('c');
  const runs = log
    .slice(firstChunk, lastChunk + 1)
    .join('')
    .split('t')
    .map((r) => r.length);
  // Unpaced, one poll phase would run a callback for every connection: >= 20 chunks without a tick.
  assert.ok(Math.max(...runs) <= connections / 2, `chunks between two ticks: ${runs.join(',')}`);
  assert.ok(runs.length > 2, 'the timer fired while the flood was delivered');
  assert.ok(chunks >= connections);
  for (const s of socks) s.destroy();
  for (const s of waiting) s.destroy();
});
