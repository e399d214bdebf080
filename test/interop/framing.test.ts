/**
 * Framing and message routing against netconfd: base:1.1 chunked replies of several megabytes
 * in netconfd's chunks of at most 1986 bytes (counted on the wire), the same reply with base:1.0
 * end-of-message framing, many pipelined RPCs each matched to its own reply by message-id, and a
 * request over netconfd's ~8 MB input limit reported as a closed session, not a hang.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Manager } from '../../src/manager';
import { Session } from '../../src/session/session';
import { RpcError, SessionClosedError } from '../../src/errors';
import { parseTree } from '../../src/xml/element';
import {
  LAB_NS,
  TapStream,
  chunkSizes,
  closeAll,
  connect,
  labFilter,
  openChannel,
  resetCandidate,
  within,
} from './helpers/lab';

const ENTRIES = 10000;
const BIG_ITEMS = 3;
const BIG_SIZE = 1024 * 1024;

let m: Manager;

before(async () => {
  m = await connect({ rpcTimeout: 120 });
  await resetCandidate(m);
});

after(async () => {
  if (m && !m.session.closed) await resetCandidate(m).catch(() => undefined);
  await closeAll(m);
});

/** A deterministic megabyte string, different for each item. */
function bigString(i: number): string {
  const unit = `item-${i}-abcdefghijklmnopqrstuvwxyz0123456789-`;
  return unit.repeat(Math.ceil(BIG_SIZE / unit.length)).slice(0, BIG_SIZE);
}

/** A Manager over a raw ssh2 channel behind a byte tap. */
async function tapped(base?: ('1.0' | '1.1')[]): Promise<{ mgr: Manager; tap: TapStream }> {
  const { channel, client } = await openChannel();
  const tap = new TapStream(channel);
  const session = await Session.start(tap, {
    base,
    helloTimeout: 20,
    peer: 'netconfd-tap',
    closeTransport: () => client.end(),
  });
  return { mgr: new Manager(session, { timeout: 120 }), tap };
}

test(`${ENTRIES} list entries plus ${BIG_ITEMS} x 1 MB strings: a multi-MB chunked reply, chunks <= 1986 bytes`, async () => {
  // /lab created in the same edit, ids descending: netconfd's fast path (see the lab README)
  const parts: string[] = [];
  for (let id = ENTRIES + BIG_ITEMS; id > BIG_ITEMS; id--) parts.push(`<item><id>${id}</id><name>n${id}</name></item>`);
  for (let id = BIG_ITEMS; id >= 1; id--) parts.push(`<item><id>${id}</id><name>${bigString(id)}</name></item>`);
  await m.editConfig(`<lab xmlns="${LAB_NS}">${parts.join('')}</lab>`, { target: 'candidate', timeout: 120 });

  const { mgr, tap } = await tapped();
  try {
    assert.equal(mgr.session.framing, 'chunked');
    const before = tap.receivedBytes.length;
    const reply = await mgr.getConfig({ source: 'candidate', filter: labFilter, timeout: 120 });
    const wire = tap.receivedBytes;
    assert.ok(wire.length - before > 3 * 1024 * 1024, `reply of ${wire.length - before} bytes`);
    const sizes = chunkSizes(wire);
    assert.ok(sizes.length > 1500, `${sizes.length} chunks`);
    assert.ok(Math.max(...sizes) <= 1986, `largest chunk ${Math.max(...sizes)}`);
    // content: every entry, the big strings intact
    const data = (await reply.getData()) as { lab: { item: { id: string; name: string }[] } };
    const list = data.lab.item;
    assert.equal(list.length, ENTRIES + BIG_ITEMS);
    const byId = new Map(list.map((i) => [Number(i.id), i.name]));
    for (let id = 1; id <= BIG_ITEMS; id++) assert.ok(byId.get(id) === bigString(id), `item ${id} differs`);
    for (const id of [BIG_ITEMS + 1, 5000, ENTRIES + BIG_ITEMS]) assert.equal(byId.get(id), `n${id}`);
    // the same reply with base:1.0 end-of-message framing
    const eom = await connect({ base: ['1.0'], rpcTimeout: 120 });
    try {
      assert.equal(eom.session.framing, 'eom');
      const r10 = await eom.getConfig({ source: 'candidate', filter: labFilter });
      assert.equal(r10.dataXml, reply.dataXml);
    } finally {
      await closeAll(eom);
    }
  } finally {
    await closeAll(mgr);
    await m.discardChanges();
  }
});

test('60 pipelined RPCs in flight: each reply goes to its own request (message-id matching)', async () => {
  await m.editConfig(
    `<lab xmlns="${LAB_NS}">${Array.from({ length: 20 }, (_, i) => `<item><id>${20 - i}</id><name>name-${20 - i}</name></item>`).join('')}</lab>`,
    { target: 'candidate' },
  );
  try {
    const calls = Array.from({ length: 60 }, (_, k) => {
      const id = (k % 20) + 1;
      return k % 3 === 2
        ? m.session
            .sendRpc(
              '<get-config><source><candidate/></source><filter type="subtree"><helloworld-state xmlns="http://helloworld.com/ns/helloworld"/></filter></get-config>',
            )
            .then(() => 'empty')
        : m
            .getConfig({ source: 'candidate', filter: `<lab xmlns="${LAB_NS}"><item><id>${id}</id></item></lab>` })
            .then((r) => {
              const name = parseTree(r.dataXml).children[0]?.children[0]?.children.find(
                (c) => c.local === 'name',
              )?.text;
              return name ?? 'none';
            });
    });
    const results = await Promise.all(calls);
    results.forEach((got, k) => assert.equal(got, k % 3 === 2 ? 'empty' : `name-${(k % 20) + 1}`, `request ${k}`));
    assert.equal(m.session.pendingCount, 0);
  } finally {
    await m.discardChanges();
  }
});

test("a request over netconfd's ~8 MB input limit: refused and the session closed, never a hang", async () => {
  const victim = await connect({ rpcTimeout: 90 });
  const closed = new Promise<Error | undefined>((resolve) => victim.session.once('close', resolve));
  try {
    const huge = 'x'.repeat(9 * 1024 * 1024);
    const err = await within(
      60000,
      'oversized request',
      victim.editConfig(`<lab xmlns="${LAB_NS}"><note>${huge}</note></lab>`, { target: 'candidate' }).then(
        () => assert.fail('netconfd accepted a 9 MB request'),
        (e: unknown) => e,
      ),
    );
    // netconfd 2.13 answers with an <rpc-reply> WITHOUT message-id (resource-denied, error-type
    // rpc) and closes the session. The library gives that id-less error to the oldest waiting
    // RPC (the only one here); had the server just dropped the connection, it would be a
    // SessionClosedError. Either way the caller gets an answer and then a closed session.
    if (err instanceof RpcError) {
      assert.equal(err.tag, 'resource-denied');
      assert.equal(err.type, 'rpc');
      assert.equal(err.messageId, undefined);
    } else {
      assert.ok(err instanceof SessionClosedError, String(err));
    }
    const reason = await within(10000, 'session close', closed);
    assert.ok(reason instanceof SessionClosedError, String(reason));
    assert.equal(victim.session.closed, true);
    await assert.rejects(victim.getConfig({ source: 'running' }), SessionClosedError);
  } finally {
    await closeAll(victim);
  }
  // the server is fine for everyone else
  await m.getConfig({ source: 'running', filter: labFilter });
});
