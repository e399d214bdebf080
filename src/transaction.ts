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
import type { CallOptions, Manager, XmlInput } from './manager';
import type { EditConfigOptions } from './operations/rpc';
import type { RpcReply } from './session/reply';

const VALIDATE_CAPABILITIES = [
  'urn:ietf:params:netconf:capability:validate:1.1',
  'urn:ietf:params:netconf:capability:validate:1.0',
];

export interface TransactionOptions extends Omit<EditConfigOptions, 'target'>, CallOptions {
  /** Make the commit a confirmed commit (the device rolls back unless confirmed in time). */
  confirmed?: boolean;
  /** Seconds for the confirmed commit (device default 600). */
  confirmTimeout?: number;
  /** Told about clean-up steps that failed after the original error (discard, unlock). */
  onCleanupError?: (step: 'discard-changes' | 'unlock', err: Error) => void;
}

export async function candidateTransaction(
  manager: Manager,
  config: XmlInput,
  options: TransactionOptions = {},
): Promise<RpcReply> {
  const { confirmed, confirmTimeout, onCleanupError, timeout, signal, ...edit } = options;
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
    const reply = await manager.commit(confirmed ? { confirmed: true, confirmTimeout, ...call } : call);
    await manager.unlock('candidate', call);
    return reply;
  } catch (err) {
    await manager.discardChanges(call).catch(cleanup('discard-changes'));
    await manager.unlock('candidate', call).catch(cleanup('unlock'));
    throw err;
  }
}
