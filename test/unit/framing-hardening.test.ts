import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FrameDecoder } from '../../src/framing';
import { NetconfProtocolError } from '../../src/errors';
import { Session } from '../../src/session/session';
import { BASE, ScriptedPeer } from '../helpers/scripted-peer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const MiB = 1024 * 1024;

function drain(d: FrameDecoder, out: Buffer[]): void {
  for (let m = d.next(); m; m = d.next()) out.push(m);
}

test('1-byte chunks: memory stays near maxMessageSize and the refusal comes at the bound', () => {
  const bound = 4 * MiB;
  const d = new FrameDecoder({ mode: 'chunked', maxMessageSize: bound });
  // 64 KiB reads, each holding 13,107 one-byte chunks: what a hostile server's stream looks like.
  const frame = Buffer.from('\n#1\nX'.repeat(13_107));
  const before = memory();
  let fed = 0;
  let peak = 0;
  assert.throws(() => {
    for (;;) {
      d.push(frame);
      fed += 13_107;
      d.next();
      if (fed % (256 * 13_107) === 0) peak = Math.max(peak, memory() - before);
    }
  }, /maxMessageSize/);
  peak = Math.max(peak, memory() - before);
  // Refused on the first byte past the bound (fed counts whole reads of 13,107 bytes).
  assert.ok(fed >= bound && fed < bound + 13_107 * 2, `refused after ${fed} body bytes`);
  assert.ok(peak < 4 * bound, `memory grew by ${(peak / MiB).toFixed(0)} MiB for a ${bound / MiB} MiB bound`);
});

test('1-byte reads in end-of-message framing: memory stays near the message size', () => {
  const d = new FrameDecoder({ mode: 'eom', maxMessageSize: 8 * MiB });
  const one = Buffer.from('y');
  const before = memory();
  for (let i = 0; i < 2 * MiB; i++) {
    d.push(one);
    d.next();
  }
  const grown = memory() - before;
  d.push(Buffer.from(']]>]]>'));
  const m = d.next();
  assert.equal(m?.length, 2 * MiB);
  assert.ok(grown < 16 * MiB, `memory grew by ${(grown / MiB).toFixed(0)} MiB for 2 MiB of body`);
});

test('base:1.0: whitespace between messages is skipped (a newline after ]]>]]> before <?xml)', () => {
  const d = new FrameDecoder({ mode: 'eom' });
  const out: Buffer[] = [];
  d.push(Buffer.from('<?xml version="1.0"?><a/>]]>]]>\n\r\n \t<?xml version="1.0"?><b/>]]>]]>\n'));
  drain(d, out);
  assert.deepEqual(
    out.map((b) => b.toString()),
    ['<?xml version="1.0"?><a/>', '<?xml version="1.0"?><b/>'],
  );
  // Whitespace inside a message is kept.
  d.push(Buffer.from('<c> </c>\n]]>]]>'));
  assert.equal(d.next()?.toString(), '<c> </c>\n');
});

test('base:1.1: extra line feeds (and other whitespace) before a chunk header are tolerated', () => {
  const d = new FrameDecoder({ mode: 'chunked' });
  const out: Buffer[] = [];
  d.push(Buffer.from('\n#3\nabc\n##\n\n\n#3\ndef\n\n#1\ng\n##\n\r\n#1\nh\n##\n'));
  drain(d, out);
  assert.deepEqual(
    out.map((b) => b.toString()),
    ['abc', 'defg', 'h'],
  );
  // Only whitespace is tolerated, and `#` must still follow a line feed.
  const bad = new FrameDecoder({ mode: 'chunked' });
  bad.push(Buffer.from('\n#1\na\n##\nx\n#1\nb\n##\n'));
  assert.equal(bad.next()?.toString(), 'a');
  assert.throws(() => bad.next(), NetconfProtocolError);
  const cr = new FrameDecoder({ mode: 'chunked' });
  cr.push(Buffer.from('\r#1\na\n##\n'));
  assert.throws(() => cr.next(), NetconfProtocolError);
});

async function twoReplies(peer: ScriptedPeer, s: Session, frame: (id: string) => string): Promise<void> {
  const a = s.sendRpc('<get/>');
  const b = s.sendRpc('<get-config><source><running/></source></get-config>');
  const before = peer.rpcs.length;
  const [ra, rb] = (await peer.waitForRpcs(before + 2)).slice(before);
  peer.sendRaw(frame(ra.id) + frame(rb.id));
  assert.equal((await a).messageId, ra.id);
  assert.equal((await b).messageId, rb.id);
}

const replyXml = (id: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><rpc-reply xmlns="${BASE}" message-id="${id}"><ok/></rpc-reply>`;

test('a base:1.0 server writing a newline after ]]>]]> keeps the session up', async () => {
  const peer = new ScriptedPeer();
  const started = Session.start(peer.clientStream, { helloTimeout: 5 });
  peer.sendRaw(
    `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${BASE}"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>4</session-id></hello>]]>]]>\n`,
  );
  const s = await started;
  assert.equal(s.framing, 'eom');
  await twoReplies(peer, s, (id) => `${replyXml(id)}]]>]]>\n`);
  await twoReplies(peer, s, (id) => `${replyXml(id)}]]>]]>\r\n`);
  peer.drop();
});

test('a base:1.1 server writing an extra line feed before chunk headers keeps the session up', async () => {
  const peer = new ScriptedPeer();
  const started = Session.start(peer.clientStream, { helloTimeout: 5 });
  peer.hello();
  const s = await started;
  assert.equal(s.framing, 'chunked');
  await twoReplies(peer, s, (id) => {
    const body = Buffer.from(replyXml(id));
    return `\n\n#${body.length}\n${body.toString()}\n##\n`;
  });
  peer.drop();
});
