/**
 * Prepared operations: an operation's input checked and its XML built once, where it is made,
 * before anything is sent or queued. `Manager.execute(op)` sends it; the Manager's own methods
 * (`get()`, `editConfig()`, ...) are `execute(prepareX(...))`, so there is one path and one check.
 *
 * Callers that must reject bad input before they have a session (the Node-RED nodes queue
 * messages while the device connects) prepare first and execute later.
 *
 * An input given as RFC 7951 JSON needs the device's YANG schema to become XML, which only the
 * Manager has: such an operation is prepared with its other arguments checked (built once with a
 * stand-in for the JSON) and its XML is built when it is executed.
 */
import type { XmlObject } from '../xml/object';
import { isRfc7951 } from '../yang/device-schema';
import type { JsonObject } from '../yang/json';
import type { Filter } from './filter';
import * as ops from './rpc';

/** A config, filter source or rpc: XML text, a plain object (see README), or RFC 7951 JSON. */
export type XmlInput = string | XmlObject | JsonObject;

/** Converts an RFC 7951 JSON input to XML through the device's schema (the Manager gives it). */
export type JsonToXml = (json: JsonObject, what: string) => string | XmlObject;

/** What the reply is: `data` replies (get, get-config, get-data) become a DataReply. */
export type ReplyKind = 'data' | 'rpc';

export interface PreparedRpc<K extends ReplyKind = ReplyKind> {
  /** The Manager method it stands for (`getConfig`, `editConfig`, ...): the name in the log. */
  readonly name: string;
  readonly reply: K;
  /** Which input is RFC 7951 JSON (`config`, `filter`, `source`, `rpc`), when one is. */
  readonly rfc7951Input?: string;
  /** The content of `<rpc>`; `toXml` is used only when an input is RFC 7951 JSON. */
  xml(toXml: JsonToXml): string;
}

export interface GetInput {
  filter?: Filter | JsonObject;
  withDefaults?: ops.WithDefaults;
}

export interface GetConfigInput extends GetInput {
  source?: string;
}

export type GetDataInput = Omit<ops.GetDataOptions, 'filter'> & { filter?: Filter | JsonObject };

export type SubscriptionInput = Omit<ops.SubscriptionOptions, 'filter'> & { filter?: Filter | JsonObject };

/** Resolves one input: XML text, plain objects and XPath filters pass through, RFC 7951 JSON is converted. */
interface Resolve {
  (value: XmlInput, what: string): string | XmlObject;
  (value: Filter | JsonObject | undefined, what: string): Filter | undefined;
}

/** Stands in for RFC 7951 JSON while the other arguments are checked at prepare time. */
const STAND_IN = '<rfc7951-input/>';

function isJsonInput(value: unknown): value is JsonObject {
  return value !== undefined && typeof value !== 'string' && isRfc7951(value);
}

function resolver(toXml: JsonToXml): Resolve {
  return ((value: unknown, what: string) => (isJsonInput(value) ? toXml(value, what) : value)) as Resolve;
}

function prepared<K extends ReplyKind>(
  name: string,
  reply: K,
  input: { value: unknown; what: string } | undefined,
  build: (resolve: Resolve) => string,
): PreparedRpc<K> {
  if (!input || !isJsonInput(input.value)) {
    const xml = build(resolver(() => STAND_IN));
    return { name, reply, xml: () => xml };
  }
  // Checks everything but the JSON now; the JSON is checked when the schema converts it.
  build(resolver(() => STAND_IN));
  return { name, reply, rfc7951Input: input.what, xml: (toXml) => build(resolver(toXml)) };
}

const filterInput = (filter: unknown): { value: unknown; what: string } => ({ value: filter, what: 'filter' });

export function prepareGet(input: GetInput = {}): PreparedRpc<'data'> {
  return prepared('get', 'data', filterInput(input.filter), (r) =>
    ops.getRpc(r(input.filter, 'filter'), input.withDefaults),
  );
}

