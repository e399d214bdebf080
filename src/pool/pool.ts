/**
 * SessionPool: NETCONF sessions to a fleet of devices, opened on demand and shared. At most
 * `maxSessions` exist at once and at most ONE per device (a session pipelines any number of RPCs,
 * and NETCONF locks belong to a session, so a second session to a device buys nothing but lock
 * conflicts). Idle sessions end with `<close-session>` after `idleTimeout`, or earlier when another
 * device needs the room; dead ones are forgotten and reopened by the next call; a device whose
 * connect failed fails fast during its backoff. The pool sits above the Manager and does not know
 * how sessions are opened: it calls the injected factory.
 */
import { EventEmitter } from 'node:events';
import { SessionClosedError } from '../errors';
import { defaultLogger, type Logger } from '../logger';
import { timeoutSeconds } from '../timeout';
import type { Manager } from '../manager';
import { DeviceBackoff, type BackoffOptions } from './backoff';
import type { DeviceState, PoolCounts, SessionPoolEvents } from './counts';
import { DeviceSlot, type PooledManager } from './device-slot';
import { PoolClosedError, PoolFullError, PoolTimeoutError } from './errors';
import { targetKey, type PoolTarget } from './target';
import { abortReason, WaitQueue } from './wait-queue';
import { endsWithin, waitUntil } from './wait-until';

/** Opens one session to `target`; `signal` aborts when the pool closes. Rejects on failure. */
export type PoolFactory<M extends PooledManager = Manager> = (target: PoolTarget, signal: AbortSignal) => Promise<M>;

export interface SessionPoolOptions {
  /** Sessions open (or opening, or closing) at once, over all devices (default 50). */
  maxSessions?: number;
  /** Seconds an unused session stays open (default 60). */
  idleTimeout?: number;
  /** Calls that may wait for capacity; more are refused with NETCONF_POOL_FULL (default 1000). */
  maxQueue?: number;
  /** Seconds a call may wait for capacity or its turn before NETCONF_POOL_TIMEOUT (default 30). */
  queueTimeout?: number;
  /** Seconds close() waits for `<close-session>` replies before it forgets the sessions (default 5). */
  closeTimeout?: number;
  /** Delays before a failed device is tried again (default 1 s doubling up to 60 s). */
  backoff?: BackoffOptions;
  /** The user in the key of targets without `username` (default 'netconf', as connectSsh). */
  defaultUsername?: string;
  logger?: Logger;
}

export interface UseOptions {
  /** Aborts waiting (for capacity, for the session to open, for an exclusive turn). */
  signal?: AbortSignal;
  /** Run alone on the device's session: waits until no other user holds it, and keeps others out. */
  exclusive?: boolean;
}

/** What use() and useIfOpen() run with the device's Manager. */
export type UseFn<M, R> = (manager: M) => Promise<R> | R;

export class SessionPool<M extends PooledManager = Manager> extends EventEmitter<SessionPoolEvents> {
  readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly queueMs: number;
  private readonly closeMs: number;
  private readonly defaultUsername: string;
  private readonly logger: Logger;
  private readonly slots = new Map<string, DeviceSlot<M>>();
  private readonly queue: WaitQueue<string>;
  private readonly backoff: DeviceBackoff;
  private readonly abort = new AbortController();
  /** Waiters released from the queue that have not yet resumed: capacity promised to them. */
  private woken = 0;
  private countsScheduled = false;
  /** Slots per state, kept by setState (a 500-device fleet asked for counts every tick). */
  private readonly inState: Record<DeviceState, number> = {
    connecting: 0,
    open: 0,
    idle: 0,
    closing: 0,
    closed: 0,
    failing: 0,
  };
  private closing?: Promise<void>;

  constructor(
    private readonly factory: PoolFactory<M>,
    options: SessionPoolOptions = {},
  ) {
    super();
    this.maxSessions = options.maxSessions ?? 50;
    if (!(this.maxSessions >= 1)) throw new RangeError('maxSessions must be at least 1');
    this.idleMs = (options.idleTimeout ?? 60) * 1000;
    this.logger = options.logger ?? defaultLogger;
    this.queueMs = timeoutSeconds(options.queueTimeout, 30, 'queueTimeout', this.logger) * 1000;
    this.closeMs = timeoutSeconds(options.closeTimeout, 5, 'closeTimeout', this.logger) * 1000;
    this.queue = new WaitQueue(options.maxQueue ?? 1000);
    this.backoff = new DeviceBackoff(options.backoff);
    this.defaultUsername = options.defaultUsername ?? 'netconf';
  }

