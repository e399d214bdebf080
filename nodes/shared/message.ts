/**
 * The message contract shared by the operation nodes: settings from msg.netconf overriding the
 * node's, the reply as msg.payload (object or XML), msg.netconf metadata, and errors shaped for
 * Catch nodes.
 */
import {
  ConnectError,
  DataReply,
  InvalidInputError,
  NetconfProtocolError,
  RpcError,
  RpcTimeoutError,
  SessionClosedError,
  xmlToObject,
  type Manager,
  type RpcErrorInfo,
  type RpcReply,
  type XmlObject,
} from '../../src/index';
import { NotConnectedError } from './connection';
import type { NodeAPI, NodeMessage } from './red-types';

/**
 * How a reply is put in msg.payload. A string union rather than a boolean so more forms (RFC 7951
 * JSON is planned) can be added without changing flows.
 */
export const OUTPUT_FORMATS = ['object', 'xml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormat(value: unknown): OutputFormat {
  return (OUTPUT_FORMATS as readonly unknown[]).includes(value) ? (value as OutputFormat) : 'object';
}

/** What an operation produced, before it is put on the message. */
export interface OperationResult {
  operation: string;
  payload: unknown;
  reply?: RpcReply;
}

/** msg.netconf on output. Replaced (not merged) so a chained node never reads stale overrides. */
export interface NetconfMeta {
  operation: string;
  device: string;
  sessionId?: number;
  messageId?: string;
  rttMs?: number;
  warnings: RpcErrorInfo[];
}

export function netconfMeta(result: OperationResult, device: string, manager: Manager): NetconfMeta {
  return {
    operation: result.operation,
    device,
    sessionId: manager.sessionId,
    messageId: result.reply?.messageId,
    rttMs: result.reply ? Math.round(result.reply.rttMs * 10) / 10 : undefined,
    warnings: result.reply?.warnings ?? [],
  };
}

/** The payload of a reply: `<data>` content when there is one, `{ ok: true }` for `<ok/>`. */
export async function replyPayload(reply: RpcReply, format: OutputFormat): Promise<unknown> {
  if (reply instanceof DataReply) return format === 'xml' ? reply.dataXml : reply.getData();
  if (reply.dataXml !== undefined) {
    const data = new DataReply(reply);
    return format === 'xml' ? data.dataXml : data.getData();
  }
  if (format === 'xml') return reply.xml;
  if (reply.ok) return { ok: true };
  // Vendor RPCs may answer with other elements: give them as an object, without the envelope.
  const envelope = xmlToObject(reply.xml)['rpc-reply'];
  return typeof envelope === 'object' && !Array.isArray(envelope) ? stripXmlns(envelope) : {};
}

function stripXmlns(obj: XmlObject): XmlObject {
  const { '@xmlns': _ns, '@message-id': _id, ...rest } = obj;
  return rest;
}

/** The per-message overrides in msg.netconf (only keys the node accepts are read). */
export function overrides(msg: NodeMessage): Record<string, unknown> {
  const value = msg.netconf;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A string override, or the node's value; '' counts as unset. */
export function stringSetting(msg: NodeMessage, key: string, nodeValue: string | undefined): string | undefined {
  const value = overrides(msg)[key];
  if (value === undefined || value === null || value === '') return nodeValue === '' ? undefined : nodeValue;
  if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidInputError(`msg.netconf.${key} must be a string`);
  return String(value);
}

export function numberSetting(msg: NodeMessage, key: string, nodeValue: string | number | undefined): number | undefined {
  const raw = overrides(msg)[key] ?? nodeValue;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n)) throw new InvalidInputError(`${key} must be a number (got '${String(raw)}')`);
  return n;
}

/** Evaluates a typedInput property (msg/flow/global/env/str/json...) as a promise. */
export function evaluate(RED: NodeAPI, node: object, msg: NodeMessage, value: string, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** XML (string) or the object convention: what configs and RPCs may be given as. */
export function xmlOrObject(value: unknown, what: string): string | XmlObject {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidInputError(`${what} is empty`);
    return value;
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as XmlObject;
  throw new InvalidInputError(`${what} must be an XML string or an object (got ${value === undefined ? 'nothing' : typeof value})`);
}

/** msg.error / msg.netconf.error content: every field a flow may want to route on. */
export interface ErrorDetails {
  message: string;
  /** The NETCONF error-tag, or one of our NETCONF_* codes for errors that are not rpc-errors. */
  code: string;
  tag?: string;
  type?: string;
  severity?: string;
  appTag?: string;
  path?: string;
  info?: Record<string, string>;
  infoXml?: string;
  errors?: RpcErrorInfo[];
}

export function errorCode(err: Error): string {
  if (err instanceof RpcError) return err.tag ?? 'rpc-error';
  if (err instanceof InvalidInputError) return 'NETCONF_INVALID_INPUT';
  if (err instanceof RpcTimeoutError) return 'NETCONF_TIMEOUT';
  if (err instanceof SessionClosedError) return 'NETCONF_SESSION_CLOSED';
  if (err instanceof ConnectError) return 'NETCONF_CONNECT';
  if (err instanceof NotConnectedError) return err.code;
  if (err instanceof NetconfProtocolError) return 'NETCONF_PROTOCOL';
  return 'NETCONF_ERROR';
}

export function errorDetails(err: Error): ErrorDetails {
  const details: ErrorDetails = { message: err.message, code: errorCode(err) };
  if (err instanceof RpcError) {
    Object.assign(details, {
      tag: err.tag,
      type: err.type,
      severity: err.severity,
      appTag: err.appTag,
      path: err.path,
      info: err.info,
      infoXml: err.infoXml,
      errors: err.errors,
    });
  }
  // Drop unset fields so the Debug sidebar shows only what the server sent.
  for (const key of Object.keys(details) as (keyof ErrorDetails)[]) if (details[key] === undefined) delete details[key];
  return details;
}

/**
 * The error handed to done(): Node-RED builds the Catch node's msg.error from it (message, code,
 * stack, cause), replacing any msg.error we set. `code` carries the error-tag so a Switch can
 * route on msg.error.code; the full details travel in msg.netconf.error (and cause).
 */
export class NodeError extends Error {
  readonly code: string;
  constructor(details: ErrorDetails) {
    super(details.message, { cause: details });
    this.name = 'NetconfError';
    this.code = details.code;
  }

  /** Node-RED uses toString() for msg.error.message and the log: the message alone reads best. */
  override toString(): string {
    return this.message;
  }
}

/** Puts the error details on the message and returns the Error for done(). */
export function failMessage(msg: NodeMessage, err: unknown, device: string, operation: string): NodeError {
  const error = err instanceof Error ? err : new Error(String(err));
  const details = errorDetails(error);
  msg.error = details;
  msg.netconf = { operation, device, error: details };
  return new NodeError(details);
}
