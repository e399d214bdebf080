/**
 * Every Manager operation over real SSH on 127.0.0.1 against the simulator, with each rpc-error
 * case, host key and password refusals, 200 pipelined RPCs answered out of order, a dropped
 * connection, and a 100 MB reply received while a timer keeps running.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ConnectError, connectSsh, Manager, RpcError, SessionClosedError } from '../../src';
import { NetconfSimulator, NS_IF, NS_SIM } from '../../simulator';
import { turnsDuring } from '../helpers/loop-turns';

const IF_FILTER = `<interfaces xmlns="${NS_IF}"/>`;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('Manager over SSH against the simulator', { timeout: 60000 }, () => {
  let sim: NetconfSimulator;
  const open: Manager[] = [];

  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' }, confirmTimeoutUnitMs: 50 }).listen();
  });
  after(async () => {
    await Promise.all(open.map((m) => m.close().catch(() => undefined)));
    await sim.close();
  });

  async function connect(): Promise<Manager> {
    const session = await connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      timeout: 10,
    });
    const m = new Manager(session, { timeout: 10 });
    open.push(m);
    return m;
  }

  test('wrong password and host key mismatch are refused with clear errors', async () => {
    const badPassword = await rejection(
      connectSsh({
        host: '127.0.0.1',
        port: sim.port,
        username: 'admin',
        password: 'nope',
        hostFingerprint: sim.hostFingerprint,
        timeout: 10,
      }),
    );
    assert.ok(badPassword instanceof ConnectError);
    assert.match(badPassword.message, /authentication failed for user 'admin'/);

    const wrongKey = await rejection(
      connectSsh({
        host: '127.0.0.1',
        port: sim.port,
        username: 'admin',
        password: 'admin',
        hostFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        timeout: 10,
      }),
    );
    assert.ok(wrongKey instanceof ConnectError);
    assert.match(wrongKey.message, /does NOT match the pinned fingerprint/);
    assert.equal(wrongKey.fingerprint, sim.hostFingerprint);

    const unpinned = await rejection(
      connectSsh({ host: '127.0.0.1', port: sim.port, username: 'admin', password: 'admin', timeout: 10 }),
    );
    assert.ok(unpinned instanceof ConnectError);
    assert.ok(unpinned.message.includes(sim.hostFingerprint), 'the error shows the fingerprint to pin');
  });

  test('hello, get, get-config with subtree and xpath filters, with-defaults', async () => {
    const m = await connect();
    assert.ok(m.sessionId && m.sessionId > 0);
    assert.ok(m.hasCapability('urn:ietf:params:netconf:capability:candidate:1.0'));
    const all = await m.getConfig();
    assert.match(all.dataXml, /<name>eth0<\/name>/);
    const sub = await m.getConfig({ source: 'running', filter: IF_FILTER });
    const data = sub.data as { interfaces: { interface: { name: string }[] } };
    assert.ok(data.interfaces.interface.some((i) => i.name === 'eth0'));
    const xp = await m.getConfig({
      filter: { xpath: "/if:interfaces/if:interface[if:name='eth0']", namespaces: { if: NS_IF } },
    });
    assert.match(xp.dataXml, /eth0/);
    assert.doesNotMatch(xp.dataXml, /eth1/);
    const state = await m.get({ filter: `<interfaces-state xmlns="${NS_IF}"/>` });
    assert.match(state.dataXml, /interfaces-state/);
    const wd = await m.getConfig({ filter: IF_FILTER, withDefaults: 'report-all' });
    assert.ok(wd.ok === false && wd.dataXml.length > 0);
  });

  test('edit-config on candidate, validate, commit, discard-changes; data-exists and data-missing errors', async () => {
    const m = await connect();
    const iface = (name: string, op = ''): string =>
      `<interfaces xmlns="${NS_IF}"><interface${op ? ` xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="${op}"` : ''}><name>${name}</name>` +
      `<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface></interfaces>`;
    await m.editConfig(iface('ethT', 'create'), {
      target: 'candidate',
      defaultOperation: 'merge',
      errorOption: 'rollback-on-error',
    });
    const exists = await rejection(m.editConfig(iface('ethT', 'create'), { target: 'candidate' }));
    assert.ok(exists instanceof RpcError);
    assert.equal(exists.tag, 'data-exists');
    assert.equal(exists.severity, 'error');
    assert.ok(exists.path && exists.path.length > 0);
    const missing = await rejection(m.editConfig(iface('nope', 'delete'), { target: 'candidate' }));
    assert.ok(missing instanceof RpcError);
    assert.equal(missing.tag, 'data-missing');
    assert.equal((await m.validate('candidate')).ok, true);
    await m.commit();
    assert.match((await m.getConfig({ filter: IF_FILTER })).dataXml, /ethT/);
    await m.editConfig(iface('ethT', 'delete'), { target: 'candidate' });
    await m.discardChanges();
    assert.match(
      (await m.getConfig({ source: 'candidate', filter: IF_FILTER })).dataXml,
      /ethT/,
      'discard restored candidate',
    );
    await m.editConfig(iface('ethT', 'remove'), { target: 'candidate' });
    await m.commit();
    assert.doesNotMatch((await m.getConfig({ filter: IF_FILTER })).dataXml, /ethT/);
  });

  test('lock, lock-denied with the holder, in-use, unlock, kill-session', async () => {
    const a = await connect();
    const b = await connect();
    await a.lock('candidate');
    const denied = await rejection(b.lock('candidate'));
    assert.ok(denied instanceof RpcError);
    assert.equal(denied.tag, 'lock-denied');
    assert.equal(denied.info?.['session-id'], String(a.sessionId));
    const inUse = await rejection(
      b.editConfig(`<system xmlns="${NS_SIM}"><hostname>x</hostname></system>`, { target: 'candidate' }),
    );
    assert.ok(inUse instanceof RpcError);
    assert.equal(inUse.tag, 'in-use');
    await a.unlock('candidate');
    await b.lock('candidate');
    await b.unlock('candidate');
    const own = await rejection(a.killSession(a.sessionId ?? 0));
    assert.ok(own instanceof RpcError);
    assert.equal(own.tag, 'invalid-value');
    const ended = new Promise<void>((resolve) => b.session.once('close', () => resolve()));
    await a.killSession(b.sessionId ?? 0);
    await ended;
    assert.ok(b.session.closed);
  });

  test('confirmed commit rolls back on timeout; confirming commit with persist-id; cancel-commit', async () => {
    const m = await connect();
    const host = (name: string): string => `<system xmlns="${NS_SIM}"><hostname>${name}</hostname></system>`;
    const hostname = async (): Promise<string> => {
      const r = await m.getConfig({ filter: `<system xmlns="${NS_SIM}"><hostname/></system>` });
      return /<hostname>([^<]*)<\/hostname>/.exec(r.dataXml)?.[1] ?? '';
    };
    const before = await hostname();
    await m.editConfig(host('rolled-back'), { target: 'candidate' });
    await m.commit({ confirmed: true, confirmTimeout: 2 }); // 2 units of 50 ms in this simulator
    assert.equal(await hostname(), 'rolled-back');
    for (let i = 0; i < 40 && (await hostname()) !== before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await hostname(), before, 'rolled back after the confirm timeout');

    await m.editConfig(host('kept'), { target: 'candidate' });
    await m.commit({ confirmed: true, confirmTimeout: 100, persist: 'tok-1' });
    const other = await connect();
    await other.commit({ persistId: 'tok-1' });
    assert.equal(await hostname(), 'kept');

    await m.editConfig(host('cancelled'), { target: 'candidate' });
    await m.commit({ confirmed: true, confirmTimeout: 100 });
    await m.cancelCommit();
    assert.equal(await hostname(), 'kept');
  });

  test('copy-config, delete-config, get-schema, dispatch, create-subscription and takeNotification', async () => {
    const m = await connect();
    await m.copyConfig('startup', 'running');
    assert.match((await m.getConfig({ source: 'startup', filter: IF_FILTER })).dataXml, /eth0/);
    await m.deleteConfig('startup');
    assert.doesNotMatch((await m.getConfig({ source: 'startup' })).dataXml, /eth0/);
    const yang = await m.getSchema('ietf-interfaces');
    assert.match(yang, /module ietf-interfaces/);
    const unknown = await rejection(m.dispatch('<no-such-rpc xmlns="urn:x"/>'));
    assert.ok(unknown instanceof RpcError);
    assert.equal(unknown.tag, 'operation-not-supported');
    const start = new Date(Date.now() - 60_000).toISOString();
    await m.createSubscription({ stream: 'NETCONF', startTime: start });
    await m.editConfig(`<system xmlns="${NS_SIM}"><location>lab</location></system>`, { target: 'candidate' });
    const other = await connect();
    await other.commit();
    // Replayed events (earlier commits), replayComplete, then our commit's live event.
    const names: string[] = [];
    const liveChange = (): boolean =>
      names.lastIndexOf('netconf-config-change') > names.indexOf('replayComplete') && names.includes('replayComplete');
    for (let i = 0; i < 50 && !liveChange(); i++) {
      const n = await m.takeNotification({ timeout: 5 });
      if (n) names.push(n.name);
    }
    assert.ok(names.includes('replayComplete'), `got ${names.join(', ')}`);
    assert.ok(liveChange(), `a live netconf-config-change after replayComplete; got ${names.join(', ')}`);
    assert.ok(names.includes('netconf-config-change'), `got ${names.join(', ')}`);
  });

  test('get-data (RFC 8526) from running and operational, with subtree and xpath filters', async () => {
    const m = await connect();
    const running = await m.getData({ datastore: 'running', filter: IF_FILTER });
    assert.match(running.dataXml, /^<data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-nmda">/);
    assert.match(running.dataXml, /<name>eth0<\/name>/);
    assert.doesNotMatch(running.dataXml, /interfaces-state/);
    const operational = await m.getData({ filter: `<interfaces-state xmlns="${NS_IF}"/>` });
    assert.match(operational.dataXml, /interfaces-state/);
    const xp = await m.getData({
      datastore: 'ds:running',
      filter: { xpath: "/if:interfaces/if:interface[if:name='eth1']", namespaces: { if: NS_IF } },
    });
    assert.match(xp.dataXml, /eth1/);
    assert.doesNotMatch(xp.dataXml, /eth0/);
    const bad = await rejection(m.getData({ datastore: 'ds:nonsense' }));
    assert.ok(bad instanceof RpcError);
    assert.equal(bad.tag, 'invalid-value');
  });

  test('candidateTransaction: lock, edit (test-then-set), commit, unlock; a failed edit is discarded and unlocked', async () => {
    const m = await connect();
    const ops: string[] = [];
    const onRpc = (id: number, op: string): void => {
      if (id === m.sessionId) ops.push(op);
    };
    sim.on('rpc', onRpc);
    try {
      const host = (name: string): string => `<system xmlns="${NS_SIM}"><hostname>${name}</hostname></system>`;
      await m.candidateTransaction(host('tx-ok'));
      assert.deepEqual(ops, ['lock', 'edit-config', 'commit', 'unlock']);
      assert.match((await m.getConfig({ filter: `<system xmlns="${NS_SIM}"/>` })).dataXml, /tx-ok/);
      ops.length = 0;
      const cleanups: string[] = [];
      const bad = `<interfaces xmlns="${NS_IF}"><interface xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" nc:operation="delete"><name>nope</name></interface></interfaces>`;
      const err = await rejection(m.candidateTransaction(bad, { onCleanupError: (step) => cleanups.push(step) }));
      assert.ok(err instanceof RpcError);
      assert.equal(err.tag, 'data-missing');
      assert.deepEqual(ops, ['lock', 'edit-config', 'discard-changes', 'unlock']);
      assert.deepEqual(cleanups, []);
      const other = await connect();
      await other.lock('candidate');
      await other.unlock('candidate');
    } finally {
      sim.off('rpc', onRpc);
    }
  });

  test('200 RPCs in flight, answered in reverse order, each resolves to its own reply', async () => {
    const m = await connect();
    sim.setFaults({ reorder: 200, operations: ['get-config'] });
    try {
      const calls = Array.from({ length: 200 }, (_, i) =>
        m.getConfig({
          filter: `<interfaces xmlns="${NS_IF}"><interface><name>eth${i % 2}</name></interface></interfaces>`,
        }),
      );
      const replies = await Promise.all(calls);
      replies.forEach((r, i) => {
        assert.match(r.dataXml, new RegExp(`<name>eth${i % 2}</name>`));
        assert.doesNotMatch(r.dataXml, new RegExp(`<name>eth${(i + 1) % 2}</name>`));
      });
      const ids = replies.map((r) => Number(r.messageId));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'each call got the reply with its own message-id',
      );
    } finally {
      sim.clearFaults();
    }
  });

  test('a dropped connection rejects every pending RPC with SessionClosedError within a second', async () => {
    const m = await connect();
    // The first reply is cut after 10 bytes and the connection dropped; all are held until then.
    sim.setFaults({ hold: true, dropMidReply: 10 });
    try {
      const calls = Array.from({ length: 20 }, () => m.getConfig());
      await new Promise((r) => setTimeout(r, 200));
      const t0 = performance.now();
      const session = sim.sessions.get(m.sessionId ?? 0);
      assert.ok(session);
      sim.setFaults({ hold: false });
      const results = await Promise.allSettled(calls);
      const elapsed = performance.now() - t0;
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok(r.reason instanceof SessionClosedError, String(r.reason));
      }
      assert.ok(elapsed < 1000, `${elapsed} ms`);
    } finally {
      sim.clearFaults();
    }
  });
});

describe('100 MB reply from a simulator in another process', { timeout: 120000 }, () => {
  let child: ChildProcess;
  let port = 0;
  let fingerprint = '';

  before(async () => {
    const cli = path.resolve(__dirname, '../../simulator/cli.js');
    child = spawn(process.execPath, [cli, '--port', '0', '--user', 'admin:admin', '--notify-interval', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const p = /listening on [^\s:]+:(\d+)/.exec(out);
        const f = /(SHA256:[A-Za-z0-9+/]+)/.exec(out);
        if (p && f) {
          port = Number(p[1]);
          fingerprint = f[1];
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`simulator exited: ${out}`)));
    });
  });
  after(() => {
    child.kill();
  });

  async function connectChild(): Promise<Manager> {
    const session = await connectSsh({
      host: '127.0.0.1',
      port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: fingerprint,
      timeout: 20,
    });
    return new Manager(session, { timeout: 120 });
  }

  test('decodes without error; a timer on the same loop keeps firing while it arrives and is parsed', async () => {
    const m = await connectChild();
    try {
      const size = 100 * 1000 * 1000;
      const { result, turns, worstMs } = await turnsDuring(async () => {
        const reply = await m.getConfig({ filter: `<reply-size xmlns="${NS_SIM}" bytes="${size}"/>` });
        return { reply, data: await reply.getData() };
      });
      assert.equal(m.session.framing, 'chunked');
      const { reply, data } = result;
      assert.ok((reply.dataXml?.length ?? 0) >= size * 0.99, `dataXml is ${reply.dataXml?.length} characters`);
      assert.ok(Object.keys(data).length > 0);
      // Seconds of work: a blocked loop would turn once or twice, a free one hundreds of times.
      assert.ok(turns >= 20, `the timer fired ${turns} times (worst delay ${worstMs.toFixed(0)} ms)`);
    } finally {
      await m.close();
    }
  });
});