  /** The pool key of a target: `user@host:port`. */
  keyOf(target: PoolTarget): string {
    return targetKey(target, this.defaultUsername);
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Runs `fn` with the device's Manager, opening the session first if needed. Concurrent calls for
   * one device share its session (their RPCs pipeline); `exclusive` waits for, and keeps, the
   * session to itself. The session counts as in use until `fn` settles; fn's result is returned.
   */
  async use<R>(target: PoolTarget, fn: UseFn<M, R>, options: UseOptions = {}): Promise<R> {
    const key = this.keyOf(target);
    const deadline = Date.now() + this.queueMs;
    const slot = await this.acquire(key, target, deadline, options.signal);
    await this.takeTurn(slot, deadline, options);
    return this.runTurn(slot, fn, options);
  }

  /**
   * use(), but only on a session the pool holds open (in use or idle) right now: it never opens one
   * nor waits for capacity, and resolves to undefined instead (also when the session ends before
   * fn's turn, or the pool closes). It holds the session as use() does: no idle close under fn.
   */
  async useIfOpen<R>(target: PoolTarget, fn: UseFn<M, R>, options: UseOptions = {}): Promise<R | undefined> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const slot = this.slots.get(this.keyOf(target));
    if (this.closed || (slot?.state !== 'open' && slot?.state !== 'idle')) return undefined;
    // Counted in at once (no idle close, no eviction), then checked: the session may end meanwhile.
    if (!(await this.join(slot, options.signal))) return undefined;
    try {
      await this.takeTurn(slot, Date.now() + this.queueMs, options);
    } catch (err) {
      if (slot.state !== 'open') return undefined; // it ended (or the pool closed) while we waited our turn
      throw err;
    }
    return this.runTurn(slot, fn, options);
  }

  /** A turn on the session of a slot the caller joined; on failure the caller is counted out. */
  private async takeTurn(slot: DeviceSlot<M>, deadline: number, options: UseOptions): Promise<void> {
    try {
      await slot.lock.acquire(options.exclusive ?? false, deadline - Date.now(), options.signal, () =>
        this.timeoutError(slot.key, 'an exclusive turn'),
      );
    } catch (err) {
      this.leave(slot);
      throw err;
    }
  }

  /** Runs fn in the turn taken, then gives back the turn and counts the caller out. */
  private async runTurn<R>(slot: DeviceSlot<M>, fn: UseFn<M, R>, options: UseOptions): Promise<R> {
    try {
      return await fn(slot.manager as M);
    } finally {
      slot.lock.release(options.exclusive ?? false);
      this.leave(slot);
    }
  }

  /** The state of a device (by target or key); undefined when the pool holds nothing for it. */
  state(target: PoolTarget | string): DeviceState | undefined {
    const key = typeof target === 'string' ? target : this.keyOf(target);
    return this.slots.get(key)?.state ?? (this.backoff.isFailing(key) ? 'failing' : undefined);
  }

  get counts(): PoolCounts {
    const { open, connecting, idle, closing } = this.inState;
    const sessions = this.slots.size;
    return { open, connecting, idle, closing, failing: this.backoff.size, queued: this.queue.size, sessions };
  }

  /**
   * Closes every session with `<close-session>` (RPCs already sent still get their replies, as the
   * server answers in order) and refuses new calls. Waiting calls reject with NETCONF_POOL_CLOSED.
   * Resolves when all sessions ended or after `timeout` seconds (default closeTimeout), whichever
   * comes first; sessions still closing then are forgotten (their own close timeout ends them).
   */
  close(timeout?: number): Promise<void> {
    const seconds = timeoutSeconds(timeout, this.closeMs / 1000, 'close timeout', this.logger);
    this.closing ??= this.closeAll(seconds * 1000);
    return this.closing;
  }

