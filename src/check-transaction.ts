/**
 * Check mode (Ansible netconf_config's check mode, NAPALM's compare_config): what an edit would
 * change, with nothing committed. With :candidate: lock the candidate, edit it, read running and
 * candidate, <discard-changes>, unlock; the caller diffs running -> candidate (what a commit
 * would do). Without :candidate but with :validate:1.1: one <edit-config> of running with
 * test-option test-only, which validates the edit and changes nothing; the device tells nothing
 * about what would change, so there is nothing to diff. Without either: NETCONF_INVALID_INPUT.
 */
import { InvalidInputError } from './errors';
import type { DataReply, RpcReply } from './session/reply';
import {
  CAP_CANDIDATE,
  CAP_VALIDATE_11,
  canValidate,
  cleanupReporter,
  readConfig,
  type TransactionOptions,
  type TransactionTarget,
} from './transaction';
import { lockDatastore } from './transaction-lock';
import type { XmlObject } from './xml/object';
import type { JsonObject } from './yang/json';

export interface CheckResult {
  /** `candidate`: edited, read back and discarded; `test-only`: validated on running, no read-back. */
  mode: 'candidate' | 'test-only';
  /** The edit's reply (its warnings, if any). */
  reply: RpcReply;
  /** candidate mode: running (unchanged) and the edited candidate, read before the discard. */
  running?: DataReply;
  candidate?: DataReply;
}

export async function checkTransaction(
  manager: TransactionTarget,
  config: string | XmlObject | JsonObject,
  options: Omit<TransactionOptions, 'confirmed' | 'confirmTimeout'> = {},
): Promise<CheckResult> {
  const { onCleanupError: _c, timeout, signal, lock, lockRetries, lockRetryDelay, ...edit } = options;
  const call = { timeout, signal };
  if (!manager.hasCapability(CAP_CANDIDATE)) {
    if (!manager.hasCapability(CAP_VALIDATE_11)) {
      throw new InvalidInputError(
        'check mode needs the :candidate capability (edit the candidate, read it back, discard) or :validate:1.1 (test-option test-only), and the device has neither',
      );
    }
    const reply = await manager.editConfig(config, { ...edit, ...call, target: 'running', testOption: 'test-only' });
    return { mode: 'test-only', reply };
  }
  const cleanup = cleanupReporter(options);
  const locked = await lockDatastore(manager, 'candidate', { lock, lockRetries, lockRetryDelay }, call);
  let result: CheckResult;
  try {
    const testOption = edit.testOption || (canValidate(manager) ? 'test-then-set' : undefined);
    const reply = await manager.editConfig(config, { ...edit, ...call, target: 'candidate', testOption });
    const running = await readConfig(manager, 'running', call);
    const candidate = await readConfig(manager, 'candidate', call);
    result = { mode: 'candidate', reply, running, candidate };
  } catch (err) {
    await manager.discardChanges(call).catch(cleanup('discard-changes'));
    if (locked) await manager.unlock('candidate', call).catch(cleanup('unlock'));
    throw err;
  }
  // The discard is part of the check, not clean-up: if it fails, the check fails.
  try {
    await manager.discardChanges(call);
  } finally {
    if (locked) await manager.unlock('candidate', call).catch(cleanup('unlock'));
  }
  return result;
}
