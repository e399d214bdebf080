import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, encodeMessage, type FramingMode } from '../../src/framing';
import { NetconfProtocolError } from '../../src/errors';

const messages = [
  '<rpc-reply message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>',
  // Delimiter-like text inside data must not fool either framing.
  '<rpc-reply message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data><x a="]]>]]">\n#12\n##</x></data></rpc-reply>',
  // Multi-byte UTF-8 (2, 3 and 4 bytes) that will be split across reads.
  '<rpc-reply message-id="3" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data><d>é€𝄞 ünïcödé</d></data></rpc-reply>',
];

function frame(mode: FramingMode, bodies: string[]): Buffer {
  return Buffer.concat(bodies.flatMap((b) => encodeMessage(b, mode)));
}

function decodeAll(decoder: FrameDecoder, pieces: Buffer[]): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    decoder.push(piece);
    for (let m = decoder.next(); m; m = decoder.next()) out.push(m.toString('utf8'));
  }
  return out;
}

for (const mode of ['eom', 'chunked'] as const) {
  test(`${mode}: every split point of the stream gives the same messages`, () => {
    const stream = frame(mode, messages);
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = decodeAll(new FrameDecoder({ mode }), [stream.subarray(0, cut), stream.subarray(cut)]);
      assert.deepEqual(got, messages, `split at ${cut}`);
    }
  });

  test(`${mode}: byte-by-byte and random splits`, () => {
    const stream = frame(mode, messages);
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    assert.deepEqual(decodeAll(new FrameDecoder({ mode }), bytes), messages);
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < stream.length;) {
        const n = 1 + Math.floor(rand() * 40);
        pieces.push(stream.subarray(i, i + n));
        i += n;
      }
      assert.deepEqual(decodeAll(new FrameDecoder({ mode }), pieces), messages, `round ${round}`);
    }
  });
}

test('chunked: a message made of many chunks, split inside headers', () => {
  const body = Buffer.from('<a>' + 'x'.repeat(1000) + 'é'.repeat(100) + '</a>');
  // Chunks of 7 bytes cut multi-byte characters in half.
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += 7) {
    const c = body.subarray(i, i + 7);
    parts.push(Buffer.from(`\n#${c.length}\n`), c);
  }
  parts.push(Buffer.from('\n##\n'));
  const stream = Buffer.concat(parts);
  for (const size of [1, 2, 3, 5, 13]) {
    const pieces: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) pieces.push(stream.subarray(i, i + size));
    assert.deepEqual(decodeAll(new FrameDecoder({ mode: 'chunked' }), pieces), [body.toString()]);
  }
});

test('chunked: the largest legal chunk size is accepted in the header', () => {
  const d = new FrameDecoder({ mode: 'chunked', maxMessageSize: 2 ** 33 });
  d.push(Buffer.from('\n#4294967295\n' + 'abc'));
  assert.equal(d.next(), undefined);
});

test('eom to chunked switch at the exact message boundary', () => {
  const hello = encodeMessage('<hello/>', 'eom');
  const reply = encodeMessage(messages[0], 'chunked');
  const d = new FrameDecoder({ mode: 'eom' });
  d.push(Buffer.concat([...hello, ...reply]));
  assert.equal(d.next()?.toString(), '<hello/>');
  d.setMode('chunked');
  assert.equal(d.next()?.toString(), messages[0]);
  assert.equal(d.next(), undefined);
});

const malformed: [string, string][] = [
  ['missing LF', '#3\nabc\n##\n'],
  ['missing hash', '\n3\nabc\n##\n'],
  ['zero size', '\n#0\n\n##\n'],
  ['leading zero', '\n#03\nabc\n##\n'],
  ['size too large', '\n#4294967296\n'],
  ['eleven digits', '\n#12345678901\n'],
  ['letters in size', '\n#1a\n'],
  ['end marker without chunks', '\n##\n'],
  ['garbage after ##', '\n#3\nabc\n##x'],
];
for (const [name, input] of malformed) {
  test(`chunked: rejects ${name} with NetconfProtocolError`, () => {
    const d = new FrameDecoder({ mode: 'chunked' });
    d.push(Buffer.from(input));
    assert.throws(() => d.next(), NetconfProtocolError);
    // The decoder stays failed: the session must close.
    assert.throws(() => d.next(), NetconfProtocolError);
  });
}

test('maxMessageSize bounds both framings', () => {
  const chunked = new FrameDecoder({ mode: 'chunked', maxMessageSize: 100 });
  chunked.push(Buffer.from('\n#101\n'));
  assert.throws(() => chunked.next(), /maxMessageSize/);
  const eom = new FrameDecoder({ mode: 'eom', maxMessageSize: 100 });
  eom.push(Buffer.alloc(150, 0x61));
  assert.throws(() => eom.next(), /maxMessageSize/);
});

test(
  '50 MB in 1986-byte chunks and 64 KiB reads decodes intact (a quadratic decoder would hit the timeout)',
  { timeout: 30000 },
  () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const parts: Buffer[] = [];
    for (let i = 0; i < body.length; i += 1986) {
      const c = body.subarray(i, i + 1986);
      parts.push(Buffer.from(`\n#${c.length}\n`), c);
    }
    parts.push(Buffer.from('\n##\n'));
    const stream = Buffer.concat(parts);
    const d = new FrameDecoder({ mode: 'chunked' });
    let got: Buffer | undefined;
    for (let i = 0; i < stream.length; i += 65536) {
      d.push(stream.subarray(i, i + 65536));
      got = d.next() ?? got;
    }
    assert.equal(got?.length, body.length);
    assert.ok(got?.equals(body));
  },
);

test('encodeMessage: chunked framing of an empty body is refused', () => {
  assert.throws(() => encodeMessage('', 'chunked'), NetconfProtocolError);
});
