/**
 * SessionOptions.maxDepth reaches every parse of a received message: the envelope (readMessage),
 * the reply's element tree, its `<data>` as an object (sync and sliced), and a notification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/session/session';
import { DataReply } from '../../src/session/reply';
import { NetconfProtocolError, SessionClosedError } from '../../src/errors';
import { ScriptedPeer } from '../helpers/scripted-peer';

const NOTIF = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const tooDeep = (e: unknown): boolean => e instanceof NetconfProtocolError && /deeper than maxDepth/.test(e.message);

function nested(depth: number): string {
  return '<a xmlns="urn:lab">' + '<a>'.repeat(depth - 1) + 'x' + '</a>'.repeat(depth);
}

async function open(maxDepth?: number): Promise<{ peer: ScriptedPeer; s: Session }> {
  const peer = new ScriptedPeer();
  const started = Session.start(peer.clientStream, { helloTimeout: 5, firstRpcNudge: 0, maxDepth });
  peer.hello();
  return { peer, s: await started };
}

/** A get whose reply `<data>` holds `depth` nested elements. */
async function dataReply(peer: ScriptedPeer, s: Session, depth: number): Promise<DataReply> {
  const before = peer.rpcs.length;
  const call = s.sendRpc('<get/>');
  const rpc = (await peer.waitForRpcs(before + 1))[before];
  peer.reply(rpc.id, `<data>${nested(depth)}</data>`);
  return new DataReply(await call);
}

test('maxDepth bounds the reply data: object (sync and sliced) and element tree', async () => {
  const { peer, s } = await open(20);
  // <rpc-reply><data> are two levels: 18 nested elements inside are exactly the bound.
  const fits = await dataReply(peer, s, 18);
  assert.equal(Object.keys(fits.data).length, 1);
  assert.equal(fits.element.local, 'rpc-reply');
  // The envelope is read only up to <data>, so a deep <data> arrives; parsing it is refused.
  const deep = await dataReply(peer, s, 30);
  assert.throws(() => deep.data, tooDeep);
  await assert.rejects(deep.getData(), tooDeep);
  assert.throws(() => deep.element, tooDeep);
  assert.equal(s.closed, false);
  peer.drop();
});

test('without maxDepth the default (512) applies: the same reply parses', async () => {
  const { peer, s } = await open();
  const deep = await dataReply(peer, s, 30);
  assert.equal(Object.keys(await deep.getData()).length, 1);
  assert.equal(deep.element.local, 'rpc-reply');
  peer.drop();
});

test('maxDepth bounds a notification (read in full): too deep closes the session', async () => {
  const { peer, s } = await open(20);
  const event = (depth: number): string =>
    `<notification xmlns="${NOTIF}"><eventTime>2026-01-01T00:00:00Z</eventTime>${nested(depth)}</notification>`;
  peer.send(event(10));
  const n = await s.takeNotification({ timeout: 5 });
  assert.ok(n);
  assert.equal(Object.keys(n.data).length, 1);
  const call = s.sendRpc('<get/>');
  await peer.waitForRpcs(1);
  peer.send(event(30));
  await assert.rejects(call, SessionClosedError);
  assert.ok(tooDeep(s.closeReason));
});
