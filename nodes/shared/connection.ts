/**
 * The life of one NETCONF session shared by the nodes that use a device (the MQTT broker node's
 * pattern): users register and get every state change; the first user triggers the connection
 * (a device nobody uses never connects); a lost session is re-opened with exponential backoff
 * while users remain; messages that arrive before the session is up wait in a bounded queue with
 * a deadline; close() ends the session with <close-session> within a bounded time.
 *
 * Nothing here knows about Node-RED or about how a session is opened (SSH, TLS, call home):
 * `open` is given by the device node. That keeps it testable and keeps protocol logic out.
 */
import { ConnectError, Manager, type Session } from '../../src/index';
import type { ConnectionStatus, ConnectionUser, SessionSource, YangState } from './session-source';

// The types of the seam live with it (session-source.ts); re-exported for the nodes that use them here.
export type { ConnectionState, ConnectionStatus, ConnectionUser, YangState } from './session-source';

export interface ConnectionOptions {
  /** Opens a session; must reject when `signal` aborts. */
  open(signal: AbortSignal): Promise<Session>;
  /** Description for messages, e.g. `router1 (10.0.0.1:830)`. */
  label: string;
  /** Status detail while connecting, already translated (e.g. "waiting for call home"). */
  connectingText?: string;
  /** Seconds each RPC may take. */
  rpcTimeout: number;
  /** First reconnect delay and the cap, in milliseconds. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Messages that may wait for the session, and how long each may wait (ms). */
  queueSize?: number;
  queueTimeoutMs?: number;
  /** Upper bound on close(), in milliseconds (Node-RED gives a node 15 s to close). */
  closeBoundMs?: number;
  debug?(message: string): void;
  /**
   * The text users see for a connect error (status, messages, log), in the words of the device
   * dialog (e.g. "Host key" rather than the library's hostFingerprint); default: its message.
   */
  describe?(err: Error): string;
  /** The Node-RED log: told of connection failures and recoveries once per change of state. */
  log?(level: 'warn' | 'info', message: string): void;
}

/**
 * Failures that retrying will not cure (credentials refused, host key not the pinned one): the
 * messages waiting for a session fail at once instead of at their deadline. The connection still
 * retries with backoff, so a fixed device (or restored key) is picked up.
 */
function isPermanent(err: Error): boolean {
  return err instanceof ConnectError && (err.reason === 'auth' || err.reason === 'host-key');
}

interface Waiter {
  resolve(manager: Manager): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Raised for messages that could not get a session (queue full, timed out, connect failed). */
export class NotConnectedError extends Error {
  readonly code = 'NETCONF_NOT_CONNECTED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotConnectedError';
  }
}

/** The single-device SessionSource: one opener (dial or call home), reconnect, a bounded queue. */
export class DeviceConnection implements SessionSource {
  private readonly options: Required<Omit<ConnectionOptions, 'debug' | 'connectingText' | 'describe' | 'log'>> &
    Pick<ConnectionOptions, 'debug' | 'connectingText' | 'describe' | 'log'>;
  private readonly users = new Set<ConnectionUser>();
  private readonly queue: Waiter[] = [];
  private status: ConnectionStatus = { state: 'idle' };
  private session?: Session;
  private manager?: Manager;
  private attempt?: AbortController;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private closing?: Promise<void>;
  /** The last connect failure, while it is one retrying cannot cure (see isPermanent). */
  private permanentFailure?: NotConnectedError;
  /** The failure last written to the log, until the next successful connect. */
  private loggedFailure?: string;
  /** The YANG load of the current session (one per session, started by the first node that needs it). */
  private yangLoad?: { manager: Manager; promise: Promise<YangState> };

  constructor(options: ConnectionOptions) {
    this.options = {
      reconnectMinMs: 1000,
      reconnectMaxMs: 60000,
      queueSize: 100,
      queueTimeoutMs: 30000,
      closeBoundMs: 8000,
      ...options,
    };
  }

