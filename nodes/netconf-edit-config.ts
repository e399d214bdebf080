/**
 * netconf-edit-config: <edit-config> with the config from msg.payload (XML, an object or RFC 7951
 * JSON); or a whole transaction (the library's editTransaction: lock, edit, commit (optionally
 * confirmed), unlock, with discard-changes and unlock after any failure), with msg.diff of what it
 * changed; or check mode (the library's checkTransaction: edit the candidate, read it back,
 * discard), which reports in msg.diff what the edit would change and commits nothing.
 */
import {
  checkTransaction,
  editTransaction,
  InvalidInputError,
  isRfc7951,
  LOCK_POLICIES,
  prepareCommit,
  prepareEditConfig,
  resolveTarget,
  type EditConfigOptions,
  type JsonObject,
  type LockOptions,
  type LockPolicy,
  type Manager,
  type PreparedRpc,
  type RpcReply,
  type TransactionDatastore,
  type XmlObject,
} from '../src/index';
import { ignoreList, messageDiff } from './shared/config-diff';
import type { YangState } from './shared/connection';
import { numberSetting, overrides, plainFormat, replyPayload, stringSetting, xmlOrObject } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation, type StatusOverlay } from './shared/operation';
import { pendingCommitsOf, pendingOverlay, tracksPendingCommits, type PendingCommits } from './shared/pending-commit';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface EditConfigDef extends OperationDef {
  target?: string;
  defaultOperation?: string;
  testOption?: string;
  errorOption?: string;
  transaction?: boolean | string;
  /** Transaction mode's datastore: auto, candidate, running (flows saved before it: candidate). */
  transactionTarget?: string;
  confirmed?: boolean | string;
  confirmTimeout?: string | number;
  check?: boolean | string;
  /** Read running before and after a transaction and put the diff in msg.diff (default on). */
  diff?: boolean | string;
  ignore?: string;
  lock?: string;
  lockRetries?: string | number;
  /** Seconds between lock tries. */
  lockRetryDelay?: string | number;
  output?: string;
}

interface Plan {
  config: string | XmlObject | JsonObject;
  edit: EditConfigOptions;
  lock: LockOptions;
  confirmed: boolean;
  confirmTimeout?: number;
  /** Persistent confirmed commit: persist or persist-id, from pending-commit.ts. */
  persist?: string;
  persistId?: string;
  diff: boolean;
  ignore: string[];
}

const TX_TARGETS: readonly TransactionDatastore[] = ['auto', 'candidate', 'running'];

const TEST_ONLY_NOTE =
  'checked with test-option test-only on running (the device has no :candidate): the device validated the edit, ' +
  'but tells nothing about what it would change, so there is no diff (msg.changed is undefined)';

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

