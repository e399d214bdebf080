/**
 * netconf-notification: subscribes (RFC 5277 <create-subscription>) when deployed, sends one
 * message per notification, and subscribes again on every new session after a reconnect,
 * replaying from the last event it saw when the server can replay (events already sent are
 * skipped, so the flow sees each one once).
 */
import { InvalidInputError, isRfc7951, RpcError, type Filter, type Manager, type Notification } from '../src/index';
import { toError, type ConnectionStatus, type ConnectionUser, type YangState } from './shared/connection';
import type { DedicatedConnection, DeviceApi } from './shared/device-api';
import { fleetTarget, type FleetTarget } from './shared/fleet-target';
import { resolveFilter } from './shared/filter';
import {
  failMessage,
  fallbackWarnings,
  outputFormat,
  unavailableWarning,
  xmlText,
  type ConversionWarning,
  type OutputFormat,
} from './shared/message';
import { findDevice } from './shared/operation';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './shared/red-types';
import type { SessionSource } from './shared/session-source';
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
async function eventPayload(
  n: Notification,
  format: OutputFormat,
  yang: YangState | undefined,
): Promise<{ payload: unknown; warnings: ConversionWarning[] }> {
  if (format === 'xml' || format === 'xml-pretty') return { payload: await xmlText(n.eventXml, format), warnings: [] };
  if (format === 'object') return { payload: await n.getData(), warnings: [] };
  // RFC 5277's own events (module nc-notifications) carry no data; devices seldom serve that module.
  if (n.namespace === NS_NOTIFICATION_EVENTS) return { payload: { [`nc-notifications:${n.name}`]: {} }, warnings: [] };
  if (!yang?.schema) return { payload: await n.getData(), warnings: [unavailableWarning(yang)] };
  try {
    const payload = await n.getJson();
    return { payload, warnings: fallbackWarnings(n.jsonWarnings) };
  } catch (err) {
    // Only if the notification arrived without the schema on its session (should not happen).
    return { payload: await n.getData(), warnings: [unavailableWarning({ error: toError(err).message })] };
  }
}

/**
 * One node's subscription across sessions: subscribes on each new session of its dedicated
 * connection, sends the events, and keeps the replay cursor between sessions.
 */
class Subscription implements ConnectionUser {
  private readonly format: OutputFormat;
  private readonly stream?: string;
  private readonly userStart?: string;
  private readonly userStop?: string;
  private readonly cursor = new ReplayCursor();
  /** Bumped per session and on close: a stale subscribe() or consume() stops at its next step. */
  private generation = 0;
  private closed = false;
  /** The server sent notificationComplete (the stop time passed): nothing more will come. */
  private finished = false;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: NotificationDef,
    /** The device's name in msg.netconf.device and errors (fleet: msg.device's name). */
    private readonly label: string,
    private readonly connection: SessionSource,
    /** Fleet mode: the node's status summarises all subscriptions, so this one does not set it. */
    private readonly quiet = false,
  ) {
    this.format = outputFormat(def.output);
    this.stream = def.stream?.trim() || undefined;
    this.userStart = def.startTime?.trim() || undefined;
    this.userStop = def.stopTime?.trim() || undefined;
  }

  onStatus(status: ConnectionStatus): void {
    // While connected, the subscription's own state is shown (set in subscribe()).
    if (status.state !== 'connected' && !this.quiet) this.node.status(connectionBadge(this.RED, status));
  }

  onSession(manager: Manager): void {
    this.subscribe(manager).catch((err: unknown) => this.failed(toError(err)));
  }

  /** Stops sending: events of the current subscription arriving after this are dropped. */
  close(): void {
    this.closed = true;
    this.generation++;
  }

  private failed(error: Error): void {
    if (this.closed) return;
    const text = this.RED._('netconf-notification.status.subscribe-failed', { error: error.message });
    if (!this.quiet) this.node.status({ fill: 'red', shape: 'ring', text: shorten(text) });
    // With a message, so Catch nodes see it (node.error without one only logs).
    const msg: NodeMessage = { topic: 'subscription-error' };
    const err = failMessage(msg, error, this.label, 'create-subscription');
    this.node.error(err, msg);
  }

  private async subscribe(manager: Manager): Promise<void> {
    const gen = ++this.generation;
    if (this.finished) {
      if (this.quiet) return;
      this.node.status({ fill: 'grey', shape: 'dot', text: this.RED._('netconf-notification.status.replay-complete') });
      return;
    }
    const filter: Filter | undefined = await resolveFilter(this.RED, this.node, undefined, this.def);
    const jsonFilter = isRfc7951(filter);
    // Load the YANG before subscribing: notifications are converted with the schema their
    // session had when they arrived.
    const yang = this.format === 'json' || jsonFilter ? await this.connection.yang(manager) : undefined;
    if (gen !== this.generation) return;
    if (jsonFilter && !yang?.schema) {
      throw new InvalidInputError(
        `the filter is RFC 7951 JSON, which needs the device's YANG modules, and they could not be loaded (${yang?.error ?? 'unknown reason'})`,
      );
    }
    const resumed = await this.createSubscription(manager, filter);
    if (gen !== this.generation) return;
    const text = this.RED._('netconf-notification.status.subscribed', { session: manager.sessionId ?? '?' });
    if (!this.quiet) this.node.status({ fill: 'green', shape: 'dot', text });
    await this.consume(manager, gen, resumed, yang);
  }

  /** Subscribes; after a reconnect, asks for the events missed since the last one seen. Returns whether it resumed. */
  private async createSubscription(manager: Manager, filter: Filter | undefined): Promise<boolean> {
    const { stream } = this;
    const resumeFrom = this.cursor.lastEventTime ?? this.userStart;
    const resumed = this.cursor.lastEventTime !== undefined;
    try {
      await manager.createSubscription({
        stream,
        filter,
        startTime: resumeFrom,
        stopTime: resumeFrom ? this.userStop : undefined,
      });
    } catch (err) {
      // The stream may not support replay: subscribe to live events rather than not at all.
      if (!(resumed && err instanceof RpcError)) throw err;
      this.node.warn(`replay from ${resumeFrom} refused (${err.message}); subscribing to new events only`);
      await manager.createSubscription({ stream, filter });
    }
    return resumed;
  }

  /** Reads events of one subscription until its session ends (or the node is redeployed). */
  private async consume(manager: Manager, gen: number, resumed: boolean, yang: YangState | undefined): Promise<void> {
    for await (const n of manager.notifications()) {
      if (gen !== this.generation) return;
      const isControl = n.namespace === NS_NOTIFICATION_EVENTS;
      if (isControl && n.name === 'notificationComplete') this.finished = true;
      // replayComplete of our own catch-up replay means nothing to the flow.
      if (isControl && resumed && n.name === 'replayComplete') continue;
      if (!isControl && !this.cursor.isNew(n)) continue;
      if (!isControl) this.cursor.record(n);
      await this.emit(n, manager.sessionId, yang);
    }
  }

  private async emit(n: Notification, sessionId: number | undefined, yang: YangState | undefined): Promise<void> {
    const { payload, warnings } = await eventPayload(n, this.format, yang);
    const msg: NodeMessage = {
      topic: n.name,
      payload,
      eventTime: n.eventTime,
      netconf: {
        operation: 'notification',
        device: this.label,
        sessionId,
        stream: this.stream ?? 'NETCONF',
        event: n.name,
        namespace: n.namespace,
        eventTime: n.eventTime,
        xml: n.notificationXml,
        warnings,
      },
    };
    this.node.send(msg);
  }
}

