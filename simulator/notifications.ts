/**
 * RFC 5277 notifications: a log of recent events on the NETCONF stream (for replay) and one
 * subscription per session, with an optional subtree filter, startTime (replay, then
 * <replayComplete/>) and stopTime (then <notificationComplete/>, after which the subscription is
 * over and the session can subscribe again).
 */
import { NS_NOTIFICATION } from '../src/namespaces';
import { applySubtreeFilter, type FilterNodeLike } from './subtree-filter';
import { node, toXml, type DataNode } from './tree';

export const NS_NETMOD_NOTIFICATION = 'urn:ietf:params:xml:ns:netmod:notification';
export const STREAM_NAME = 'NETCONF';

export interface LoggedEvent {
  time: Date;
  content: DataNode;
}

export function notificationXml(time: Date, content: string): string {
  return `<notification xmlns="${NS_NOTIFICATION}"><eventTime>${time.toISOString()}</eventTime>${content}</notification>`;
}

export class NotificationLog {
  readonly created = new Date();
  private readonly buffer: LoggedEvent[] = [];
  private readonly listeners = new Set<(e: LoggedEvent) => void>();

  constructor(private readonly capacity: number) {}

  publish(content: DataNode, time = new Date()): LoggedEvent {
    const event = { time, content };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    for (const fn of [...this.listeners]) fn(event);
    return event;
  }

  /** Logged events with startTime <= time (<= stopTime), oldest first. */
  between(start: Date, stop?: Date): LoggedEvent[] {
    return this.buffer.filter((e) => e.time >= start && (!stop || e.time <= stop));
  }

  listen(fn: (e: LoggedEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

export interface SubscriptionOptions {
  filter?: readonly FilterNodeLike[];
  startTime?: Date;
  stopTime?: Date;
}

export class Subscription {
  private unlisten?: () => void;
  private stopTimer?: NodeJS.Timeout;
  private done = false;

  constructor(
    private readonly log: NotificationLog,
    private readonly options: SubscriptionOptions,
    /** Sends one complete <notification> message. */
    private readonly send: (xml: string) => void,
    /** Called once the subscription has ended by its stopTime. */
    private readonly onComplete: () => void,
  ) {}

  /** Call after the <ok/> of create-subscription has been queued: replay comes after it. */
  start(): void {
    const { startTime, stopTime } = this.options;
    if (startTime) {
      for (const e of this.log.between(startTime, stopTime)) this.deliver(e);
      this.send(notificationXml(new Date(), `<replayComplete xmlns="${NS_NETMOD_NOTIFICATION}"/>`));
    }
    if (stopTime && stopTime.getTime() <= Date.now()) {
      this.complete();
      return;
    }
    this.unlisten = this.log.listen((e) => this.deliver(e));
    if (stopTime) {
      this.stopTimer = setTimeout(() => this.complete(), stopTime.getTime() - Date.now());
      this.stopTimer.unref();
    }
  }

  stop(): void {
    this.done = true;
    this.unlisten?.();
    this.unlisten = undefined;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
  }

  private deliver(e: LoggedEvent): void {
    if (this.done) return;
    let content: DataNode[] = [e.content];
    if (this.options.filter) content = applySubtreeFilter(node('', 'event', [e.content]), this.options.filter);
    if (content.length > 0) this.send(notificationXml(e.time, toXml(content)));
  }

  private complete(): void {
    if (this.done) return;
    this.send(notificationXml(new Date(), `<notificationComplete xmlns="${NS_NETMOD_NOTIFICATION}"/>`));
    this.stop();
    this.onComplete();
  }
}
