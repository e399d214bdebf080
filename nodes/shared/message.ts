/**
 * The message contract shared by the operation nodes: settings from msg.netconf overriding the
 * node's, the reply as msg.payload (object or XML), msg.netconf metadata, and errors shaped for
 * Catch nodes.
 */
import {
  DataReply,
  InvalidInputError,
  prettyXml,
  NetconfClientError,
  RpcError,
  xmlToObjectAsync,
  type Manager,
  type RpcErrorInfo,
  type RpcReply,
  type XmlInput,
  type XmlObject,
} from '../../src/index';
import { NotConnectedError, type YangState } from './connection';
import type { NodeAPI, NodeMessage } from './red-types';

/**
 * How a reply is put in msg.payload: RFC 7951 JSON typed by the device's YANG (`json`, the
 * default of new nodes), the plain object convention (`object`, which flows saved before `json`
 * existed have), XML text as the device sent it (`xml`, byte-exact), or that XML indented for
 * people (`xml-pretty`: backups read in a diff tool, the Debug sidebar).
 */
export const OUTPUT_FORMATS = ['json', 'object', 'xml', 'xml-pretty'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The node's output setting; anything unknown (or missing, in hand-written flows) is `object`. */
export function outputFormat(value: unknown, allowed: readonly OutputFormat[] = OUTPUT_FORMATS): OutputFormat {
  return allowed.includes(value as OutputFormat) ? (value as OutputFormat) : 'object';
}

/** The formats of replyPayload: no YANG typing. */
export type PlainFormat = 'object' | 'xml' | 'xml-pretty';

/** For nodes whose replies are `<ok/>` (nothing to type): `object`, `xml` or `xml-pretty`. */
export function plainFormat(value: unknown): PlainFormat {
  return value === 'xml' || value === 'xml-pretty' ? value : 'object';
}

/** XML text in `format`: as sent for `xml`, indented for `xml-pretty`. */
export async function xmlText(xml: string, format: 'xml' | 'xml-pretty'): Promise<string> {
  return format === 'xml-pretty' ? prettyXml(xml) : xml;
}

/**
 * A note on how the payload was made, in msg.netconf.warnings beside the device's own
 * `rpc-error`s of severity warning (those have `tag`, these have `code`).
 */
export interface ConversionWarning {
  /**
   * NETCONF_YANG_FALLBACK: a subtree whose module the schema lacks was converted plainly (strings,
   * arrays only where elements repeat); NETCONF_YANG_UNAVAILABLE: no schema at all, so the whole
   * payload is the plain object.
   */
  code: 'NETCONF_YANG_FALLBACK' | 'NETCONF_YANG_UNAVAILABLE';
  message: string;
}

export type NetconfWarning = RpcErrorInfo | ConversionWarning;

/** What an operation produced, before it is put on the message. */
export interface OperationResult {
  operation: string;
  payload: unknown;
  reply?: RpcReply;
  /** Conversion notes (RFC 7951 fallbacks), added to the reply's warnings. */
  warnings?: ConversionWarning[];
  /** The persist-id of a persistent confirmed commit made, confirmed or cancelled (netconf-commit). */
  persistId?: string;
}

/** msg.netconf on output. Replaced (not merged) so a chained node never reads stale overrides. */
export interface NetconfMeta {
  operation: string;
  device: string;
  /** The netconf-device config node's id (netconf-diff asks it for the device's schema). */
  deviceId?: string;
  sessionId?: number;
  messageId?: string;
  rttMs?: number;
  warnings: NetconfWarning[];
  persistId?: string;
}

export function netconfMeta(result: OperationResult, device: string, manager: Manager): NetconfMeta {
  return {
    operation: result.operation,
    device,
    sessionId: manager.sessionId,
    messageId: result.reply?.messageId,
    rttMs: result.reply ? Math.round(result.reply.rttMs * 10) / 10 : undefined,
    warnings: [...(result.reply?.warnings ?? []), ...(result.warnings ?? [])],
    ...(result.persistId !== undefined ? { persistId: result.persistId } : {}),
  };
}

/** The payload of a reply: `<data>` content when there is one, `{ ok: true }` for `<ok/>`. */
export async function replyPayload(reply: RpcReply, format: PlainFormat): Promise<unknown> {
  if (reply instanceof DataReply) return format === 'object' ? reply.getData() : xmlText(reply.dataXml, format);
  if (reply.dataXml !== undefined) {
    const data = new DataReply(reply);
    return format === 'object' ? data.getData() : xmlText(data.dataXml, format);
  }
  if (format !== 'object') return xmlText(reply.xml, format);
  if (reply.ok) return { ok: true };
  // Vendor RPCs may answer with other elements: give them as an object, without the envelope.
  const envelope = (await xmlToObjectAsync(reply.xml))['rpc-reply'];
  return typeof envelope === 'object' && !Array.isArray(envelope) ? stripXmlns(envelope) : {};
}

function stripXmlns(obj: XmlObject): XmlObject {
  const { '@xmlns': _ns, '@message-id': _id, ...rest } = obj;
  return rest;
}

export function fallbackWarnings(messages: readonly string[]): ConversionWarning[] {
  return messages.map((message) => ({ code: 'NETCONF_YANG_FALLBACK', message }));
}

export function unavailableWarning(yang: YangState | undefined): ConversionWarning {
  const why = yang?.error ? ` (${yang.error})` : '';
  return {
    code: 'NETCONF_YANG_UNAVAILABLE',
    message: `the device's YANG modules could not be loaded${why}: msg.payload is the plain object, not RFC 7951 JSON`,
  };
}

/**
 * The payload in the node's format, with conversion notes. For `json`: the `<data>` content as
 * RFC 7951 JSON; `{ ok: true }` for `<ok/>`; other replies (an RPC's output) as
 * `{ "module:output": {...} }` when `rpc` (the request) names an RPC of the schema. Without a
 * schema, the plain object and a NETCONF_YANG_UNAVAILABLE warning.
 */
export async function formatReply(
  reply: RpcReply,
  format: OutputFormat,
  yang: YangState | undefined,
  rpc?: unknown,
  manager?: Manager,
): Promise<{ payload: unknown; warnings: ConversionWarning[] }> {
  if (format !== 'json') return { payload: await replyPayload(reply, format), warnings: [] };
  const hasData = reply instanceof DataReply || reply.dataXml !== undefined;
  if (!hasData && reply.ok) return { payload: { ok: true }, warnings: [] };
  if (!yang?.schema || !manager)
    return { payload: await replyPayload(reply, 'object'), warnings: [unavailableWarning(yang)] };
  // The Manager owns the schema and does the RFC 7951 conversion.
  if (hasData) {
    const data = manager.dataReply(reply);
    const payload = await data.getJson();
    return { payload, warnings: fallbackWarnings(data.jsonWarnings) };
  }
  const { value, warnings } = await manager.getRpcOutputJson(reply, rpc as XmlInput | undefined);
  return { payload: value, warnings: fallbackWarnings(warnings) };
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
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new InvalidInputError(`msg.netconf.${key} must be a string`);
  return String(value);
}

export function numberSetting(
  msg: NodeMessage,
  key: string,
  nodeValue: string | number | undefined,
): number | undefined {
  const raw = overrides(msg)[key] ?? nodeValue;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  const shown = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
  if (!Number.isFinite(n)) throw new InvalidInputError(`${key} must be a number (got '${shown}')`);
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

/** XML (string), the object convention or RFC 7951 JSON: what configs and RPCs may be given as. */
export function xmlOrObject(value: unknown, what: string): string | XmlObject {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidInputError(`${what} is empty`);
    return value;
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as XmlObject;
  throw new InvalidInputError(
    `${what} must be an XML string, an object or RFC 7951 JSON (got ${value === undefined ? 'nothing' : typeof value})`,
  );
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
  // Every library error carries its code (the error-tag for rpc-errors); so does NotConnectedError.
  if (err instanceof NetconfClientError || err instanceof NotConnectedError) return err.code;
  return 'NETCONF_ERROR';
}

export function errorDetails(err: Error): ErrorDetails {
  // RpcError.message is the server's error-message alone (as netconf_client); a Catch node's
  // message also names the tag (and type, path), as before.
  const message = err instanceof RpcError ? err.detail : err.message;
  const details: ErrorDetails = { message, code: errorCode(err) };
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