  get state(): ConnectionStatus {
    return this.status;
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Adds a user; the first one opens the session. */
  register(user: ConnectionUser): void {
    this.users.add(user);
    user.onStatus(this.status);
    if (this.status.state === 'connected' && this.manager) this.notifySession(user, this.manager);
    else this.connectSoon();
  }

  /** Removes a user; when the last one leaves for good the session is closed. */
  async deregister(user: ConnectionUser, removed: boolean): Promise<void> {
    this.users.delete(user);
    if (removed && this.users.size === 0 && this.status.state !== 'closed')
      await this.disconnect('no node uses the device');
  }

  /**
   * The Manager of the live session, or a promise that waits (bounded by the queue's size and
   * deadline) for the session to come up.
   */
  acquire(): Promise<Manager> {
    if (this.status.state === 'closed')
      return Promise.reject(new NotConnectedError(`${this.options.label}: the device configuration is closed`));
    if (this.manager && this.session && !this.session.closed) return Promise.resolve(this.manager);
    if (this.permanentFailure) return Promise.reject(this.permanentFailure);
    if (this.queue.length >= this.options.queueSize) {
      return Promise.reject(
        new NotConnectedError(
          `${this.options.label}: not connected and ${this.queue.length} messages are already waiting (queue full)`,
        ),
      );
    }
    const promise = new Promise<Manager>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.dropWaiter(waiter);
          const why = this.status.reason ? ` (last error: ${this.status.reason})` : '';
          reject(
            new NotConnectedError(
              `${this.options.label}: no session within ${this.options.queueTimeoutMs / 1000} s${why}`,
            ),
          );
        }, this.options.queueTimeoutMs),
      };
      this.queue.push(waiter);
    });
    this.connectSoon();
    return promise;
  }

  /**
   * The device's YANG for `manager`'s session: loaded once per session, the first time a node
   * asks (RFC 6022 get-schema; modules are cached process-wide, so a reconnect fetches nothing).
   * Never rejects: a failed load resolves with `error`, and the session stays as it is.
   */
  yang(manager: Manager): Promise<YangState> {
    if (this.yangLoad?.manager === manager) return this.yangLoad.promise;
    if (manager.yang) return Promise.resolve({ schema: manager.yang });
    const promise = manager.loadYang().then(
      (schema): YangState => {
        for (const w of schema.warnings) this.options.debug?.(`${this.options.label}: YANG: ${w}`);
        if (manager === this.manager && this.status.state === 'connected') {
          this.setStatus({ ...this.status, yangModules: schema.schema.modules.size });
        }
        return { schema };
      },
      (err: unknown): YangState => {
        const message = toError(err).message;
        this.options.debug?.(`${this.options.label}: loading the YANG modules failed: ${message}`);
        return { error: message };
      },
    );
    this.yangLoad = { manager, promise };
    return promise;
  }

  /** Modules in the current session's YANG schema, or undefined when none is loaded. */
  get yangModules(): number | undefined {
    return this.manager?.yang?.schema.modules.size;
  }

  /** Starts an attempt now unless one is running, the session is up, or a retry is already scheduled. */
  private connectSoon(): void {
    const { state } = this.status;
    if (state === 'connecting' || state === 'connected' || state === 'closed' || this.retryTimer) return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const attempt = new AbortController();
    this.attempt = attempt;
    this.setStatus({ state: 'connecting', detail: this.options.connectingText });
    let session: Session;
    try {
      session = await this.options.open(attempt.signal);
    } catch (err) {
      if (this.attempt === attempt) this.onConnectFailed(toError(err));
      return;
    }
    if (this.attempt !== attempt || attempt.signal.aborted) {
      // close() or disconnect() ran while we were connecting: this session is not wanted.
      void session.close().catch(() => undefined);
      return;
    }
    this.attempt = undefined;
    this.adopt(session);
  }

  private adopt(session: Session): void {
    this.session = session;
    this.manager = new Manager(session, { timeout: this.options.rpcTimeout, logId: this.options.label });
    this.yangLoad = undefined;
    this.failures = 0;
    this.permanentFailure = undefined;
    session.on('close', (reason) => this.onSessionClosed(session, reason));
    // The 'warning' event (late or unknown replies, dropped notifications) is informative only.
    session.on('warning', (message) => this.options.debug?.(`${this.options.label}: ${message}`));
    this.setStatus({ state: 'connected', sessionId: session.sessionId });
    const manager = this.manager;
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(manager);
    }
    for (const user of this.users) this.notifySession(user, manager);
  }

  private notifySession(user: ConnectionUser, manager: Manager): void {
    try {
      user.onSession?.(manager);
    } catch (err) {
      this.options.debug?.(`${this.options.label}: a node failed to use the new session: ${toError(err).message}`);
    }
  }

  private onConnectFailed(err: Error): void {
    this.attempt = undefined;
    const text = this.options.describe?.(err) ?? err.message;
    const failure = new NotConnectedError(`${this.options.label}: ${text}`, { cause: err });
    this.permanentFailure = isPermanent(err) ? failure : undefined;
    this.failQueue(failure);
    this.setStatus({ state: 'disconnected', reason: text });
    this.scheduleRetry();
  }

  private onSessionClosed(session: Session, reason: Error | undefined): void {
    // Whatever ended it (the server, the transport), a lost session is closed: its transport
    // (the SSH connection) must not outlive it. close() on an ended session only tears down.
    void session.close().catch(() => undefined);
    if (session !== this.session) return;
    this.session = undefined;
    this.manager = undefined;
    if (this.status.state === 'closed' || this.closing) return;
    this.setStatus({ state: 'disconnected', reason: reason?.message ?? 'session closed' });
    this.scheduleRetry();
  }

  /** Exponential backoff (min, 2×min, ... up to max) while someone uses the device. */
  private scheduleRetry(): void {
    if (this.users.size === 0 && this.queue.length === 0) return;
    const { reconnectMinMs, reconnectMaxMs } = this.options;
    const delay = Math.min(reconnectMinMs * 2 ** Math.min(this.failures, 20), reconnectMaxMs);
    this.failures++;
    this.setStatus({ ...this.status, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connectSoon();
    }, delay);
  }

  private failQueue(err: Error): void {
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
  }

  private dropWaiter(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private setStatus(status: ConnectionStatus): void {
    this.logChange(status);
    this.status = status;
    for (const user of this.users) {
      try {
        user.onStatus(status);
      } catch (err) {
        this.options.debug?.(`${this.options.label}: status listener failed: ${toError(err).message}`);
      }
    }
  }

  /**
   * One log line per change of state: a failure (retries failing the same way say nothing more),
   * a different failure, and the recovery.
   */
  private logChange(after: ConnectionStatus): void {
    const { log, label } = this.options;
    if (after.state === 'disconnected' && after.reason && after.reason !== this.loggedFailure) {
      this.loggedFailure = after.reason;
      log?.('warn', `${label}: ${after.reason}`);
    } else if (after.state === 'connected' && this.loggedFailure !== undefined) {
      this.loggedFailure = undefined;
      log?.('info', `${label}: connected again (session ${after.sessionId ?? '?'})`);
    }
  }

  /** Ends the session (with <close-session>) but stays usable: a later acquire() reconnects. */
  private async disconnect(reason: string): Promise<void> {
    this.stopConnecting();
    this.failQueue(new NotConnectedError(`${this.options.label}: ${reason}`));
    const session = this.session;
    this.session = undefined;
    this.manager = undefined;
    this.setStatus({ state: 'idle' });
    if (session) await this.closeSession(session);
  }

  private stopConnecting(): void {
    this.attempt?.abort(new NotConnectedError(`${this.options.label}: connection attempt cancelled`));
    this.attempt = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Closes for good (device node redeployed or removed), bounded by `closeBoundMs`. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.stopConnecting();
    this.failQueue(new NotConnectedError(`${this.options.label}: the device configuration was closed (redeploy?)`));
    const session = this.session;
    this.session = undefined;
    this.manager = undefined;
    this.setStatus({ state: 'closed' });
    this.users.clear();
    if (session) await this.closeSession(session);
  }

  /** <close-session> and transport teardown, never longer than `closeBoundMs`. */
  private async closeSession(session: Session): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.closeBoundMs);
    });
    try {
      await Promise.race([
        session.close().catch((err: unknown) => this.options.debug?.(`close: ${toError(err).message}`)),
        bound,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
