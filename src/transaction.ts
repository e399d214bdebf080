/**
 * The safe ways to change a device as one call (the protocol sequences; the nodes only choose):
 *
 * - `candidateTransaction`: lock the candidate, edit it, commit (optionally confirmed), unlock;
 *   after any failure, discard the candidate's changes and unlock, and report the error of the
 *   step that failed.
 * - `editTransaction`: the same with `target: 'auto'` (the candidate where the device has
 *   :candidate, else running: Ansible's rule), and optionally the running configuration read
 *   before and after (inside the lock) so the caller can diff what the commit changed.
 * - `checkTransaction` (check-transaction.ts): edit the candidate, read it back, discard.
 *
 * Validation is asked for with test-option test-then-set on the edit (where the device has
 * :validate) and is done again by the commit itself (RFC 6241 8.3.4.1), rather than by a separate
 * `<validate>`: yuma123 netconfd answers `<ok/>` to a commit that follows `<validate>` of the
 * candidate but commits nothing and resets the candidate, which silently lost the change.
 */
import { InvalidInputError } from './errors';
import type { CommitOptions, EditConfigOptions } from './operations/rpc';
import type { DataReply, RpcReply } from './session/reply';
import { lockDatastore, type LockOptions } from './transaction-lock';
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
  /** Needed only when the configuration is read back (readBack, check mode). */
  getConfig?(options?: { source?: string } & StepOptions): Promise<DataReply>;
}

const NS_CAP = 'urn:ietf:params:netconf:capability:';
export const CAP_CANDIDATE = `${NS_CAP}candidate:1.0`;
export const CAP_VALIDATE_11 = `${NS_CAP}validate:1.1`;
const VALIDATE_CAPABILITIES = [CAP_VALIDATE_11, `${NS_CAP}validate:1.0`];
const CAP_ROLLBACK = `${NS_CAP}rollback-on-error:1.0`;

export type CleanupStep = 'discard-changes' | 'unlock';

export interface TransactionOptions extends Omit<EditConfigOptions, 'target'>, StepOptions, LockOptions {
  /** Make the commit a confirmed commit (the device rolls back unless confirmed in time). */
  confirmed?: boolean;
  /** Seconds for the confirmed commit (device default 600). */
  confirmTimeout?: number;
  /** Make the confirmed commit persistent under this token, or extend the one with this persist-id. */
  persist?: string;
  persistId?: string;
  /** Told about clean-up steps that failed after the original error (discard, unlock). */
  onCleanupError?: (step: CleanupStep, err: Error) => void;
}

export type TransactionDatastore = 'auto' | 'candidate' | 'running';

export interface EditTransactionOptions extends TransactionOptions {
  /** `auto` (default): candidate where the device has :candidate, else running. */
  target?: TransactionDatastore;
  /** Read the running configuration before the edit and after the commit (inside the lock). */
  readBack?: boolean;
}

export interface TransactionResult {
  /** The datastore that was edited. */
  target: 'candidate' | 'running';
  /** The commit's reply (candidate), or the edit's (running). */
  reply: RpcReply;
  /** With readBack: running before the edit and after the commit. */
  before?: DataReply;
  after?: DataReply;
}

/** The datastore `auto` means on this device. */
export function resolveTarget(
  manager: TransactionTarget,
  target: TransactionDatastore = 'auto',
): 'candidate' | 'running' {
  if (target !== 'auto') return target;
  return manager.hasCapability(CAP_CANDIDATE) ? 'candidate' : 'running';
}

export function canValidate(manager: TransactionTarget): boolean {
  return VALIDATE_CAPABILITIES.some((c) => manager.hasCapability(c));
}

export function cleanupReporter(options: TransactionOptions): (step: CleanupStep) => (err: unknown) => void {
  return (step) => (err) => options.onCleanupError?.(step, err instanceof Error ? err : new Error(String(err)));
}

export function readConfig(manager: TransactionTarget, source: string, call: StepOptions): Promise<DataReply> {
  if (!manager.getConfig) throw new InvalidInputError('reading the configuration back needs getConfig()');
  return manager.getConfig({ source, ...call });
}

export async function candidateTransaction(
  manager: TransactionTarget,
  config: string | XmlObject | JsonObject,
  options: TransactionOptions = {},
): Promise<RpcReply> {
  return (await editTransaction(manager, config, { ...options, target: 'candidate' })).reply;
}

export async function editTransaction(
  manager: TransactionTarget,
  config: string | XmlObject | JsonObject,
  options: EditTransactionOptions = {},
): Promise<TransactionResult> {
  const target = resolveTarget(manager, options.target);
  const {
    confirmed,
    confirmTimeout,
    persist,
    persistId,
    onCleanupError: _c,
    timeout,
    signal,
    lock,
    lockRetries,
    lockRetryDelay,
    ...rest
  } = options;
  const { target: _t, readBack, ...edit } = rest;
  const call = { timeout, signal };
  const cleanup = cleanupReporter(options);
  if (confirmed && target === 'running')
    throw new InvalidInputError('a confirmed commit needs the candidate datastore, and this device has no :candidate');
  const locked = await lockDatastore(manager, target, { lock, lockRetries, lockRetryDelay }, call);
  const result: TransactionResult = { target, reply: undefined as unknown as RpcReply };
  try {
    if (readBack) result.before = await readConfig(manager, 'running', call);
    const testOption = edit.testOption || (canValidate(manager) ? 'test-then-set' : undefined);
    if (target === 'candidate') {
      await manager.editConfig(config, { ...edit, ...call, target, testOption });
      result.reply = await manager.commit(
        confirmed ? { confirmed: true, confirmTimeout, persist, persistId, ...call } : call,
      );
    } else {
      // Without a candidate, rollback-on-error (where offered) keeps a failed edit from half-applying.
      const errorOption = edit.errorOption || (manager.hasCapability(CAP_ROLLBACK) ? 'rollback-on-error' : undefined);
      result.reply = await manager.editConfig(config, { ...edit, ...call, target, testOption, errorOption });
    }
    if (readBack) result.after = await readConfig(manager, 'running', call);
  } catch (err) {
    if (target === 'candidate') await manager.discardChanges(call).catch(cleanup('discard-changes'));
    if (locked) await manager.unlock(target, call).catch(cleanup('unlock'));
    throw err;
  }
  if (locked) await manager.unlock(target, call);
  return result;
}
