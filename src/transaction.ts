/**
 * The safe way to change a device with a candidate datastore, as one call: lock the candidate,
 * edit it, commit (optionally as a confirmed commit), unlock; after any failure, discard the
 * candidate's changes and unlock, and report the error of the step that failed.
 *
 * Validation is asked for with test-option test-then-set on the edit (where the device has
 * :validate) and is done again by the commit itself (RFC 6241 8.3.4.1), rather than by a separate
 * `<validate>`: yuma123 netconfd answers `<ok/>` to a commit that follows `<validate>` of the
 * candidate but commits nothing and resets the candidate, which silently lost the change.
 */
import type { CommitOptions, EditConfigOptions } from './operations/rpc';
import type { RpcReply } from './session/reply';
import type { XmlObject } from './xml/object';
import type { JsonObject } from './yang/json';

/** Per-call options of the operations the transaction uses (the Manager's CallOptions). */
export interface StepOptions {
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * What the transaction needs of a Manager. Structural, so this module does not import the
 * Manager (which offers the transaction as a method) and any object with these operations will do.
 */
export interface TransactionTarget {
  hasCapability(uri: string): boolean;
  lock(target: string, options?: StepOptions): Promise<RpcReply>;
  unlock(target: string, options?: StepOptions): Promise<RpcReply>;
  editConfig(config: string | XmlObject | JsonObject, options?: EditConfigOptions & StepOptions): Promise<RpcReply>;
  commit(options?: CommitOptions & StepOptions): Promise<RpcReply>;
  discardChanges(options?: StepOptions): Promise<RpcReply>;
}

const VALIDATE_CAPABILITIES = [
  'urn:ietf:params:netconf:capability:validate:1.1',
  'urn:ietf:params:netconf:capability:validate:1.0',
];

export interface TransactionOptions extends Omit<EditConfigOptions, 'target'>, StepOptions {
  /** Make the commit a confirmed commit (the device rolls back unless confirmed in time). */
  confirmed?: boolean;
  /** Seconds for the confirmed commit (device default 600). */
  confirmTimeout?: number;
  /** Make the confirmed commit persistent under this token, or extend the one with this persist-id. */
  persist?: string;
  persistId?: string;
  /** Told about clean-up steps that failed after the original error (discard, unlock). */
  onCleanupError?: (step: 'discard-changes' | 'unlock', err: Error) => void;
}

export async function candidateTransaction(
  manager: TransactionTarget,
  config: string | XmlObject | JsonObject,
  options: TransactionOptions = {},
): Promise<RpcReply> {
  const { confirmed, confirmTimeout, persist, persistId, onCleanupError, timeout, signal, ...edit } = options;
  const call = { timeout, signal };
  const cleanup = (step: 'discard-changes' | 'unlock') => (err: unknown) =>
    onCleanupError?.(step, err instanceof Error ? err : new Error(String(err)));
  await manager.lock('candidate', call);
  try {
    const canTest = VALIDATE_CAPABILITIES.some((c) => manager.hasCapability(c));
    await manager.editConfig(config, {
      ...edit,
      ...call,
      target: 'candidate',
      testOption: edit.testOption || (canTest ? 'test-then-set' : undefined),
    });
    const reply = await manager.commit(
      confirmed ? { confirmed: true, confirmTimeout, persist, persistId, ...call } : call,
    );
    await manager.unlock('candidate', call);
    return reply;
  } catch (err) {
    await manager.discardChanges(call).catch(cleanup('discard-changes'));
    await manager.unlock('candidate', call).catch(cleanup('unlock'));
    throw err;
  }
}
