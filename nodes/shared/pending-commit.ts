/**
 * The confirmed commit the nodes have pending on a device (RFC 6241 8.4), shared by every node of
 * that device: the confirmed commit of one node (commit or edit-config transaction) is confirmed
 * or cancelled by another.
 *
 * Why persist: without it a confirmed commit belongs to its session, and a redeploy (which closes
 * the session) makes the device roll the change back, while a later plain <commit> "succeeds" with
 * nothing pending. So where the device has :confirmed-commit:1.1 the nodes make every confirmed
 * commit persistent under a generated persist-id, keep it in the device node's context (which a
 * redeploy keeps), and confirm or cancel with it: the device then answers with an error when
 * nothing is pending, instead of a misleading <ok/>.
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError, RpcError, type Manager } from '../../src/index';
import { isDeviceApi } from './device-api';
import type { StatusOverlay } from './operation';
import type { NodeAPI, NodeStatus } from './red-types';

export const CONFIRMED_COMMIT_1_1 = 'urn:ietf:params:netconf:capability:confirmed-commit:1.1';
/** RFC 6241's default confirm-timeout, in seconds. */
const DEFAULT_TIMEOUT_S = 600;
const CONTEXT_KEY = 'netconfPendingCommit';

export interface PendingCommit {
  /** The persist-id, or undefined when the device lacks :confirmed-commit:1.1 (session-bound). */
  persistId?: string;
  /** The session that made it (a session-bound one is rolled back when that session ends). */
  sessionId?: number;
  /** When the device rolls it back unless confirmed (epoch ms). */
  deadline: number;
  timeoutS: number;
}

/** A key-value store that survives redeploys: the device config node's context. */
export interface ContextStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** What a confirmed commit sends: persist (a new one) or persist-id (extending ours). */
export interface ConfirmedCommitArgs {
  persist?: string;
  persistId?: string;
}

export class PendingCommits {
  private readonly listeners = new Set<() => void>();
  private ticker?: NodeJS.Timeout;

  constructor(private readonly store: ContextStore) {}

  get current(): PendingCommit | undefined {
    const value = this.store.get(CONTEXT_KEY);
    return typeof value === 'object' && value !== null ? (value as PendingCommit) : undefined;
  }

  /**
   * Arguments for a confirmed commit the user gave no persist/persist-id for: extend our pending
   * one (same persist-id), or start a persistent one where the device supports it.
   */
  confirmedArgs(manager: Manager, given: ConfirmedCommitArgs): ConfirmedCommitArgs {
    if (given.persist !== undefined || given.persistId !== undefined) return given;
    const pending = this.current;
    if (pending?.persistId && pending.deadline > Date.now()) return { persistId: pending.persistId };
    if (!manager.hasCapability(CONFIRMED_COMMIT_1_1)) return {};
    return { persist: `node-red-${randomUUID()}` };
  }

  /** Records a confirmed commit the device accepted; returns its persist-id. */
  recordConfirmed(manager: Manager, args: ConfirmedCommitArgs, timeoutS: number | undefined): string | undefined {
    const seconds = timeoutS ?? DEFAULT_TIMEOUT_S;
    const persistId = args.persist ?? args.persistId;
    this.set({ persistId, sessionId: manager.sessionId, deadline: Date.now() + seconds * 1000, timeoutS: seconds });
    return persistId;
  }

  /**
   * The persist-id a confirming commit or cancel-commit sends: the user's, else ours. With
   * `required`, having none pending is an error (nothing is sent): a confirm must never "succeed"
   * with nothing to confirm. A session-bound one made on another session is gone already.
   */
  confirmingId(manager: Manager, given: string | undefined, required: boolean, what: string): string | undefined {
    if (given !== undefined) return given;
    const pending = this.current;
    if (!pending) {
      if (!required) return undefined;
      throw new InvalidInputError(`${what}: no confirmed commit from Node-RED is pending on this device`);
    }
    if (pending.persistId === undefined && pending.sessionId !== manager.sessionId) {
      this.clear();
      throw new InvalidInputError(
        `${what}: the session of the confirmed commit ended, so the device has rolled it back (it lacks :confirmed-commit:1.1, so the commit could not be made persistent)`,
      );
    }
    return pending.persistId;
  }