export function prepareGetConfig(input: GetConfigInput = {}): PreparedRpc<'data'> {
  return prepared('getConfig', 'data', filterInput(input.filter), (r) =>
    ops.getConfigRpc(input.source ?? 'running', r(input.filter, 'filter'), input.withDefaults),
  );
}

/** RFC 8526 `<get-data>` from an NMDA datastore (default `ds:operational`). */
export function prepareGetData(input: GetDataInput = {}): PreparedRpc<'data'> {
  return prepared('getData', 'data', filterInput(input.filter), (r) =>
    ops.getDataRpc({
      ...input,
      filter: r(input.filter, 'filter'),
    }),
  );
}

export function prepareEditConfig(config: XmlInput, options: ops.EditConfigOptions = {}): PreparedRpc<'rpc'> {
  return prepared('editConfig', 'rpc', { value: config, what: 'config' }, (r) =>
    ops.editConfigRpc(r(config, 'config'), options),
  );
}

export function prepareCopyConfig(
  target: string,
  source: XmlInput,
  options: { withDefaults?: ops.WithDefaults } = {},
): PreparedRpc<'rpc'> {
  return prepared('copyConfig', 'rpc', { value: source, what: 'source' }, (r) =>
    ops.copyConfigRpc(target, r(source, 'source'), options.withDefaults),
  );
}

export function prepareDeleteConfig(target: string): PreparedRpc<'rpc'> {
  return prepared('deleteConfig', 'rpc', undefined, () => ops.deleteConfigRpc(target));
}

export function prepareLock(target: string): PreparedRpc<'rpc'> {
  return prepared('lock', 'rpc', undefined, () => ops.lockRpc(target));
}

export function prepareUnlock(target: string): PreparedRpc<'rpc'> {
  return prepared('unlock', 'rpc', undefined, () => ops.unlockRpc(target));
}

export function prepareCommit(options: ops.CommitOptions = {}): PreparedRpc<'rpc'> {
  return prepared('commit', 'rpc', undefined, () => ops.commitRpc(options));
}

export function prepareCancelCommit(options: { persistId?: string } = {}): PreparedRpc<'rpc'> {
  return prepared('cancelCommit', 'rpc', undefined, () => ops.cancelCommitRpc(options.persistId));
}

export function prepareDiscardChanges(): PreparedRpc<'rpc'> {
  return prepared('discardChanges', 'rpc', undefined, () => ops.discardChangesRpc());
}

/** `<validate>` of a datastore (default `candidate`) or of a config given inline. */
export function prepareValidate(source: XmlInput = 'candidate'): PreparedRpc<'rpc'> {
  return prepared('validate', 'rpc', { value: source, what: 'source' }, (r) => ops.validateRpc(r(source, 'source')));
}

export function prepareKillSession(sessionId: number | string): PreparedRpc<'rpc'> {
  return prepared('killSession', 'rpc', undefined, () => ops.killSessionRpc(sessionId));
}

export function prepareCloseSession(): PreparedRpc<'rpc'> {
  return prepared('closeSession', 'rpc', undefined, () => ops.closeSessionRpc());
}

/** RFC 5277 `<create-subscription>`. */
export function prepareCreateSubscription(input: SubscriptionInput = {}): PreparedRpc<'rpc'> {
  return prepared('createSubscription', 'rpc', filterInput(input.filter), (r) =>
    ops.createSubscriptionRpc({
      ...input,
      filter: r(input.filter, 'filter'),
    }),
  );
}

/** RFC 6022 `<get-schema>` (format `yang` by default). */
export function prepareGetSchema(
  identifier: string,
  options: { version?: string; format?: string } = {},
): PreparedRpc<'rpc'> {
  return prepared('getSchema', 'rpc', undefined, () => ops.getSchemaRpc(identifier, options.version, options.format));
}

/** Any operation (XML without the `<rpc>` element, a plain object, or RFC 7951 JSON). */
export function prepareDispatch(rpc: XmlInput): PreparedRpc<'rpc'> {
  return prepared('dispatch', 'rpc', { value: rpc, what: 'rpc' }, (r) => ops.customRpc(r(rpc, 'rpc')));
}
