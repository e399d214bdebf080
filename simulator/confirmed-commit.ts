/**
 * commit, confirmed commit and cancel-commit (RFC 6241 sections 8.3.4.1 and 8.4).
 *
 * A confirmed commit applies the candidate at once and keeps a snapshot of the running
 * configuration from before it; unless a confirming commit arrives within confirm-timeout, or
 * when cancel-commit is sent, or when the issuing session ends (without persist), the snapshot
 * is restored. Follow-up confirmed commits extend the timeout but keep the first snapshot.
 */
import type { Datastores } from './datastore';
import { invalidValue, rpcError, SimRpcError } from './rpc-error';
import { cloneNode, type DataNode } from './tree';

export type ConfirmEvent = 'start' | 'cancel' | 'timeout' | 'extend' | 'complete';

export interface CommitRequest {
  sessionId: number;
  confirmed: boolean;
  /** Seconds; the default applies when absent. */
  confirmTimeout?: number;
  persist?: string;
  persistId?: string;
}

export interface CommitHooks {
  /** Called after running changed (commit or rollback), with its previous content. */
  runningChanged(before: DataNode, sessionId: number | undefined): void;
  confirmEvent(event: ConfirmEvent, sessionId: number | undefined, timeoutSeconds?: number): void;
  /** Validates the candidate before it is committed; throws SimRpcError. */
  validate(root: DataNode): void;
}

interface Pending {
  sessionId: number;
  persist?: string;
  snapshot: DataNode;
  timer: NodeJS.Timeout;
}

export class CommitManager {
  private pending?: Pending;

  constructor(
    private readonly stores: Datastores,
    private readonly hooks: CommitHooks,
    private readonly defaultTimeout: number,
    /** Length of one confirm-timeout unit; 1000 (seconds) except in fast tests. */
    private readonly unitMs: number,
  ) {}

  get isPending(): boolean {
    return this.pending !== undefined;
  }

  commit(req: CommitRequest): void {
    if (req.persist !== undefined && req.persistId !== undefined) {
      throw invalidValue('persist and persist-id must not be used together', 'persist-id');
    }
    this.stores.checkWritable('running', req.sessionId);
    this.stores.checkWritable('candidate', req.sessionId);
    const pending = this.pending;
    if (pending) this.checkOwner(pending, req.sessionId, req.persistId);
    else if (req.persistId !== undefined) {
      throw invalidValue(`no confirmed commit with persist-id "${req.persistId}" is pending`, 'persist-id');
    }
    const candidate = this.stores.get('candidate');
    this.hooks.validate(candidate);
    const before = this.stores.get('running');
    this.stores.set('running', cloneNode(candidate));
    this.stores.candidateDirtyBy = 0;

    const timeout = req.confirmTimeout ?? this.defaultTimeout;
    if (req.confirmed) {
      if (pending) {
        clearTimeout(pending.timer);
        pending.timer = this.startTimer(timeout);
        if (req.persist !== undefined) pending.persist = req.persist;
        this.hooks.runningChanged(before, req.sessionId);
        this.hooks.confirmEvent('extend', req.sessionId, timeout);
      } else {
        this.pending = {
          sessionId: req.sessionId,
          persist: req.persist,
          snapshot: before,
          timer: this.startTimer(timeout),
        };
        this.hooks.runningChanged(before, req.sessionId);
        this.hooks.confirmEvent('start', req.sessionId, timeout);
      }
      return;
    }
    this.hooks.runningChanged(before, req.sessionId);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending = undefined;
      this.hooks.confirmEvent('complete', req.sessionId);
    }
  }

  cancel(sessionId: number, persistId: string | undefined): void {
    const pending = this.pending;
    if (!pending) throw rpcError('operation-failed', 'no confirmed commit is pending');
    this.checkOwner(pending, sessionId, persistId);
    this.rollback('cancel', sessionId);
  }

  /** A session ended: its non-persistent confirmed commit is rolled back (RFC 6241 8.4.1). */
  sessionEnded(sessionId: number): void {
    const pending = this.pending;
    if (pending && pending.persist === undefined && pending.sessionId === sessionId) this.rollback('cancel', sessionId);
  }

  close(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private checkOwner(pending: Pending, sessionId: number, persistId: string | undefined): void {
    if (pending.persist !== undefined) {
      if (persistId !== pending.persist) {
        throw invalidValue(
          persistId === undefined
            ? 'a persistent confirmed commit is pending: give its persist-id'
            : `persist-id "${persistId}" does not match the pending confirmed commit`,
          'persist-id',
        );
      }
      return;
    }
    if (persistId !== undefined) {
      throw invalidValue('the pending confirmed commit was not given a persist value', 'persist-id');
    }
    if (sessionId !== pending.sessionId) {
      throw new SimRpcError({
        type: 'protocol',
        tag: 'operation-failed',
        message: `a confirmed commit of session ${pending.sessionId} is pending; only that session can confirm or cancel it`,
        info: { 'session-id': String(pending.sessionId) },
      });
    }
  }

  private startTimer(seconds: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.rollback('timeout', undefined), seconds * this.unitMs);
    // A pending rollback must not keep a test process (or the CLI after close) alive by itself.
    timer.unref();
    return timer;
  }

  private rollback(event: ConfirmEvent, sessionId: number | undefined): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    const before = this.stores.get('running');
    this.stores.set('running', pending.snapshot);
    // The candidate goes back too, or the next plain commit would re-apply what was rolled back.
    this.stores.set('candidate', cloneNode(pending.snapshot));
    this.stores.candidateDirtyBy = 0;
    this.hooks.runningChanged(before, sessionId);
    this.hooks.confirmEvent(event, sessionId);
  }
}
