/**
 * Replies of a chosen size for throughput and memory tests: a get/get-config whose subtree
 * filter is `<reply-size xmlns="urn:example:simulator" bytes="N"/>` is answered with list
 * entries filling the message body to exactly N bytes (when N is larger than the envelope).
 *
 * The body is produced lazily in ~1 MiB pieces, which the output queue writes as one chunk each
 * with backpressure, so 100 MB costs about 100 small string joins and never 100 MB of strings.
 */
import { NS_BASE } from '../src/namespaces';
import { NS_SIM } from './demo-model';

export const PIECE_BYTES = 1 << 20;
const PAYLOAD = 'x'.repeat(48);

export function bigReplyOpen(): string {
  return `<data xmlns="${NS_BASE}"><reply-size xmlns="${NS_SIM}">`;
}
export const BIG_REPLY_CLOSE = '</reply-size></data>';

function entry(i: number): string {
  return `<entry><id>${i}</id><name>item-${i}</name><payload>${PAYLOAD}</payload></entry>`;
}

/**
 * Yields the full message body: `head`, the data, and `tail`, in total `bytes` bytes (or just
 * the envelope when `bytes` is smaller). Whitespace between entries pads to the exact size.
 */
export function* bigReplyBody(bytes: number, head: string, tail: string): Generator<Buffer> {
  const open = head + bigReplyOpen();
  const close = BIG_REPLY_CLOSE + tail;
  let remaining = bytes - Buffer.byteLength(open) - Buffer.byteLength(close);
  yield Buffer.from(open, 'utf8');
  let id = 1;
  while (remaining > 0) {
    const parts: string[] = [];
    let size = 0;
    while (size < PIECE_BYTES) {
      const e = entry(id);
      // Entries are ASCII, so string length is byte length.
      if (e.length > remaining - size) break;
      parts.push(e);
      size += e.length;
      id++;
    }
    if (parts.length === 0) {
      yield Buffer.from('\n'.repeat(remaining), 'latin1');
      remaining = 0;
      break;
    }
    remaining -= size;
    yield Buffer.from(parts.join(''), 'latin1');
  }
  yield Buffer.from(close, 'utf8');
}
