/**
 * `<rpc-error>` as the simulator raises it: operation code throws SimRpcError, the session turns
 * it into the reply. Every field RFC 6241 section 4.3 defines can be set, so tests can check that
 * a client exposes all of them.
 */
import { NS_BASE } from '../src/namespaces';
import { escapeAttribute, escapeText } from '../src/xml/element';

export type ErrorType = 'transport' | 'rpc' | 'protocol' | 'application';

export interface RpcErrorSpec {
  type: ErrorType;
  tag: string;
  severity?: 'error' | 'warning';
  appTag?: string;
  /** An instance-identifier; `pathNs` declares the prefixes it uses. */
  path?: string;
  pathNs?: Record<string, string>;
  message?: string;
  /** error-info children in the base namespace (`session-id`, `bad-element`, ...). */
  info?: Record<string, string>;
}

export class SimRpcError extends Error {
  readonly errors: RpcErrorSpec[];
  constructor(spec: RpcErrorSpec | RpcErrorSpec[]) {
    const list = Array.isArray(spec) ? spec : [spec];
    super(list[0]?.message ?? list[0]?.tag ?? 'rpc-error');
    this.errors = list;
  }
}

/** Shorthand for the common errors. */
export function rpcError(tag: string, message: string, extra: Partial<RpcErrorSpec> = {}): SimRpcError {
  return new SimRpcError({ type: extra.type ?? 'protocol', tag, message, ...extra });
}

export function operationNotSupported(what: string): SimRpcError {
  return rpcError('operation-not-supported', `${what} is not supported by the simulator`, {
    type: 'protocol',
  });
}

export function invalidValue(message: string, badElement?: string): SimRpcError {
  return rpcError('invalid-value', message, {
    type: 'protocol',
    info: badElement ? { 'bad-element': badElement } : undefined,
  });
}

export function missingElement(element: string, message?: string): SimRpcError {
  return rpcError('missing-element', message ?? `<${element}> is required`, {
    type: 'protocol',
    info: { 'bad-element': element },
  });
}

/** The XML of one rpc-error, with its own default namespace so it can sit in any reply. */
export function rpcErrorXml(e: RpcErrorSpec): string {
  const parts = [
    `<rpc-error xmlns="${NS_BASE}">`,
    `<error-type>${e.type}</error-type>`,
    `<error-tag>${escapeText(e.tag)}</error-tag>`,
    `<error-severity>${e.severity ?? 'error'}</error-severity>`,
  ];
  if (e.appTag) parts.push(`<error-app-tag>${escapeText(e.appTag)}</error-app-tag>`);
  if (e.path) {
    const decls = Object.entries(e.pathNs ?? {})
      .map(([p, uri]) => ` xmlns:${p}="${escapeAttribute(uri)}"`)
      .join('');
    parts.push(`<error-path${decls}>${escapeText(e.path)}</error-path>`);
  }
  if (e.message) parts.push(`<error-message xml:lang="en">${escapeText(e.message)}</error-message>`);
  if (e.info && Object.keys(e.info).length > 0) {
    parts.push('<error-info>');
    for (const [k, v] of Object.entries(e.info)) parts.push(`<${k}>${escapeText(v)}</${k}>`);
    parts.push('</error-info>');
  }
  parts.push('</rpc-error>');
  return parts.join('');
}