  private async closeAll(timeoutMs: number): Promise<void> {
    const error = new PoolClosedError();
    this.queue.rejectAll(error);
    this.abort.abort(error);
    const slots = [...this.slots.values()];
    for (const slot of slots) {
      slot.lock.rejectAll(error);
      if (slot.state !== 'connecting') this.closeSlot(slot);
    }
    if (!(await endsWithin(Promise.all(slots.map((s) => s.ended)), timeoutMs))) {
      this.logger.debug(`session pool: ${this.slots.size} session(s) still closing after ${timeoutMs} ms, forgotten`);
      for (const slot of [...this.slots.values()]) this.ended(slot, new PoolClosedError('forgotten at pool close'));
    }
  }

  /** Finds or opens the device's slot and counts the caller in; waits in the queue when at capacity. */
  private async acquire(key: string, target: PoolTarget, deadline: number, signal?: AbortSignal) {
    const turn = { resumed: false };
    try {
      return await this.findOrOpen(key, target, deadline, signal, turn);
    } finally {
      if (turn.resumed) this.pump(); // capacity promised to this caller may be unused (it joined, or failed fast)
    }
  }

  private async findOrOpen(
    key: string,
    target: PoolTarget,
    deadline: number,
    signal: AbortSignal | undefined,
    turn: { resumed: boolean },
  ): Promise<DeviceSlot<M>> {
    for (;;) {
      if (this.closed) throw new PoolClosedError();
      if (signal?.aborted) throw abortReason(signal);
      const slot = this.slots.get(key);
      if (slot && slot.state !== 'closing') {
        if (await this.join(slot, signal)) return slot;
        continue;
      }
      if (slot) {
        await waitUntil(slot.ended, deadline, signal, () => this.timeoutError(key, 'its closing session'));
        continue;
      }
      const failing = this.backoff.check(key);
      if (failing) throw failing;
      if (this.slots.size + this.woken < this.maxSessions && (turn.resumed || this.queue.size === 0)) {
        const opened = this.open(key, target);
        if (await this.join(opened, signal)) return opened;
        continue;
      }
      turn.resumed = await this.waitForCapacity(key, deadline, signal);
    }
  }

  private async waitForCapacity(key: string, deadline: number, signal?: AbortSignal): Promise<true> {
    if (this.queue.full) {
      throw new PoolFullError(`session pool full: ${this.queue.size} calls already wait (maxQueue), ${key} refused`);
    }
    const waiting = this.queue.wait(key, deadline - Date.now(), signal, () => this.timeoutError(key, 'a session'));
    this.scheduleCounts();
    this.pump();
    try {
      await waiting;
    } finally {
      this.scheduleCounts();
    }
    this.woken--;
    return true;
  }

  /** Counts the caller in and waits for the session to open; false when it ended before that. */
  private async join(slot: DeviceSlot<M>, signal?: AbortSignal): Promise<boolean> {
    slot.refs++;
    if (slot.state === 'idle') {
      slot.clearIdleTimer();
      this.setState(slot, 'open');
    }
    try {
      await waitUntil(slot.ready, Infinity, signal, () => new PoolTimeoutError('unreachable'));
    } catch (err) {
      this.leave(slot);
      throw err;
    }
    if (slot.state === 'open') return true;
    this.leave(slot);
    return false;
  }

  private leave(slot: DeviceSlot<M>): void {
    slot.refs--;
    if (slot.refs > 0 || slot.state !== 'open') return;
    slot.idleSince = Date.now();
    this.setState(slot, 'idle');
    if (this.queue.size > this.inState.closing) return this.pump();
    slot.idleTimer = setTimeout(() => this.closeSlot(slot), this.idleMs);
    slot.idleTimer.unref();
  }

  private open(key: string, target: PoolTarget): DeviceSlot<M> {
    const slot = new DeviceSlot<M>(key, target);
    this.slots.set(key, slot);
    this.setState(slot, 'connecting');
    slot.ready = this.factory(target, this.abort.signal).then(
      (manager) => this.opened(slot, manager),
      (err) => this.openFailed(slot, err),
    );
    slot.ready.catch(() => undefined); // callers that left early must not leave it unhandled
    return slot;
  }

