/** The simulator driven by the library's own client (connectSsh + Manager). */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, InvalidInputError, Manager, prepareGetConfig, RpcError, SessionClosedError } from '../../src';
import { NetconfSimulator, NS_IF } from '../../simulator';

describe('library client against the simulator', { timeout: 20000 }, () => {
  let sim: NetconfSimulator;
  before(async () => {
    sim = await new NetconfSimulator().listen();
  });
  after(async () => {
    await sim.close();
  });

  const connect = async (): Promise<Manager> =>
    new Manager(
      await connectSsh({
        host: '127.0.0.1',
        port: sim.port,
        username: 'admin',
        password: 'admin',
        hostFingerprint: sim.hostFingerprint,
        timeout: 5,
      }),
      { timeout: 5 },
    );

  test('get-config, lock-denied with holder id, close-session recorded', async () => {
    const ends = new Map<number, boolean>();
    const onEnd = (id: number, e: { closeSession: boolean }): void => {
      ends.set(id, e.closeSession);
    };
    sim.on('session-end', onEnd);
    const a = await connect();
    const b = await connect();
    try {
      const reply = await a.getConfig({ source: 'running', filter: `<interfaces xmlns="${NS_IF}"/>` });
      assert.match(reply.xml, /<name>eth0<\/name>/);
      await a.lock('running');
      const err = await b.lock('running').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof RpcError);
      assert.equal(err.tag, 'lock-denied');
      assert.equal(err.info?.['session-id'], String(a.sessionId));
      await a.closeSession();
      await b.close();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(ends.get(a.sessionId!), true);
      // Manager.close() is graceful too: it sends <close-session> first.
      assert.equal(ends.get(b.sessionId!), true);
    } finally {
      sim.off('session-end', onEnd);
      await a.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    }
  });

  test('loadYang builds a schema from get-schema of the demo modules', async () => {
    const m = await connect();
    try {
      const text = await m.getSchema('ietf-interfaces');
      assert.match(text, /^module ietf-interfaces/);
      const schema = await m.loadYang();
      assert.ok(schema);
      const reply = await m.getConfig({ source: 'running' });
      const json = JSON.stringify(reply.json);
      assert.match(json, /ietf-interfaces:interfaces/);
      assert.match(json, /iana-if-type:ethernetCsmacd/);
    } finally {
      await m.close();
    }
  });

  test('execute() sends a prepared operation; RFC 7951 input is converted when executed', async () => {
    const m = await connect();
    try {
      const plain = prepareGetConfig({ filter: `<interfaces xmlns="${NS_IF}"/>` });
      const reply = await m.execute(plain);
      assert.match(reply.xml, /<name>eth0<\/name>/);
      // Prepared once, sent twice: the same operation.
      assert.match((await m.execute(plain)).xml, /<name>eth0<\/name>/);
      const json = prepareGetConfig({ filter: { 'ietf-interfaces:interfaces': {} } });
      assert.equal(json.rfc7951Input, 'filter');
      await assert.rejects(
        m.execute(json),
        (e: unknown) => e instanceof InvalidInputError && /loadYang/.test(e.message),
      );
      await m.loadYang();
      const typed = await m.execute(json);
      assert.match(JSON.stringify(typed.json), /"name":"eth0"/);
    } finally {
      await m.close();
    }
  });

  test('a dropped connection fails the pending call', async () => {
    const m = await connect();
    try {
      const ended = new Promise<{ closeSession: boolean }>((r) =>
        sim.once('session-end', (_id: number, e: { closeSession: boolean }) => r(e)),
      );
      sim.setFaults({ dropMidReply: true });
      await assert.rejects(m.get(), (e: unknown) => e instanceof SessionClosedError);
      assert.equal((await ended).closeSession, false);
    } finally {
      sim.clearFaults();
      await m.close().catch(() => undefined);
    }
  });
});
