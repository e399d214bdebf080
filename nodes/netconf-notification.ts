/**
 * netconf-notification: subscribes (RFC 5277 <create-subscription>) when deployed, sends one
 * message per notification, and subscribes again on every new session after a reconnect,
 * replaying from the last event it saw when the server can replay (events already sent are
 * skipped, so the flow sees each one once).
 */
import { InvalidInputError, isRfc7951, RpcError, type Filter, type Manager, type Notification } from '../src/index';
import { toError, type ConnectionStatus, type ConnectionUser, type YangState } from './shared/connection';
import { resolveFilter } from './shared/filter';
import {
  failMessage,
  fallbackWarnings,
  outputFormat,
  unavailableWarning,
  type ConversionWarning,
  type OutputFormat,
} from './shared/message';
import { findDevice } from './shared/operation';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red-types';
import { connectionBadge, shorten } from './shared/status';

interface NotificationDef extends NodeDef {
  device?: string;
  stream?: string;
  filter?: string;
  filterType?: string;
  namespaces?: string;
  startTime?: string;
  stopTime?: string;
  output?: string;
}

/**
 * Where the subscription stands between sessions: the last event time and which events at that
 * time were already sent (replay resends events at exactly the start time).
 */
class ReplayCursor {
  lastEventTime?: string;
  private seenAtLast = new Set<string>();

  /** False for an event the flow already got (only possible during a resumed replay). */
  isNew(n: Notification): boolean {
    if (this.lastEventTime === undefined || !n.eventTime) return true;
    const t = Date.parse(n.eventTime);
    const last = Date.parse(this.lastEventTime);
    if (Number.isNaN(t) || Number.isNaN(last)) return true;
    return t > last || (t === last && !this.seenAtLast.has(n.eventXml));
  }

  record(n: Notification): void {
    if (!n.eventTime) return;
    if (n.eventTime !== this.lastEventTime) {
      this.lastEventTime = n.eventTime;
      this.seenAtLast = new Set();
    }
    // Bounded: a burst of events sharing one timestamp must not grow memory without limit.
    if (this.seenAtLast.size < 1000) this.seenAtLast.add(n.eventXml);
  }
}

const NS_NOTIFICATION_EVENTS = 'urn:ietf:params:xml:ns:netmod:notification';

/**
 * The event as msg.payload: RFC 7951 JSON (typed by the device's YANG, loaded before the
 * subscription), the plain object, or XML; with the notes on any plain fallback.
 */
function eventPayload(
  n: Notification,
  format: OutputFormat,
  yang: YangState | undefined,
): { payload: unknown; warnings: ConversionWarning[] } {
  if (format === 'xml') return { payload: n.eventXml, warnings: [] };
  if (format === 'object') return { payload: n.data, warnings: [] };
  // RFC 5277's own events (module nc-notifications) carry no data; devices seldom serve that module.
  if (n.namespace === NS_NOTIFICATION_EVENTS) return { payload: { [`nc-notifications:${n.name}`]: {} }, warnings: [] };
  if (!yang?.schema) return { payload: n.data, warnings: [unavailableWarning(yang)] };
  try {
    return { payload: n.json, warnings: fallbackWarnings(n.jsonWarnings) };
  } catch (err) {
    // Only if the notification arrived without the schema on its session (should not happen).
    return { payload: n.data, warnings: [unavailableWarning({ error: toError(err).message })] };
  }
}

