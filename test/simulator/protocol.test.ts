import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfSimulator } from '../../simulator';
import { BASE, CAP10, CAP11, errorsOf, isOk, RawClient } from '../helpers/simulator-client';
import type { SessionEnd } from '../../simulator';

describe('simulator protocol', { timeout: 20000 }, () => {
  let sim: NetconfSimulator;
  before(() => {
    sim = new NetconfSimulator();
  });
  after(async () => {
    await sim.close();
  });

  test('hello: capabilities, session-id, chunked framing when both offer 1.1', async () => {
    const c = await RawClient.memory(sim).handshake();
    assert.ok(c.capabilities.includes(CAP10) && c.capabilities.includes(CAP11));
    assert.ok(c.capabilities.some((x) => x.startsWith('urn:ietf:params:netconf:capability:candidate:1.0')));
    assert.ok(
      c.capabilities.includes('urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2018-02-20'),
    );
    assert.ok(c.sessionId > 0);
    assert.equal(c.mode, 'chunked');
    assert.ok(isOk(await c.rpc('<lock><target><candidate/></target></lock>')));
    // The reply really came chunked: the raw decoder is in chunked mode and parsed it.
    assert.equal(sim.sessions.get(c.sessionId)?.framing, 'chunked');
    c.close();
  });

  test('base 1.0 only: end-of-message framing throughout', async () => {
    const only10 = new NetconfSimulator({ baseVersions: ['1.0'] });
    try {
      const c = await RawClient.memory(only10).handshake();
      assert.ok(!c.capabilities.includes(CAP11));
      assert.equal(c.mode, 'eom');
      assert.ok(isOk(await c.rpc('<discard-changes/>')));
      c.close();
    } finally {
      await only10.close();
    }
  });

  test('a client offering only 1.0 gets EOM from a 1.0+1.1 server', async () => {
    const c = await RawClient.memory(sim).handshake([CAP10]);
    assert.equal(c.mode, 'eom');
    assert.ok(isOk(await c.rpc('<discard-changes/>')));
    c.close();
  });

  test('reply echoes all rpc attributes, prefixes included', async () => {
    const c = await RawClient.memory(sim).handshake();
    c.sendFramed(
      `<nc:rpc xmlns:nc="${BASE}" xmlns:ex="urn:example:x" message-id="m-42" ex:trace="abc" user="u1"><nc:discard-changes/></nc:rpc>`,
    );
    const reply = await c.waitReply('m-42');
    assert.equal(reply.name, 'nc:rpc-reply');
    assert.equal(reply.attributes['ex:trace'], 'abc');
    assert.equal(reply.attributes.user, 'u1');
    assert.ok(reply.attributeList.some((a) => a.ns === 'urn:example:x' && a.local === 'trace'));
    assert.ok(isOk(reply));
    c.close();
  });

  test('an rpc before hello is refused and the session ends', async () => {
    const c = RawClient.memory(sim);
    await c.waitHello();
    c.sendFramed(`<rpc xmlns="${BASE}" message-id="1"><get/></rpc>`, 'eom');
    const r = await c.waitReply('1');
    assert.equal(errorsOf(r)[0].tag, 'operation-failed');
    await c.closedPromise;
  });

  test('a hello with no common base version ends the session', async () => {
    const c = RawClient.memory(sim);
    const ended = new Promise<SessionEnd>((resolve) =>
      sim.once('session-end', (_id: number, e: SessionEnd) => resolve(e)),
    );
    await c.handshake(['urn:ietf:params:netconf:base:2.0']);
    await c.closedPromise;
    assert.match((await ended).reason, /no common base/);
  });

  test('malformed XML gets malformed-message and the session survives', async () => {
    const c = await RawClient.memory(sim).handshake();
    c.sendFramed('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get></rpc>');
    const bad = await c.waitFor(() => c.messages.find((m) => m.root?.local === 'rpc-reply'));
    assert.ok(bad.root);
    assert.equal(errorsOf(bad.root)[0].tag, 'malformed-message');
    assert.ok(isOk(await c.rpc('<discard-changes/>')));
    c.close();
  });

  test('a DOCTYPE is refused as malformed', async () => {
    const c = await RawClient.memory(sim).handshake();
    c.sendFramed(
      '<!DOCTYPE x [<!ENTITY a "b">]><rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>',
    );
    const bad = await c.waitFor(() => c.messages.find((m) => m.root?.local === 'rpc-reply'));
    assert.equal(errorsOf(bad.root!)[0].tag, 'malformed-message');
    c.close();
  });

  test('bad chunk framing from the client ends the session', async () => {
    const c = await RawClient.memory(sim).handshake();
    c.sendRaw('\n#zz\n<rpc/>\n##\n');
    await c.closedPromise;
    assert.ok(c.closed);
  });

  test('missing message-id, unknown operation, wrong namespace', async () => {
    const c = await RawClient.memory(sim).handshake();
    c.sendFramed(`<rpc xmlns="${BASE}"><get/></rpc>`);
    const noId = await c.waitFor(() => c.messages.find((m) => m.root?.local === 'rpc-reply'));
    const e = errorsOf(noId.root!)[0];
    assert.equal(e.tag, 'missing-attribute');
    assert.equal(e['info:bad-attribute'], 'message-id');
    const unknown = await c.rpc('<reboot xmlns="urn:example:x"/>');
    assert.equal(errorsOf(unknown)[0].tag, 'operation-not-supported');
    const wrongNs = await c.rpc('<get-config xmlns="urn:example:x"><source><running/></source></get-config>');
    assert.equal(errorsOf(wrongNs)[0].tag, 'operation-not-supported');
    c.close();
  });

  test('records rpcs and whether a session ended with close-session', async () => {
    const events: [number, string][] = [];
    const onRpc = (id: number, op: string): void => {
      events.push([id, op]);
    };
    sim.on('rpc', onRpc);
    const ends = new Map<number, SessionEnd>();
    const onEnd = (id: number, e: SessionEnd): void => {
      ends.set(id, e);
    };
    sim.on('session-end', onEnd);
    try {
      const a = await RawClient.memory(sim).handshake();
      const b = await RawClient.memory(sim).handshake();
      assert.ok(sim.sessions.has(a.sessionId) && sim.sessions.has(b.sessionId));
      await a.rpc('<get-config><source><running/></source></get-config>');
      assert.deepEqual(sim.sessions.get(a.sessionId)?.rpcs, ['get-config']);
      assert.ok(isOk(await a.rpc('<close-session/>')));
      await a.closedPromise;
      b.close();
      await b.closedPromise;
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        events.filter(([id]) => id === a.sessionId).map(([, op]) => op),
        ['get-config', 'close-session'],
      );
      assert.equal(ends.get(a.sessionId)?.closeSession, true);
      assert.equal(ends.get(b.sessionId)?.closeSession, false);
      assert.ok(!sim.sessions.has(a.sessionId) && !sim.sessions.has(b.sessionId));
    } finally {
      sim.off('rpc', onRpc);
      sim.off('session-end', onEnd);
    }
  });

  test('kill-session: own id is invalid-value, another session is ended', async () => {
    const a = await RawClient.memory(sim).handshake();
    const b = await RawClient.memory(sim).handshake();
    const self = await a.rpc(`<kill-session><session-id>${a.sessionId}</session-id></kill-session>`);
    assert.equal(errorsOf(self)[0].tag, 'invalid-value');
    const none = await a.rpc('<kill-session><session-id>99999</session-id></kill-session>');
    assert.equal(errorsOf(none)[0].tag, 'invalid-value');
    const ended = new Promise<SessionEnd>((resolve) =>
      sim.once('session-end', (_id: number, e: SessionEnd) => resolve(e)),
    );
    assert.ok(isOk(await a.rpc(`<kill-session><session-id>${b.sessionId}</session-id></kill-session>`)));
    await b.closedPromise;
    const e = await ended;
    assert.equal(e.killedBy, a.sessionId);
    assert.equal(e.closeSession, false);
    a.close();
  });
});
