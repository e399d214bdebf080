import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { NetconfSimulator, NS_SIM } from '../../simulator';
import { isOk, RawClient, texts } from '../helpers/simulator-client';
import { sshKeyPair } from '../helpers/ssh-keys';

describe('SSH listener', { timeout: 20000 }, () => {
  const userKey = sshKeyPair();
  let sim: NetconfSimulator;
  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'secret' }, authorizedKeys: [userKey.public] }).listen();
  });
  after(async () => {
    await sim.close();
  });

  test('listens on 127.0.0.1 with a random port and reports the host key fingerprint', async () => {
    assert.ok(sim.port > 0);
    let seen = '';
    const c = await RawClient.ssh(sim, {
      password: 'secret',
      hostVerifier: (key: Buffer) => {
        seen = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
    await c.handshake();
    assert.equal(seen, sim.hostFingerprint);
    assert.match(sim.hostPublicKey, /^ssh-ed25519 AAAA/);
    assert.equal(sim.sessions.get(c.sessionId)?.transport, 'ssh');
    assert.equal(sim.sessions.get(c.sessionId)?.username, 'admin');
    assert.ok(isOk(await c.rpc('<close-session/>')));
    await c.closedPromise;
  });

  test('public key authentication', async () => {
    const c = await RawClient.ssh(sim, { username: 'anyone', password: undefined, privateKey: userKey.private });
    await c.handshake();
    assert.equal(sim.sessions.get(c.sessionId)?.username, 'anyone');
    c.close();
  });

  test('a wrong password is rejected', async () => {
    await assert.rejects(RawClient.ssh(sim, { password: 'wrong' }), /authentication/i);
  });
});

describe('fault knobs', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  let c: RawClient | undefined;
  before(async () => {
    sim = await new NetconfSimulator().listen();
  });
  afterEach(() => {
    sim.clearFaults();
    c?.close();
    c = undefined;
  });
  after(async () => {
    await sim.close();
  });

  test('delayMs delays replies', async () => {
    c = await RawClient.memory(sim).handshake();
    sim.setFaults({ delayMs: 150 });
    const t0 = Date.now();
    assert.ok(isOk(await c.rpc('<discard-changes/>')));
    assert.ok(Date.now() - t0 >= 140);
  });

  test('reorder releases K replies in reverse order', async () => {
    c = await RawClient.memory(sim).handshake();
    sim.setFaults({ reorder: 3 });
    const ids = [c.send('<discard-changes/>'), c.send('<discard-changes/>'), c.send('<discard-changes/>')];
    await c.waitReply(ids[0]);
    const order = c.messages.filter((m) => m.root?.local === 'rpc-reply').map((m) => m.root!.attributes['message-id']);
    assert.deepEqual(order, [...ids].reverse());
  });

  test('hold keeps replies until released; operations limits a knob', async () => {
    c = await RawClient.memory(sim).handshake();
    sim.setFaults({ hold: true, operations: ['get'] });
    const held = c.send('<get/>');
    assert.ok(isOk(await c.rpc('<discard-changes/>')), 'other operations are not held');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.reply(held), undefined);
    sim.setFaults({ hold: false });
    await c.waitReply(held);
  });

  test('dropMidReply cuts the next reply and drops the SSH connection', async () => {
    c = await RawClient.ssh(sim);
    await c.handshake();
    const ends: boolean[] = [];
    sim.once('session-end', (_id: number, e: { closeSession: boolean }) => ends.push(e.closeSession));
    sim.setFaults({ dropMidReply: 100 });
    c.send('<get-config><source><running/></source></get-config>');
    await c.closedPromise;
    assert.equal(c.messages.length, 0, 'no complete reply');
    assert.equal(sim.faults.current.dropMidReply, undefined, 'one-shot');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(ends, [false]);
  });

  test('malformedChunk sends an invalid chunk header once', async () => {
    c = await RawClient.memory(sim).handshake();
    sim.setFaults({ malformedChunk: true });
    c.send('<discard-changes/>');
    await c.waitFor(() => c!.frameError, 2000, 'framing error');
    assert.match(c.frameError!.message, /malformed chunked framing/);
    assert.equal(sim.faults.current.malformedChunk, undefined);
  });

  test('reply-size produces a reply of exactly N bytes, fast (100 MB over SSH)', async () => {
    c = await RawClient.ssh(sim);
    await c.handshake();
    const small = await c.rpc(
      `<get-config><source><running/></source><filter type="subtree"><reply-size xmlns="${NS_SIM}" bytes="5000"/></filter></get-config>`,
    );
    assert.equal(Buffer.byteLength(c.reply('1')!.xml), 5000);
    assert.equal(texts(small, 'id')[0], '1');
    const N = 100 * 1024 * 1024;
    const t0 = Date.now();
    const id = c.send(`<get><filter type="subtree"><reply-size xmlns="${NS_SIM}" bytes="${N}"/></filter></get>`);
    const xml = await c.waitFor(() => c!.messages.find((m) => m.xml.length >= N - 1000)?.xml, 20000, 'big reply');
    const ms = Date.now() - t0;
    assert.equal(Buffer.byteLength(xml), N);
    assert.ok(xml.includes(`message-id="${id}"`));
    assert.ok(xml.endsWith('</reply-size></data></rpc-reply>'));
    process.stdout.write(`# 100 MB reply over SSH in ${ms} ms\n`);
    assert.ok(ms < 15000);
  });
});