export = function register(RED: NodeAPI): void {
  function NetconfNotificationNode(this: Node, def: NotificationDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const device = findDevice(RED, node, def.device);
    if (!device) return;
    const format = outputFormat(def.output);
    const stream = def.stream?.trim() || undefined;
    const userStart = def.startTime?.trim() || undefined;
    const userStop = def.stopTime?.trim() || undefined;
    const cursor = new ReplayCursor();
    const { connection, release } = device.dedicatedConnection('notifications');
    let generation = 0;
    let closed = false;
    let finished = false;

    const show = (status: ConnectionStatus): void => {
      // While connected, the subscription's own state is shown (set in subscribe()).
      if (status.state !== 'connected') node.status(connectionBadge(status));
    };

    const emit = (n: Notification, sessionId: number | undefined, yang: YangState | undefined): void => {
      const { payload, warnings } = eventPayload(n, format, yang);
      const msg: NodeMessage = {
        topic: n.name,
        payload,
        eventTime: n.eventTime,
        netconf: {
          operation: 'notification',
          device: device.label,
          sessionId,
          stream: stream ?? 'NETCONF',
          event: n.name,
          namespace: n.namespace,
          eventTime: n.eventTime,
          xml: n.notificationXml,
          warnings,
        },
      };
      node.send(msg);
    };

    /** Reads events of one subscription until its session ends (or the node is redeployed). */
    const consume = async (
      manager: Manager,
      gen: number,
      resumed: boolean,
      yang: YangState | undefined,
    ): Promise<void> => {
      for await (const n of manager.notifications()) {
        if (gen !== generation) return;
        const isControl = n.namespace === NS_NOTIFICATION_EVENTS;
        if (isControl && n.name === 'notificationComplete') finished = true;
        // replayComplete of our own catch-up replay means nothing to the flow.
        if (isControl && resumed && n.name === 'replayComplete') continue;
        if (!isControl && !cursor.isNew(n)) continue;
        if (!isControl) cursor.record(n);
        emit(n, manager.sessionId, yang);
      }
    };

    const subscribe = async (manager: Manager): Promise<void> => {
      const gen = ++generation;
      if (finished) {
        node.status({ fill: 'grey', shape: 'dot', text: 'replay complete' });
        return;
      }
      const filter: Filter | undefined = await resolveFilter(RED, node, undefined, def);
      const jsonFilter = isRfc7951(filter);
      // Load the YANG before subscribing: notifications are converted with the schema their
      // session had when they arrived.
      const yang = format === 'json' || jsonFilter ? await connection.yang(manager) : undefined;
      if (gen !== generation) return;
      if (jsonFilter && !yang?.schema) {
        throw new InvalidInputError(
          `the filter is RFC 7951 JSON, which needs the device's YANG modules, and they could not be loaded (${yang?.error ?? 'unknown reason'})`,
        );
      }
      // After a reconnect, ask for the events missed since the last one seen.
      const resumeFrom = cursor.lastEventTime ?? userStart;
      const resumed = cursor.lastEventTime !== undefined;
      try {
        await manager.createSubscription({
          stream,
          filter,
          startTime: resumeFrom,
          stopTime: resumeFrom ? userStop : undefined,
        });
      } catch (err) {
        // The stream may not support replay: subscribe to live events rather than not at all.
        if (!(resumed && err instanceof RpcError)) throw err;
        node.warn(`replay from ${resumeFrom} refused (${err.message}); subscribing to new events only`);
        await manager.createSubscription({ stream, filter });
      }
      if (gen !== generation) return;
      node.status({ fill: 'green', shape: 'dot', text: `subscribed (session ${manager.sessionId ?? '?'})` });
      await consume(manager, gen, resumed, yang);
    };

    const user: ConnectionUser = {
      onStatus: show,
      onSession: (manager) => {
        subscribe(manager).catch((err: unknown) => {
          if (closed) return;
          const error = toError(err);
          node.status({ fill: 'red', shape: 'ring', text: shorten(`subscribe failed: ${error.message}`) });
          // With a message, so Catch nodes see it (node.error without one only logs).
          const msg: NodeMessage = { topic: 'subscription-error' };
          node.error(failMessage(msg, error, device.label, 'create-subscription'), msg);
        });
      },
    };
    connection.register(user);

    node.on('close', (removed: boolean, done: () => void) => {
      closed = true;
      generation++;
      connection
        .deregister(user, removed)
        .then(() => release())
        .catch((err: unknown) => node.debug(`close: ${toError(err).message}`))
        .then(() => done());
    });
  }
  RED.nodes.registerType('netconf-notification', NetconfNotificationNode);
};