  private opened(slot: DeviceSlot<M>, manager: M): M {
    if (slot.state !== 'connecting') {
      void manager.close().catch(() => undefined); // forgotten at pool close while it was opening
      throw new PoolClosedError();
    }
    slot.manager = manager;
    this.backoff.succeed(slot.key);
    manager.session.once('close', (reason) => this.ended(slot, reason));
    if (manager.session.closed) {
      this.ended(slot, new SessionClosedError(`the session to ${slot.key} ended as it opened`));
      return manager;
    }
    this.setState(slot, 'open');
    if (this.closed) this.closeSlot(slot);
    else if (slot.refs === 0) {
      slot.refs = 1; // everyone who waited for it gave up: it starts idle
      this.leave(slot);
    }
    return manager;
  }

  private openFailed(slot: DeviceSlot<M>, err: unknown): never {
    const delay = this.backoff.fail(slot.key, err);
    this.logger.debug(`session pool: ${slot.key} failed, next attempt in ${delay} ms: ${String(err)}`);
    this.ended(slot, err instanceof Error ? err : new Error(String(err)), 'failing');
    throw err;
  }

  /** The session ended (closed by us, dropped, killed) or never opened: the device is forgotten. */
  private ended(slot: DeviceSlot<M>, reason: Error | undefined, state: DeviceState = 'closed'): void {
    if (slot.state === 'closed' || slot.state === 'failing') return;
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key);
    slot.markEnded();
    // an Error costs its stack: made only when someone waits for a turn on this session
    if (slot.lock.queued > 0)
      slot.lock.rejectAll(new SessionClosedError(`the session to ${slot.key} ended`, { cause: reason }));
    this.setState(slot, state, reason);
    this.pump();
  }

  private closeSlot(slot: DeviceSlot<M>): void {
    if (slot.state !== 'open' && slot.state !== 'idle') return;
    slot.clearIdleTimer();
    this.setState(slot, 'closing');
    const manager = slot.manager as M;
    manager
      .close()
      .catch((err: unknown) => this.logger.debug(`session pool: closing ${slot.key}: ${String(err)}`))
      .finally(() => this.ended(slot, undefined));
  }

  /**
   * Hands free capacity to waiters (oldest first), and when they outnumber it, closes the idle
   * sessions unused the longest (sessions already closing count as capacity on its way).
   */
  private pump(): void {
    if (this.closed) return;
    while (this.queue.size > 0 && this.slots.size + this.woken < this.maxSessions) {
      this.woken++;
      this.queue.releaseFirst();
    }
    if (this.inState.idle === 0) return; // nothing to evict (a fleet's burst pumps once per waiting call)
    let short = this.queue.size - this.inState.closing;
    while (short-- > 0) {
      const idle = this.oldestIdle();
      if (!idle) break;
      this.closeSlot(idle);
    }
  }

  private oldestIdle(): DeviceSlot<M> | undefined {
    let oldest: DeviceSlot<M> | undefined;
    for (const slot of this.slots.values()) {
      if (slot.state === 'idle' && (!oldest || slot.idleSince < oldest.idleSince)) oldest = slot;
    }
    return oldest;
  }

  private timeoutError(key: string, what: string): PoolTimeoutError {
    return new PoolTimeoutError(`${key}: waited ${this.queueMs / 1000} s (queueTimeout) for ${what}`);
  }

  private setState(slot: DeviceSlot<M>, state: DeviceState, error?: Error): void {
    const previous = slot.state;
    // a new slot starts as 'connecting' without being counted: open() counts it here
    if (slot.counted) this.inState[previous]--;
    slot.counted = true;
    slot.state = state;
    this.inState[state]++;
    this.emit('state', { device: slot.key, name: slot.target.name, state, previous, error });
    this.scheduleCounts();
  }

  /** One 'counts' event per tick, however many devices changed in it. */
  private scheduleCounts(): void {
    if (this.countsScheduled) return;
    this.countsScheduled = true;
    queueMicrotask(() => {
      this.countsScheduled = false;
      this.emit('counts', this.counts);
    });
  }
}
