/**
 * The XML of each operation (the content of `<rpc>`), as pure functions of their arguments.
 * Values are escaped; user XML (configs, filters) passes through byte for byte after a
 * well-formedness check.
 */
import { NS_DATASTORES, NS_MONITORING, NS_NMDA, NS_NOTIFICATION, NS_ORIGIN, NS_WITH_DEFAULTS } from '../namespaces';
import { escapeText } from '../xml/element';
import { objectToXml, type XmlObject } from '../xml/object';
import { filterElement, isXpathFilter, subtreeXml, type Filter } from './filter';
import { checkChoice, checkXmlFragment, datastoreElement, InvalidInputError } from './validate';

export const WITH_DEFAULTS_MODES = ['report-all', 'report-all-tagged', 'trim', 'explicit'] as const;
export type WithDefaults = (typeof WITH_DEFAULTS_MODES)[number];
export const DEFAULT_OPERATIONS = ['merge', 'replace', 'none'] as const;
export const TEST_OPTIONS = ['test-then-set', 'set', 'test-only'] as const;
export const ERROR_OPTIONS = ['stop-on-error', 'continue-on-error', 'rollback-on-error'] as const;

function withDefaultsElement(mode: string | undefined): string {
  const m = checkChoice(mode, WITH_DEFAULTS_MODES, 'withDefaults');
  return m ? `<with-defaults xmlns="${NS_WITH_DEFAULTS}">${m}</with-defaults>` : '';
}

export function getRpc(filter?: Filter, withDefaults?: string): string {
  return `<get>${filterElement(filter)}${withDefaultsElement(withDefaults)}</get>`;
}

export function getConfigRpc(source: string, filter?: Filter, withDefaults?: string): string {
  return `<get-config><source>${datastoreElement(source, 'source datastore')}</source>${filterElement(filter)}${withDefaultsElement(withDefaults)}</get-config>`;
}

/** A `<config>` element: user XML as given (wrapped in `<config>` unless it is one), or an object. */
export function configElement(config: string | XmlObject): string {
  const xml = typeof config === 'string' ? config.trim() : objectToXml(config);
  checkXmlFragment(xml, 'config');
  if (/^(?:<\?xml[^>]*\?>\s*)?<(?:[\w.-]+:)?config[\s>/]/.test(xml)) return xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  return `<config>${xml}</config>`;
}

export interface EditConfigOptions {
  target?: string;
  defaultOperation?: string;
  testOption?: string;
  errorOption?: string;
}

export function editConfigRpc(config: string | XmlObject, options: EditConfigOptions = {}): string {
  const target = datastoreElement(options.target ?? 'running', 'target datastore');
  const op = checkChoice(options.defaultOperation, DEFAULT_OPERATIONS, 'defaultOperation');
  const test = checkChoice(options.testOption, TEST_OPTIONS, 'testOption');
  const error = checkChoice(options.errorOption, ERROR_OPTIONS, 'errorOption');
  return (
    `<edit-config><target>${target}</target>` +
    (op ? `<default-operation>${op}</default-operation>` : '') +
    (test ? `<test-option>${test}</test-option>` : '') +
    (error ? `<error-option>${error}</error-option>` : '') +
    `${configElement(config)}</edit-config>`
  );
}

/** A source that is either a datastore name or a `<config>` to copy/validate. */
function sourceElement(source: string | XmlObject): string {
  if (typeof source === 'string' && !source.trim().startsWith('<')) return datastoreElement(source, 'source datastore');
  return configElement(source);
}

export function copyConfigRpc(target: string, source: string | XmlObject, withDefaults?: string): string {
  return `<copy-config><target>${datastoreElement(target, 'target datastore')}</target><source>${sourceElement(source)}</source>${withDefaultsElement(withDefaults)}</copy-config>`;
}

export function deleteConfigRpc(target: string): string {
  return `<delete-config><target>${datastoreElement(target, 'target datastore')}</target></delete-config>`;
}

export function lockRpc(target: string): string {
  return `<lock><target>${datastoreElement(target, 'target datastore')}</target></lock>`;
}

