/**
 * Session-level operations: close-session, kill-session (RFC 6241), create-subscription
 * (RFC 5277) and get-schema (RFC 6022).
 */
import { NS_BASE, NS_MONITORING, NS_NOTIFICATION } from '../src/namespaces';
import { childElement, childText, escapeText, type XmlElement } from '../src/xml/element';
import type { OpHandler } from './context';
import { Subscription, STREAM_NAME } from './notifications';
import { invalidValue, missingElement, rpcError } from './rpc-error';
import { readFilter } from './filter';

const closeSession: OpHandler = ({ session }) => ({ afterWritten: () => session.closeGracefully() });

const killSession: OpHandler = ({ core, session, op }) => {
  const text = childText(op, 'session-id', NS_BASE);
  if (text === undefined) throw missingElement('session-id');
  if (!/^[1-9][0-9]*$/.test(text)) throw invalidValue(`"${text}" is not a session-id`, 'session-id');
  const target = Number(text);
  if (target === session.id) throw invalidValue('a session cannot kill itself (use close-session)', 'session-id');
  core.killSession(target, session.id);
  return {};
};

/** RFC 3339 date-time (what xs:dateTime in RFC 5277 amounts to in practice). */
function readTime(op: XmlElement, local: string): Date | undefined {
  const text = childText(op, local, NS_NOTIFICATION);
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw invalidValue(`"${text}" is not a date-time`, local);
  return new Date(ms);
}

const createSubscription: OpHandler = ({ core, session, op }) => {
  if (session.subscription) {
    throw rpcError('operation-failed', 'this session already has a subscription (one per session, RFC 5277)');
  }
  const stream = childText(op, 'stream', NS_NOTIFICATION) ?? STREAM_NAME;
  if (stream !== STREAM_NAME) throw invalidValue(`unknown stream "${stream}" (only ${STREAM_NAME})`, 'stream');
  const startTime = readTime(op, 'startTime');
  const stopTime = readTime(op, 'stopTime');
  if (startTime && startTime.getTime() > Date.now()) throw invalidValue('startTime is in the future', 'startTime');
  if (stopTime && !startTime) throw missingElement('startTime', 'stopTime needs a startTime');
  if (startTime && stopTime && stopTime < startTime)
    throw invalidValue('stopTime is earlier than startTime', 'stopTime');
  const filter = readFilter(childElement(op, 'filter', NS_NOTIFICATION));
  if (filter.kind === 'big') throw invalidValue('reply-size is not a notification filter', 'filter');
  const sub = new Subscription(
    core.log,
    { startTime, stopTime, filter: filter.kind === 'nodes' ? filter.nodes : undefined },
    (xml) => session.sendNotification(xml),
    () => {
      if (session.subscription === sub) session.subscription = undefined;
    },
  );
  session.subscription = sub;
  return { afterQueued: () => sub.start() };
};

const getSchema: OpHandler = ({ core, op }) => {
  const identifier = childText(op, 'identifier', NS_MONITORING);
  if (identifier === undefined) throw missingElement('identifier');
  const version = childText(op, 'version', NS_MONITORING);
  const format = childText(op, 'format', NS_MONITORING);
  if (format !== undefined && format !== 'yang' && !format.endsWith(':yang')) {
    throw invalidValue(`format "${format}" is not available (only yang)`, 'format');
  }
  const found = core.modules.filter((m) => m.name === identifier && (!version || m.revision === version));
  if (found.length === 0)
    throw invalidValue(`no schema "${identifier}"${version ? ` revision ${version}` : ''}`, 'identifier');
  if (found.length > 1) {
    throw rpcError('operation-failed', `several versions of "${identifier}"; give <version>`, {
      appTag: 'data-not-unique',
    });
  }
  return { body: `<data xmlns="${NS_MONITORING}">${escapeText(found[0].text)}</data>` };
};

/** Keyed by namespace and local name, like every other element match. */
export const SESSION_OPERATIONS: Record<string, { ns: string; handler: OpHandler }> = {
  'close-session': { ns: NS_BASE, handler: closeSession },
  'kill-session': { ns: NS_BASE, handler: killSession },
  'create-subscription': { ns: NS_NOTIFICATION, handler: createSubscription },
  'get-schema': { ns: NS_MONITORING, handler: getSchema },
};
