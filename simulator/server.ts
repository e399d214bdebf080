/**
 * NetconfSimulator: the simulated device. It owns the datastores, the notification log, the
 * confirmed-commit state and the fault knobs, and serves NETCONF sessions over any Duplex
 * stream (`serveStream`). `listen()` adds the SSH listener; TLS and call home can reuse
 * `serveStream` the same way.
 *
 * Events:
 * - 'session-start' (sessionId, username)
 * - 'rpc' (sessionId, operation local name)
 * - 'session-end' (sessionId, { closeSession, killedBy?, reason })
 * - 'notification' (xml of the event content)
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { NS_BASE } from '../src/namespaces';
import { parseTree } from '../src/xml/element';
import { diffConfig } from './config-diff';
import { CommitManager, type ConfirmEvent } from './confirmed-commit';
import type { SimCore } from './context';
import { Datastores, emptyRoot, type DatastoreName } from './datastore';
import { DEMO_CONFIG, DEMO_HINTS, demoState, heartbeat, NS_NETCONF_NOTIFICATIONS, streamsState } from './demo-model';
import { DEMO_MODULES, type YangModule } from './demo-yang';
import type { EditChange } from './edit-config';
import { FaultController, type FaultSettings } from './faults';
import type { ModelHints } from './model';
import { NotificationLog } from './notifications';
import { LinkState, withCapabilities } from './ops-life';
import { helloCapabilities, type SimulatorOptions } from './options';
import { SimRpcError, invalidValue } from './rpc-error';
import { ServerSession, type SessionDetails, type SessionEnd, type SessionHost } from './session';
import { SshListener } from './ssh-listener';
import { fromElement, leaf, node, toXml, type DataNode } from './tree';

export interface SessionInfo {
  id: number;
  username: string;
  transport?: string;
  sourceHost?: string;
  startedAt: Date;
  /** Operation names received so far. */
  rpcs: readonly string[];
  framing: 'eom' | 'chunked';
}

/** Parses configuration XML (several top-level elements allowed) into a datastore root. */
export function parseConfig(xml: string): DataNode {
  const root = parseTree(`<config xmlns="${NS_BASE}">${xml}</config>`);
  return node('', 'data', root.children.map(fromElement));
}

export class NetconfSimulator extends EventEmitter implements SimCore, SessionHost {
  readonly stores: Datastores;
  readonly commits: CommitManager;
  readonly log: NotificationLog;
  readonly hints: ModelHints = DEMO_HINTS;
  readonly modules: readonly YangModule[] = DEMO_MODULES;
  readonly faults = new FaultController();
  readonly capabilities: readonly string[];
  readonly bootTime = new Date();
  /** Links reported down (oper-status) and link flaps, each change a notification (ops-life.ts). */
  readonly links = new LinkState((content) => this.publish(content));
  private readonly live = new Map<number, ServerSession>();
  private nextSessionId = 1;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatSeq = 0;
  private ssh?: SshListener;
  private closed = false;

  constructor(readonly options: SimulatorOptions = {}) {
    super();
    this.capabilities = helloCapabilities(options);
    this.stores = new Datastores(parseConfig(options.initialConfig ?? DEMO_CONFIG));
    this.log = new NotificationLog(options.replayBufferSize ?? 1000);
    this.commits = new CommitManager(
      this.stores,
      {
        runningChanged: (before, sessionId) => this.runningChanged(before, sessionId),
        confirmEvent: (event, sessionId, timeout) => this.confirmEvent(event, sessionId, timeout),
        validate: (root) => this.validate(root),
      },
      options.confirmTimeout ?? 600,
      options.confirmTimeoutUnitMs ?? 1000,
    );
    const interval = options.notificationIntervalMs ?? 0;
    if (interval > 0) {
      this.heartbeatTimer = setInterval(() => {
        const uptime = Math.floor((Date.now() - this.bootTime.getTime()) / 1000);
        this.publish(heartbeat(++this.heartbeatSeq, uptime));
      }, interval);
      this.heartbeatTimer.unref();
    }
  }

  /** The simulator is its own SimCore; the session layer reaches it through this. */
  get core(): SimCore {
    return this;
  }

  // --- network -------------------------------------------------------------------------------