function choice<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new InvalidInputError(`${what} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function lockOptions(msg: NodeMessage, def: EditConfigDef): LockOptions {
  const delay = numberSetting(msg, 'lockRetryDelay', def.lockRetryDelay);
  return {
    lock: choice<LockPolicy>(stringSetting(msg, 'lock', def.lock), LOCK_POLICIES, 'lock'),
    lockRetries: numberSetting(msg, 'lockRetries', def.lockRetries),
    lockRetryDelay: delay === undefined ? undefined : delay * 1000,
  };
}

async function runTransaction(
  manager: Manager,
  plan: Plan,
  target: TransactionDatastore,
  yang: YangState | undefined,
  msg: NodeMessage,
  log: (m: string) => void,
): Promise<RpcReply> {
  const { target: _t, ...edit } = plan.edit;
  const result = await editTransaction(manager, plan.config, {
    ...edit,
    ...plan.lock,
    target,
    confirmed: plan.confirmed,
    confirmTimeout: plan.confirmTimeout,
    persist: plan.persist,
    persistId: plan.persistId,
    readBack: plan.diff,
    onCleanupError: (step, err) => log(`${step} after a failed transaction: ${err.message}`),
  });
  if (result.before && result.after) {
    const { changed, diff } = await messageDiff(result.before, result.after, yang?.schema, plan.ignore);
    msg.changed = changed;
    msg.diff = diff;
  }
  return result.reply;
}

async function runCheck(
  manager: Manager,
  plan: Plan,
  yang: YangState | undefined,
  msg: NodeMessage,
  log: (m: string) => void,
): Promise<RpcReply> {
  const { target: _t, ...edit } = plan.edit;
  const result = await checkTransaction(manager, plan.config, {
    ...edit,
    ...plan.lock,
    onCleanupError: (step, err) => log(`${step} after a failed check: ${err.message}`),
  });
  if (result.running && result.candidate) {
    const { changed, diff } = await messageDiff(result.running, result.candidate, yang?.schema, plan.ignore);
    msg.changed = changed;
    msg.diff = { ...diff, mode: result.mode };
  } else {
    delete msg.changed;
    msg.diff = { mode: result.mode, warnings: [TEST_ONLY_NOTE] };
  }
  return result.reply;
}

interface Outcome {
  reply: RpcReply;
  persistId?: string;
}

/** A plain edit: prepared at once for a fixed datastore, else to the datastore `auto` picks. */
function runPlain(manager: Manager, plan: Plan, op: PreparedRpc | undefined): Promise<RpcReply> {
  if (op) return manager.execute(op);
  return manager.editConfig(plan.config, { ...plan.edit, target: resolveTarget(manager, 'auto') });
}

/**
 * A confirmed transaction is persistent where the device allows it (see shared/pending-commit.ts);
 * a node that makes confirmed commits shows the pending one's countdown.
 */
function pendingFor(
  RED: NodeAPI,
  def: EditConfigDef,
  node: Node,
): { pending?: PendingCommits; overlay?: StatusOverlay } {
  const deviceNode = RED.nodes.getNode(def.device ?? '');
  if (!tracksPendingCommits(deviceNode)) return {};
  const pending = pendingCommitsOf(deviceNode, node);
  return { pending, overlay: flag(def.transaction) && flag(def.confirmed) ? pendingOverlay(RED, pending) : undefined };
}

/** Runs a transaction; a confirmed one with the pending commit's persist/persist-id, then recorded. */
async function withPendingCommit(
  pending: PendingCommits | undefined,
  manager: Manager,
  plan: Plan,
  run: (plan: Plan) => Promise<RpcReply>,
): Promise<Outcome> {
  if (!plan.confirmed || !pending) return { reply: await run(plan) };
  const args = pending.confirmedArgs(manager, {});
  const reply = await run({ ...plan, ...args });
  return { reply, persistId: pending.recordConfirmed(manager, args, plan.confirmTimeout) };
}

export = function register(RED: NodeAPI): void {
  function NetconfEditConfigNode(this: Node, def: EditConfigDef): void {
    RED.nodes.createNode(this, def);
    // The reply is <ok/> (or an error): there is nothing to type, so no RFC 7951 choice here.
    const format = plainFormat(def.output);
    const isTransaction = flag(def.transaction);
    const log = (m: string): void => this.warn(m);
    const { pending, overlay } = pendingFor(RED, def, this);

    const prepare = (msg: NodeMessage): PreparedOperation => {
      const config = xmlOrObject(msg.payload, 'msg.payload (the configuration)');
      const checkOverride = overrides(msg).check;
      const check = checkOverride === undefined ? flag(def.check) : flag(checkOverride);
      const mode = check ? 'check' : isTransaction ? 'transaction' : 'plain';
      const txTarget =
        mode === 'transaction'
          ? choice(stringSetting(msg, 'target', def.transactionTarget ?? 'candidate'), TX_TARGETS, 'target')
          : undefined;
      const plainTarget = stringSetting(msg, 'target', def.target) ?? 'running';
      const plan: Plan = {
        config,
        edit: {
          target: mode === 'plain' && plainTarget !== 'auto' ? plainTarget : undefined,
          defaultOperation: stringSetting(msg, 'defaultOperation', def.defaultOperation),
          testOption: stringSetting(msg, 'testOption', def.testOption),
          errorOption: stringSetting(msg, 'errorOption', def.errorOption),
        },
        lock: lockOptions(msg, def),
        confirmed: mode === 'transaction' && flag(def.confirmed),
        diff: def.diff === undefined || flag(def.diff),
        ignore: ignoreList(def.ignore),
      };
      if (plan.confirmed) plan.confirmTimeout = numberSetting(msg, 'confirmTimeout', def.confirmTimeout);
      const operation =
        mode === 'check' ? 'edit-config-check' : mode === 'transaction' ? 'edit-config-transaction' : 'edit-config';
      // Plain edits to a fixed datastore are checked here, once (an RFC 7951 config when the Manager
      // converts it with the device's YANG); the others build their steps per device (target
      // auto, test-option), so they are checked here only when the message is to wait for a session.
      const fixed = mode === 'plain' && plan.edit.target !== undefined;
      const op = fixed ? prepareEditConfig(config, plan.edit) : undefined;
      const json = op ? op.rfc7951Input !== undefined : isRfc7951(config);
      return {
        operation,
        check: () => {
          if (op) return;
          prepareEditConfig(config, { ...plan.edit, target: plan.edit.target ?? 'running' });
          if (plan.confirmed) prepareCommit({ confirmed: true, confirmTimeout: plan.confirmTimeout });
        },
        // The diff is YANG-aware with the device's schema (plain, with a warning, without it).
        needsYang: mode === 'check' || (mode === 'transaction' && plan.diff),
        rfc7951Input: json ? 'msg.payload (the configuration)' : undefined,
        execute: async (manager, yang) => {
          const tx = (p: Plan): Promise<RpcReply> =>
            runTransaction(manager, p, txTarget ?? 'candidate', yang, msg, log);
          let outcome: Outcome;
          if (mode === 'check') outcome = { reply: await runCheck(manager, plan, yang, msg, log) };
          else if (mode === 'transaction') outcome = await withPendingCommit(pending, manager, plan, tx);
          else outcome = { reply: await runPlain(manager, plan, op) };
          return { operation, ...outcome, payload: await replyPayload(outcome.reply, format) };
        },
      };
    };
    setupOperationNode(RED, this, def, operation(def), prepare, overlay);
  }
  RED.nodes.registerType('netconf-edit-config', NetconfEditConfigNode);
};

function operation(def: EditConfigDef): string {
  if (flag(def.check)) return 'edit-config-check';
  return flag(def.transaction) ? 'edit-config-transaction' : 'edit-config';
}