  /** After a confirming commit or cancel: done on success, and gone when the device says so. */
  settle(err?: unknown): void {
    if (err === undefined || err instanceof RpcError) this.clear();
  }

  clear(): void {
    if (this.current) this.set(undefined);
  }

  /** The status for nodes that show the pending commit (undefined: none pending). */
  status(RED: Pick<NodeAPI, '_'>, now = Date.now()): NodeStatus | undefined {
    const pending = this.current;
    if (!pending) return undefined;
    const left = Math.ceil((pending.deadline - now) / 1000);
    if (left > 0)
      return { fill: 'yellow', shape: 'dot', text: RED._('netconf.status.confirm-within', { seconds: left }) };
    return { fill: 'red', shape: 'ring', text: RED._('netconf.status.rolled-back', { seconds: pending.timeoutS }) };
  }

  /** Calls `changed` when the status changes (every second while a countdown runs). */
  subscribe(changed: () => void): () => void {
    this.listeners.add(changed);
    this.tick();
    return () => {
      this.listeners.delete(changed);
      if (this.listeners.size === 0) this.stopTicker();
    };
  }

  private set(value: PendingCommit | undefined): void {
    this.store.set(CONTEXT_KEY, value);
    this.tick();
  }

  private tick(): void {
    for (const listener of this.listeners) listener();
    const pending = this.current;
    const counting = pending !== undefined && pending.deadline > Date.now() && this.listeners.size > 0;
    if (counting && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), 1000);
      this.ticker.unref();
    } else if (!counting) this.stopTicker();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

const byDevice = new WeakMap<object, PendingCommits>();
/**
 * Records by device id, for the life of the process: a deploy may clean the config node's
 * context (the test helper's full deploy does), and the record must outlive the deploy.
 */
const byDeviceId = new Map<string, Map<string, unknown>>();

/**
 * The device's pending-commit record, kept in its config node's context (so a persistent context
 * store keeps it over a restart) and in process memory (so a deploy never loses it);
 * `fallback` (the node itself) when the device is missing, so the node still has one.
 */
export function pendingCommitsOf(deviceNode: unknown, fallback: object): PendingCommits {
  const device = typeof deviceNode === 'object' && deviceNode !== null ? deviceNode : fallback;
  let pending = byDevice.get(device);
  if (!pending) {
    const { id, context } = device as { id?: unknown; context?: () => ContextStore };
    const memory =
      typeof id === 'string' ? (byDeviceId.get(id) ?? new Map<string, unknown>()) : new Map<string, unknown>();
    if (typeof id === 'string') byDeviceId.set(id, memory);
    const ctx = typeof context === 'function' ? context.call(device) : undefined;
    pending = new PendingCommits({
      get: (key) => ctx?.get(key) ?? memory.get(key),
      set: (key, value) => {
        memory.set(key, value);
        ctx?.set(key, value);
      },
    });
    byDevice.set(device, pending);
  }
  return pending;
}
/**
 * Whether the nodes track confirmed commits for this device node: not for a fleet (Host empty),
 * whose one config node stands for many devices, each with its own pending commit.
 */
export function tracksPendingCommits(deviceNode: unknown): boolean {
  return !isDeviceApi(deviceNode) || deviceNode.fleet === undefined;
}

/** The pending commit's countdown over the connection badge, for nodes that commit. */
export function pendingOverlay(RED: Pick<NodeAPI, '_'>, pending: PendingCommits): StatusOverlay {
  return { status: () => pending.status(RED), subscribe: (changed) => pending.subscribe(changed) };
}