export function unlockRpc(target: string): string {
  return `<unlock><target>${datastoreElement(target, 'target datastore')}</target></unlock>`;
}

export interface CommitOptions {
  confirmed?: boolean;
  /** Seconds before an unconfirmed commit is rolled back (device default 600). */
  confirmTimeout?: number;
  /** Make a confirmed commit persistent under this token (confirm it later from any session). */
  persist?: string;
  /** The token of an earlier persistent confirmed commit: confirms it (or extends it with confirmed). */
  persistId?: string;
}

export function commitRpc(options: CommitOptions = {}): string {
  const { confirmed, confirmTimeout, persist, persistId } = options;
  if (persist !== undefined && persistId !== undefined) {
    throw new InvalidInputError('commit: persist and persistId cannot be used together');
  }
  if (!confirmed && (confirmTimeout !== undefined || persist !== undefined)) {
    throw new InvalidInputError('commit: confirmTimeout and persist need confirmed: true');
  }
  if (confirmTimeout !== undefined && !(Number.isInteger(confirmTimeout) && confirmTimeout > 0)) {
    throw new InvalidInputError(
      `commit: confirmTimeout must be a positive whole number of seconds (got ${confirmTimeout})`,
    );
  }
  let body = '';
  if (confirmed) body += '<confirmed/>';
  if (confirmTimeout !== undefined) body += `<confirm-timeout>${confirmTimeout}</confirm-timeout>`;
  if (persist !== undefined) body += `<persist>${escapeText(persist)}</persist>`;
  if (persistId !== undefined) body += `<persist-id>${escapeText(persistId)}</persist-id>`;
  return body ? `<commit>${body}</commit>` : '<commit/>';
}

/** An empty persistId is no persistId (netconf_client's `if persist_id:`). */
export function cancelCommitRpc(persistId?: string): string {
  return persistId
    ? `<cancel-commit><persist-id>${escapeText(persistId)}</persist-id></cancel-commit>`
    : '<cancel-commit/>';
}

export function discardChangesRpc(): string {
  return '<discard-changes/>';
}

export function validateRpc(source: string | XmlObject): string {
  return `<validate><source>${sourceElement(source)}</source></validate>`;
}

export function killSessionRpc(sessionId: number | string): string {
  const id = String(sessionId).trim();
  if (!/^[1-9][0-9]*$/.test(id)) throw new InvalidInputError(`killSession: invalid session-id '${sessionId}'`);
  return `<kill-session><session-id>${id}</session-id></kill-session>`;
}

export function closeSessionRpc(): string {
  return '<close-session/>';
}

export interface SubscriptionOptions {
  stream?: string;
  filter?: Filter;
  /** RFC 3339 date-time (or a Date) from which to replay stored events. */
  startTime?: string | Date;
  stopTime?: string | Date;
}

function dateTime(value: string | Date, what: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidInputError(`${what} is an invalid date`);
    return value.toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) {
    throw new InvalidInputError(`${what} must be an RFC 3339 date-time like 2026-11-23T20:35:55Z (got '${value}')`);
  }
  return value.trim();
}

export function createSubscriptionRpc(options: SubscriptionOptions = {}): string {
  const { stream, filter, startTime, stopTime } = options;
  if (stopTime !== undefined && startTime === undefined) throw new InvalidInputError('stopTime needs startTime');
  let body = '';
  if (stream) body += `<stream>${escapeText(stream)}</stream>`;
  body += filterElement(filter);
  if (startTime !== undefined) body += `<startTime>${dateTime(startTime, 'startTime')}</startTime>`;
  if (stopTime !== undefined) body += `<stopTime>${dateTime(stopTime, 'stopTime')}</stopTime>`;
  return `<create-subscription xmlns="${NS_NOTIFICATION}">${body}</create-subscription>`;
}

export function getSchemaRpc(identifier: string, version?: string, format = 'yang'): string {
  // `format` is an identityref: unprefixed inside the default namespace of get-schema, which
  // netconfd requires (ncclient's ns0: prefix is rejected there).
  return (
    `<get-schema xmlns="${NS_MONITORING}"><identifier>${escapeText(identifier)}</identifier>` +
    (version ? `<version>${escapeText(version)}</version>` : '') +
    `<format>${escapeText(format)}</format></get-schema>`
  );
}

