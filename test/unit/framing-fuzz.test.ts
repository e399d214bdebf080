/**
 * Seeded framing fuzz: valid messages in both framings, split at random points and mutated, fed
 * to FrameDecoder and compared with an independent reference decoder (test/helpers/reference-
 * framer.ts). The library must decode the same messages, raise an error exactly where the
 * reference finds the input invalid (after the same messages), and never hang, crash, or throw
 * anything but NetconfProtocolError. FUZZ_INPUTS sets the number of inputs (npm run fuzz: 1e6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, type FramingMode } from '../../src/framing';
import { NetconfProtocolError } from '../../src/errors';
import { referenceDecode } from '../helpers/reference-framer';

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 200_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x6242);

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Pieces that make framing interesting: delimiters, their prefixes, headers, digits, white space. */
const ATOMS = [
  '<a>',
  '</a>',
  'x',
  'é',
  ']',
  ']]>',
  ']]>]]',
  ']]>]]>',
  '#',
  '##',
  '\n',
  '\n#',
  '\n##\n',
  ' ',
  '\r\n',
  '7',
  '0',
];
const BAD_HEADERS = [
  '\n#0\n',
  '\n#01\n',
  '\n#4294967296\n',
  '\n#99999999999\n',
  '\n# 5\n',
  '\n#-1\n',
  '\n#\n',
  '#5\n',
  '\n#5',
  '\n##',
];

function body(g: Gen, eom: boolean): Buffer {
  const parts: string[] = ['<rpc-reply>'];
  const n = g.int(12);
  for (let i = 0; i < n; i++) parts.push(g.pick(ATOMS));
  let text = parts.join('');
  // A valid base:1.0 body cannot hold the delimiter: cut it out (mutations put it back).
  if (eom) text = text.split(']]>]]>').join(']]>]>');
  return Buffer.from(text, 'utf8');
}

function frameChunked(g: Gen, payload: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < payload.length) {
    const n = 1 + g.int(Math.min(payload.length - at, g.chance(0.5) ? 3 : 40));
    if (g.chance(0.05)) out.push(Buffer.from(g.pick(['\n', '\r\n', ' '])));
    out.push(Buffer.from(`\n#${n}\n`), payload.subarray(at, at + n));
    at += n;
  }
  out.push(Buffer.from('\n##\n'));
  return Buffer.concat(out);
}

function validInput(g: Gen, mode: FramingMode): Buffer {
  const out: Buffer[] = [];
  const count = 1 + g.int(3);
  for (let i = 0; i < count; i++) {
    if (mode === 'eom') {
      if (g.chance(0.1)) out.push(Buffer.from(g.pick(['\n', '\r\n', '  \n\t'])));
      out.push(body(g, true), Buffer.from(']]>]]>'));
    } else out.push(frameChunked(g, body(g, false)));
  }
  return Buffer.concat(out);
}

function mutate(g: Gen, input: Buffer): Buffer {
  let b = Buffer.from(input);
  const count = g.int(4);
  for (let k = 0; k < count && b.length > 0; k++) {
    const at = g.int(b.length);
    switch (g.int(6)) {
      case 0:
        b[at] ^= 1 << g.int(8);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), Buffer.from([g.int(256)]), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + g.int(4)))]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(g.pick(BAD_HEADERS)), b.subarray(at)]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(g.pick(['##', ']]>]]>', '\n##\n', ']]>'])), b.subarray(at)]);
        break;
      default:
        b = b.subarray(0, at); // truncated stream
    }
  }
  return b;
}

function split(g: Gen, input: Buffer): Buffer[] {
  if (g.chance(0.1)) return Array.from(input, (byte) => Buffer.from([byte]));
  const pieces: Buffer[] = [];
  let at = 0;
  while (at < input.length) {
    const n = 1 + g.int(g.chance(0.5) ? 8 : 64);
    pieces.push(input.subarray(at, at + n));
    at += n;
  }
  return pieces;
}

interface Outcome {
  messages: Buffer[];
  invalid: boolean;
}

/** The library's view: feed pieces, take messages (sometimes through drainPartial), stop at the first error. */
function libraryDecode(g: Gen, pieces: Buffer[], mode: FramingMode, maxMessageSize: number): Outcome {
  const d = new FrameDecoder({ mode, maxMessageSize });
  const messages: Buffer[] = [];
  let partial: Buffer[] = [];
  try {
    for (const piece of pieces) {
      d.push(piece);
      for (let parts = d.nextParts(); parts; parts = d.nextParts()) {
        messages.push(Buffer.concat([...partial, ...parts]));
        partial = [];
      }
      if (g.chance(0.2)) partial.push(...d.drainPartial());
    }
  } catch (err) {
    assert.ok(err instanceof NetconfProtocolError, `unexpected ${String(err)}`);
    return { messages, invalid: true };
  }
  return { messages, invalid: false };
}

const show = (b: Buffer): string => JSON.stringify(b.toString('latin1'));

test(`framing fuzz: ${INPUTS} seeded inputs agree with the reference decoder`, (t) => {
  const g = new Gen(prng(SEED));
  const heapBefore = process.memoryUsage().heapUsed;
  let slowest = 0;
  let invalid = 0;
  let decoded = 0;
  for (let n = 0; n < INPUTS; n++) {
    const mode: FramingMode = g.chance(0.5) ? 'eom' : 'chunked';
    const valid = validInput(g, mode);
    const input = g.chance(0.7) ? mutate(g, valid) : valid;
    const max = g.pick([512 * 1024 * 1024, 1_000_000, 5 + g.int(60)]);
    const expected = referenceDecode(input, mode, max);
    const started = process.hrtime.bigint();
    const actual = libraryDecode(g, split(g, input), mode, max);
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
    const context = `input #${n} (${mode}, max ${max}): ${show(input)}`;
    assert.equal(actual.invalid, expected.invalid, `refusal differs for ${context}`);
    assert.deepEqual(actual.messages.map(show), expected.messages.map(show), `messages differ for ${context}`);
    if (expected.invalid) invalid++;
    decoded += expected.messages.length;
  }
  t.diagnostic(`${invalid} invalid, ${decoded} messages decoded, slowest input ${slowest.toFixed(1)} ms`);
  // Generous bounds (not timing thresholds): they catch a hang or a leak, not a slow machine.
  assert.ok(slowest < 1000, `one input took ${slowest.toFixed(0)} ms`);
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(grown < 256 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(0)} MiB`);
  // The generator must exercise both outcomes substantially.
  assert.ok(invalid > INPUTS / 10 && invalid < (INPUTS * 9) / 10, `${invalid} of ${INPUTS} invalid`);
  assert.ok(decoded > INPUTS / 2, `${decoded} messages decoded`);
});