/** A node subscribed through a fleet device: one subscription per device, on msg.action. */
interface FleetSubscription {
  subscription: Subscription;
  dedicated: DedicatedConnection;
}

/**
 * Fleet mode: `msg.action: 'subscribe'` with msg.device subscribes to that device (a
 * connection of its own, resubscribing after reconnects as a single device does), 'unsubscribe'
 * ends it. The node's status counts the subscriptions.
 */
function setupFleetNotifications(RED: NodeAPI, node: Node, def: NotificationDef, device: DeviceApi): void {
  if (!device.fleetConnection) return;
  const open = (target: FleetTarget): DedicatedConnection =>
    device.fleetConnection?.(target, 'notifications') ?? device.dedicatedConnection('notifications');
  const subscriptions = new Map<string, FleetSubscription>();
  const showCount = (): void =>
    node.status({
      fill: subscriptions.size > 0 ? 'green' : 'grey',
      shape: 'ring',
      text: RED._('netconf-notification.status.fleet', { count: subscriptions.size }),
    });
  const end = async (key: string, removed: boolean): Promise<void> => {
    const sub = subscriptions.get(key);
    if (!sub) return;
    subscriptions.delete(key);
    sub.subscription.close();
    await sub.dedicated.connection.deregister(sub.subscription, removed);
    await sub.dedicated.release();
  };
  showCount();
  node.on('input', (msg: NodeMessage, _send: SendFn, done: DoneFn) => {
    const run = async (): Promise<void> => {
      const target = fleetTarget(msg.device, device.fleet?.settings.port ?? 830);
      const key = `${target.host}:${target.port}`;
      if (msg.action === 'unsubscribe') await end(key, true);
      else if (msg.action === 'subscribe') {
        if (subscriptions.has(key)) return;
        const dedicated = open(target);
        const subscription = new Subscription(RED, node, def, target.name, dedicated.connection, true);
        subscriptions.set(key, { subscription, dedicated });
        dedicated.connection.register(subscription);
      } else throw new InvalidInputError("msg.action must be 'subscribe' or 'unsubscribe' (with msg.device)");
      showCount();
    };
    run().then(
      () => done(),
      (err: unknown) => done(failMessage(msg, err, 'fleet', 'create-subscription')),
    );
  });
  node.on('close', (removed: boolean, done: () => void) => {
    Promise.all([...subscriptions.keys()].map((key) => end(key, removed)))
      .catch((err: unknown) => node.debug(`close: ${toError(err).message}`))
      .then(() => done(), done);
  });
}

export = function register(RED: NodeAPI): void {
  function NetconfNotificationNode(this: Node, def: NotificationDef): void {
    RED.nodes.createNode(this, def);
    const device = findDevice(RED, this, def.device);
    if (!device) return;
    if (device.fleet) {
      setupFleetNotifications(RED, this, def, device);
      return;
    }
    const dedicated = device.dedicatedConnection('notifications');
    const connection = dedicated.connection;
    const subscription = new Subscription(RED, this, def, device.label, connection);
    connection.register(subscription);
    this.on('close', (removed: boolean, done: () => void) => {
      subscription.close();
      connection
        .deregister(subscription, removed)
        .then(() => dedicated.release())
        .catch((err: unknown) => this.debug(`close: ${toError(err).message}`))
        .then(() => done(), done);
    });
  }
  RED.nodes.registerType('netconf-notification', NetconfNotificationNode);
};
