/**
 * A minimal NETCONF server session for transport tests: hello (base 1.0 + 1.1), `<data>` for
 * get/get-config/get-data, `<ok/>` for everything else, `<close-session>` ends the stream. It
 * records what it saw so tests can check the operations really went over the wire. The full
 * simulator covers semantics; the transport tests only need bytes to flow both ways.
 */
import type { Duplex } from 'node:stream';
import { FrameDecoder, encodeMessage, type FramingMode } from '../../src/framing';

const BASE = 'urn:ietf:params:xml:ns:netconf:base:1.0';
let nextSessionId = 100;

export interface ResponderLog {
  /** Root operation names in arrival order, per session: `['get-config', 'close-session']`. */
  sessions: { username: string; sessionId: number; ops: string[] }[];
}

export function makeResponder(log: ResponderLog = { sessions: [] }): {
  handler: (stream: Duplex, username: string) => void;
  log: ResponderLog;
} {
  const handler = (stream: Duplex, username: string): void => {
    const sessionId = nextSessionId++;
    const record = { username, sessionId, ops: [] as string[] };
    log.sessions.push(record);
    const decoder = new FrameDecoder({ mode: 'eom' });
    let mode: FramingMode = 'eom';
    let helloSeen = false;
    const send = (xml: string): void => {
      for (const piece of encodeMessage(xml, mode)) stream.write(piece);
    };
    stream.on('error', () => undefined);
    send(
      `<hello xmlns="${BASE}"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability>` +
        `<capability>urn:ietf:params:netconf:base:1.1</capability><capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>` +
        `</capabilities><session-id>${sessionId}</session-id></hello>`,
    );
    stream.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      for (let m = decoder.next(); m; m = decoder.next()) {
        const xml = m.toString('utf8');
        if (!helloSeen) {
          helloSeen = true;
          if (xml.includes('base:1.1')) {
            mode = 'chunked';
            decoder.setMode('chunked');
          }
          continue;
        }
        const id = /message-id="([^"]*)"/.exec(xml)?.[1] ?? '';
        const op = /<rpc[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/.exec(xml)?.[1] ?? '?';
        record.ops.push(op);
        const body = /^get(-config|-data)?$/.test(op)
          ? `<data><who xmlns="urn:test">${username}</who></data>`
          : '<ok/>';
        send(`<rpc-reply xmlns="${BASE}" message-id="${id}">${body}</rpc-reply>`);
        if (op === 'close-session') stream.end();
      }
    });
  };
  return { handler, log };
}
