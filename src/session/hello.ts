/** The `<hello>` exchange (RFC 6241 section 8.1): our hello out, the server's parsed and checked. */
import { NetconfProtocolError } from '../errors';
import { CAP_BASE_10, CAP_BASE_11, NS_BASE } from '../namespaces';
import { childElement, childElements, escapeText, parseTree } from '../xml/element';

export type BaseVersion = '1.0' | '1.1';

export interface ServerHello {
  capabilities: string[];
  sessionId: number;
}

export function clientCapabilities(base: BaseVersion[], extra: string[] = []): string[] {
  const caps: string[] = [];
  if (base.includes('1.0')) caps.push(CAP_BASE_10);
  if (base.includes('1.1')) caps.push(CAP_BASE_11);
  if (caps.length === 0) throw new Error('at least one of base:1.0 and base:1.1 must be offered');
  return [...caps, ...extra.filter((c) => !caps.includes(c))];
}

export function buildHello(capabilities: string[]): string {
  const items = capabilities.map((c) => `<capability>${escapeText(c)}</capability>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NS_BASE}"><capabilities>${items}</capabilities></hello>`;
}

/** Parses and validates the server's hello; throws NetconfProtocolError when it is unusable. */
export function parseServerHello(xml: string, maxDepth?: number): ServerHello {
  const root = parseTree(xml, { maxDepth });
  if (root.local !== 'hello' || root.ns !== NS_BASE) {
    throw new NetconfProtocolError(`expected the server's <hello>, got <${root.name}>`);
  }
  const capsElement = childElement(root, 'capabilities', NS_BASE);
  // Whitespace around a URI is formatting; entities (&amp; in module=...&revision=) are decoded.
  const capabilities = capsElement ? childElements(capsElement, 'capability', NS_BASE).map((c) => c.text.trim()) : [];
  if (capabilities.length === 0) throw new NetconfProtocolError('server <hello> lists no capabilities');
  if (!capabilities.includes(CAP_BASE_10) && !capabilities.includes(CAP_BASE_11)) {
    throw new NetconfProtocolError('server <hello> offers neither base:1.0 nor base:1.1');
  }
  const idText = childElement(root, 'session-id', NS_BASE)?.text.trim();
  const sessionId = idText !== undefined && /^[1-9][0-9]*$/.test(idText) ? Number(idText) : NaN;
  if (!Number.isSafeInteger(sessionId)) {
    throw new NetconfProtocolError(`server <hello> has no valid session-id (${idText ?? 'missing'})`);
  }
  return { capabilities, sessionId };
}

/** Chunked framing is used when both sides offer base:1.1 (RFC 6242 section 4.1). */
export function negotiateFraming(client: string[], server: string[]): 'eom' | 'chunked' {
  return client.includes(CAP_BASE_11) && server.includes(CAP_BASE_11) ? 'chunked' : 'eom';
}

export function hasCommonBase(client: string[], server: string[]): boolean {
  return [CAP_BASE_10, CAP_BASE_11].some((b) => client.includes(b) && server.includes(b));
}