export interface GetDataOptions {
  /** Datastore identity, e.g. `ds:operational` (default), `ds:running`, `ds:intended`. */
  datastore?: string;
  filter?: Filter;
  configFilter?: boolean;
  maxDepth?: number | 'unbounded';
  /** RFC 8526 origin-filter: only data of these origins (ietf-origin identities: `or:intended`, or `intended`). */
  origin?: string[];
  /** RFC 8526 negated-origin-filter: data of any origin but these (same values as `origin`). */
  negatedOrigin?: string[];
  withOrigin?: boolean;
  withDefaults?: string;
}

export function getDataRpc(options: GetDataOptions = {}): string {
  const ds = options.datastore ?? 'ds:operational';
  const dsName = ds.includes(':') ? ds : `ds:${ds}`;
  if (!/^ds:[A-Za-z_][\w.-]*$/.test(dsName)) throw new InvalidInputError(`getData: invalid datastore '${ds}'`);
  let body = `<datastore xmlns:ds="${NS_DATASTORES}">${dsName}</datastore>`;
  const f = options.filter;
  if (f !== undefined && f !== '') {
    if (isXpathFilter(f)) {
      const decls = Object.entries(f.namespaces ?? {})
        .map(([p, uri]) => ` xmlns:${p}="${escapeText(uri)}"`)
        .join('');
      body += `<xpath-filter${decls}>${escapeText(f.xpath)}</xpath-filter>`;
    } else {
      const content = typeof f === 'object' && 'subtree' in f ? (f.subtree as string | XmlObject) : f;
      body += `<subtree-filter>${subtreeXml(content)}</subtree-filter>`;
    }
  }
  if (options.configFilter !== undefined) body += `<config-filter>${options.configFilter}</config-filter>`;
  if (options.maxDepth !== undefined) body += `<max-depth>${options.maxDepth}</max-depth>`;
  body += originFilters(options.origin, options.negatedOrigin);
  if (options.withOrigin) body += '<with-origin/>';
  body += withDefaultsElement(options.withDefaults);
  return `<get-data xmlns="${NS_NMDA}">${body}</get-data>`;
}

/**
 * RFC 8526's origin-filters choice: `<origin-filter>`s or `<negated-origin-filter>`s (not both),
 * each value an ietf-origin identity with its `or` prefix declared on the element.
 */
function originFilters(origin: string[] = [], negated: string[] = []): string {
  if (origin.length > 0 && negated.length > 0)
    throw new InvalidInputError('getData: origin and negatedOrigin exclude each other (RFC 8526 origin-filters)');
  const name = negated.length > 0 ? 'negated-origin-filter' : 'origin-filter';
  return [...origin, ...negated]
    .map((value) => `<${name} xmlns:or="${NS_ORIGIN}">${escapeText(originIdentity(value))}</${name}>`)
    .join('');
}

/** `intended` or `or:intended` -> `or:intended`; another prefix cannot be declared here and is refused. */
function originIdentity(value: string): string {
  const v = value.trim();
  const colon = v.indexOf(':');
  const name = colon < 0 ? v : v.slice(colon + 1);
  if ((colon >= 0 && v.slice(0, colon) !== 'or') || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new InvalidInputError(
      `getData: origin '${value}' is not an ietf-origin identity (or:intended, or:learned, ...); send others with dispatch()`,
    );
  }
  return `or:${name}`;
}

/** An arbitrary operation (dispatch): XML text or an object, checked for well-formedness. */
export function customRpc(rpc: string | XmlObject): string {
  const xml = typeof rpc === 'string' ? rpc.trim().replace(/^<\?xml[^>]*\?>\s*/, '') : objectToXml(rpc);
  checkXmlFragment(xml, 'rpc');
  if (/^<(?:[\w.-]+:)?rpc[\s>]/.test(xml)) {
    throw new InvalidInputError(
      'dispatch: give the operation without the <rpc> element (it is added with a message-id)',
    );
  }
  return xml;
}
