/**
 * What operation handlers may use: the simulator-wide state (`SimCore`) and the calling
 * session (`SessionApi`). Handlers depend on these interfaces only, not on the server class.
 */
import type { XmlElement } from '../src/xml/element';
import type { CommitManager } from './confirmed-commit';
import type { Datastores } from './datastore';
import type { YangModule } from './demo-yang';
import type { EditChange } from './edit-config';
import type { ModelHints } from './model';
import type { NotificationLog, Subscription } from './notifications';
import type { DataNode } from './tree';

export interface SimCore {
  readonly stores: Datastores;
  readonly commits: CommitManager;
  readonly log: NotificationLog;
  readonly hints: ModelHints;
  readonly modules: readonly YangModule[];
  /** Operational state for <get> (computed fresh each time). */
  stateData(): DataNode[];
  /** Throws SimRpcError when `root` is not a valid configuration. */
  validate(root: DataNode): void;
  /** Running changed outside a commit (edit-config or copy-config on running). */
  runningChanged(before: DataNode, sessionId: number, changes?: EditChange[]): void;
  /** Terminates another session (kill-session); throws invalid-value when there is none. */
  killSession(target: number, by: number): void;
}

export interface SessionApi {
  readonly id: number;
  readonly username: string;
  subscription?: Subscription;
  /** Queues a complete <notification> message. */
  sendNotification(xml: string): void;
  /** Ends the session after what is queued has been written (close-session). */
  closeGracefully(): void;
}

export interface OpCall {
  core: SimCore;
  session: SessionApi;
  /** The operation element (first child of <rpc>). */
  op: XmlElement;
}

export interface OpResult {
  /** Reply content inside <rpc-reply>; '<ok/>' when neither body nor stream is set. */
  body?: string;
  /** Streamed reply: given the envelope, yields the whole message body in pieces. */
  stream?: (head: string, tail: string) => Iterable<Buffer>;
  /** Runs once the reply has been queued (replay after create-subscription's <ok/>). */
  afterQueued?: () => void;
  /** Runs once the reply has been written (close-session). */
  afterWritten?: () => void;
}

export type OpHandler = (call: OpCall) => OpResult;