  /** Starts the SSH listener (subsystem "netconf"). Resolves once listening. */
  async listen(): Promise<this> {
    if (this.closed) throw new Error('the simulator is closed');
    if (!this.ssh) {
      this.ssh = new SshListener(
        this.options,
        (stream, username, details) => this.serveStream(stream, username, details),
        () => this.faults.current.keepSshConnection === true,
      );
      await this.ssh.listen();
    }
    return this;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** The listening port (after listen()). */
  get port(): number {
    if (!this.ssh) throw new Error('the simulator is not listening (call listen())');
    return this.ssh.port;
  }

  /** SSH connections open on the listener (0 before listen()): tests count leaks with it. */
  get sshConnections(): number {
    return this.ssh?.connectionCount ?? 0;
  }

  /** OpenSSH-style fingerprint of the host key: `SHA256:` + unpadded base64. */
  get hostFingerprint(): string {
    if (!this.ssh) throw new Error('the simulator is not listening (call listen())');
    return this.ssh.fingerprint;
  }

  /** The host public key as an OpenSSH line (`ssh-ed25519 AAAA...`), e.g. for known_hosts. */
  get hostPublicKey(): string {
    if (!this.ssh) throw new Error('the simulator is not listening (call listen())');
    return this.ssh.publicKey;
  }

  /**
   * Serves one NETCONF session over `stream` (already authenticated as `username`): sends the
   * hello at once. Returns the session id.
   */
  serveStream(stream: Duplex, username: string, details: SessionDetails = {}): number {
    if (this.closed) {
      stream.destroy();
      return 0;
    }
    const id = this.nextSessionId++;
    const session = new ServerSession(id, username, stream, this, details);
    this.live.set(id, session);
    this.emit('session-start', id, username);
    session.start();
    return id;
  }

  /** Active sessions. */
  get sessions(): ReadonlyMap<number, SessionInfo> {
    const out = new Map<number, SessionInfo>();
    for (const [id, s] of this.live) {
      out.set(id, {
        id,
        username: s.username,
        transport: s.details.transport,
        sourceHost: s.details.sourceHost,
        startedAt: s.startedAt,
        rpcs: s.rpcs,
        framing: s.framing,
      });
    }
    return out;
  }

  setFaults(faults: FaultSettings): void {
    this.faults.set(faults);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Ends every session and the listener, and stops all timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.links.stop();
    this.faults.clear();
    for (const s of [...this.live.values()]) s.terminate('the simulator is closing');
    this.commits.close();
    await this.ssh?.close();
  }

  // --- test helpers --------------------------------------------------------------------------

  /** A datastore's content as XML (top-level elements, each declaring its namespace). */
  getConfigXml(datastore: DatastoreName = 'running'): string {
    return toXml(this.stores.get(datastore).children);
  }

  /** Replaces a datastore's content (no notification, no lock check). */
  setConfigXml(datastore: DatastoreName, xml: string): void {
    this.stores.set(datastore, parseConfig(xml));
  }

  /** Publishes an event on the NETCONF stream; `content` is the event element's XML. */
  publishXml(content: string): void {
    this.publish(parseConfig(content).children[0] ?? emptyRoot());
  }

  // --- SimCore ---------------------------------------------------------------------------------

  stateData(): DataNode[] {
    const state = this.links.apply(demoState(this.stores.get('running'), this.bootTime));
    return [...withCapabilities(state, this.capabilities), streamsState(this.log.created)];
  }

  validate(root: DataNode): void {
    const errors = this.hints.validate?.(root) ?? [];
    if (errors.length > 0) throw new SimRpcError(errors);
  }

  runningChanged(before: DataNode, sessionId: number | undefined, changes?: EditChange[]): void {
    const edits = changes ?? diffConfig(before, this.stores.get('running'), this.hints);
    const session = sessionId === undefined ? undefined : this.live.get(sessionId);
    const children: DataNode[] = [];
    if (session) children.push(changedBy(session));
    children.push(leaf(NS_NETCONF_NOTIFICATIONS, 'datastore', 'running'));
    const content = node(NS_NETCONF_NOTIFICATIONS, 'netconf-config-change', children);
    for (const e of edits) {
      // The target's prefixes are declared on the target element itself (valueNs).
      const target: DataNode = { ...leaf(NS_NETCONF_NOTIFICATIONS, 'target', e.target.path), valueNs: e.target.ns };
      content.children.push(
        node(NS_NETCONF_NOTIFICATIONS, 'edit', [target, leaf(NS_NETCONF_NOTIFICATIONS, 'operation', e.operation)]),
      );
    }
    this.publish(content);
  }

  killSession(target: number, by: number): void {
    const victim = this.live.get(target);
    if (!victim) throw invalidValue(`no session ${target}`, 'session-id');
    victim.terminate(`killed by session ${by}`, by);
  }

  // --- SessionHost -----------------------------------------------------------------------------

  rpcReceived(session: ServerSession, operation: string): void {
    this.emit('rpc', session.id, operation);
  }

  sessionEnded(session: ServerSession, end: SessionEnd): void {
    if (!this.live.delete(session.id)) return;
    const released = this.stores.releaseAll(session.id);
    // RFC 6241 8.3.5.2: a candidate lock lost without commit discards the holder's changes.
    if (released.includes('candidate') && this.stores.candidateDirtyBy === session.id) this.stores.discardCandidate();
    this.commits.sessionEnded(session.id);
    this.emit('session-end', session.id, end);
  }

  private confirmEvent(event: ConfirmEvent, sessionId: number | undefined, timeout?: number): void {
    const children: DataNode[] = [];
    const session = sessionId === undefined ? undefined : this.live.get(sessionId);
    if (session && event !== 'timeout') children.push(...changedBy(session).children);
    children.push(leaf(NS_NETCONF_NOTIFICATIONS, 'confirm-event', event));
    if (timeout !== undefined && (event === 'start' || event === 'extend')) {
      children.push(leaf(NS_NETCONF_NOTIFICATIONS, 'timeout', String(timeout)));
    }
    this.publish(node(NS_NETCONF_NOTIFICATIONS, 'netconf-confirmed-commit', children));
  }

  private publish(content: DataNode): void {
    this.log.publish(content);
    this.emit('notification', toXml([content]));
  }
}

function changedBy(session: ServerSession): DataNode {
  const by = [
    leaf(NS_NETCONF_NOTIFICATIONS, 'username', session.username),
    leaf(NS_NETCONF_NOTIFICATIONS, 'session-id', String(session.id)),
  ];
  if (session.details.sourceHost) by.push(leaf(NS_NETCONF_NOTIFICATIONS, 'source-host', session.details.sourceHost));
  return node(NS_NETCONF_NOTIFICATIONS, 'changed-by', by);
}
