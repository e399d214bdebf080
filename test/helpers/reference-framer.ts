/**
 * An independent reference for RFC 6242 framing, for the framing fuzz test. It reads a whole
 * input at once, with plain index arithmetic, and shares no code with src/framing.ts. It states
 * the rules the library must follow, including its bounds and its leniency:
 *
 * - base:1.0: white space before a message is skipped; a message is everything up to `]]>]]>`.
 *   A message whose body exceeds maxMessageSize is invalid, even unfinished: the unfinished body
 *   counts all bytes but a trailing part of `]]>]]>`.
 * - base:1.1: a chunk header is LF `#` size LF, size 1-9 then digits, at most 10 digits and at most
 *   4294967295; white space before the header's LF is skipped, but `#` must follow an LF. `##` LF
 *   ends a message, not before its first chunk. A header whose size would take the message past
 *   maxMessageSize is invalid as soon as its LF is seen; a size that is too long or too large is
 *   invalid as soon as the offending digit is seen.
 *
 * Result: the messages decoded, and whether the input was found invalid (after those messages).
 * An input that just ends (mid-message or between messages) is not invalid.
 */
export interface ReferenceResult {
  messages: Buffer[];
  invalid: boolean;
}

const MAX_CHUNK = 4294967295;
const DELIMITER = ']]>]]>';

function isWhite(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

export function referenceDecode(input: Buffer, mode: 'eom' | 'chunked', maxMessageSize: number): ReferenceResult {
  return mode === 'eom' ? decodeEom(input, maxMessageSize) : decodeChunked(input, maxMessageSize);
}

function decodeEom(input: Buffer, max: number): ReferenceResult {
  const text = input.toString('latin1'); // one char per byte
  const messages: Buffer[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && isWhite(text.charCodeAt(i))) i++;
    if (i >= text.length) return { messages, invalid: false };
    const end = text.indexOf(DELIMITER, i);
    if (end < 0) {
      let body = text.length - i;
      // A trailing start of the delimiter is not yet known to be body.
      for (let k = Math.min(DELIMITER.length - 1, body); k > 0; k--) {
        if (text.endsWith(DELIMITER.slice(0, k))) {
          body -= k;
          break;
        }
      }
      return { messages, invalid: body > max };
    }
    if (end - i > max) return { messages, invalid: true };
    messages.push(input.subarray(i, end));
    i = end + DELIMITER.length;
  }
}

function decodeChunked(input: Buffer, max: number): ReferenceResult {
  const messages: Buffer[] = [];
  let chunks: Buffer[] = [];
  let size = 0;
  let i = 0;
  const done = (invalid: boolean): ReferenceResult => ({ messages, invalid });
  for (;;) {
    // White space, the last of which must be LF, then `#`.
    const wsStart = i;
    while (i < input.length && isWhite(input[i])) i++;
    if (i >= input.length) return done(false);
    if (i === wsStart || input[i - 1] !== 0x0a || input[i] !== 0x23) return done(true);
    i++;
    if (i >= input.length) return done(false);
    if (input[i] === 0x23) {
      if (chunks.length === 0) return done(true);
      i++;
      if (i >= input.length) return done(false);
      if (input[i] !== 0x0a) return done(true);
      i++;
      messages.push(Buffer.concat(chunks));
      chunks = [];
      size = 0;
      continue;
    }
    if (input[i] < 0x31 || input[i] > 0x39) return done(true);
    let digits = '';
    while (i < input.length && input[i] >= 0x30 && input[i] <= 0x39) {
      digits += String.fromCharCode(input[i]);
      if (digits.length > 10 || Number(digits) > MAX_CHUNK) return done(true);
      i++;
    }
    if (i >= input.length) return done(false);
    if (input[i] !== 0x0a) return done(true);
    i++;
    const n = Number(digits);
    if (size + n > max) return done(true);
    if (input.length - i < n) {
      // Unfinished chunk: its bytes are body, within the bound already checked.
      return done(false);
    }
    chunks.push(input.subarray(i, i + n));
    size += n;
    i += n;
  }
}
