/** netconf-commit: commit, confirmed commit, confirming commit, cancel-commit, discard-changes, validate. */
import {
  InvalidInputError,
  prepareCancelCommit,
  prepareCommit,
  prepareDiscardChanges,
  prepareValidate,
  type Manager,
  type PreparedRpc,
  type RpcReply,
} from '../src/index';
import { numberSetting, plainFormat, replyPayload, stringSetting } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import { pendingCommitsOf, pendingOverlay, tracksPendingCommits, type PendingCommits } from './shared/pending-commit';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface CommitDef extends OperationDef {
  operation?: string;
  confirmTimeout?: string | number;
  persist?: string;
  persistId?: string;
  source?: string;
  output?: string;
}

const OPERATIONS = ['commit', 'confirm', 'confirmed-commit', 'cancel-commit', 'discard-changes', 'validate'] as const;
type CommitOperation = (typeof OPERATIONS)[number];

interface CommitSettings {
  confirmTimeout?: number;
  persist?: string;
  persistId?: string;
  source: string;
}

/** The operation, checked once here: bad values fail before the message waits for a session. */
function prepareOperation(operation: CommitOperation, s: CommitSettings): PreparedRpc {
  switch (operation) {
    case 'commit':
    case 'confirm':
      // With a persist-id this is the confirming commit of a persistent confirmed commit.
      return prepareCommit({ persistId: s.persistId });
    case 'confirmed-commit':
      return prepareCommit({
        confirmed: true,
        confirmTimeout: s.confirmTimeout,
        persist: s.persist,
        persistId: s.persistId,
      });
    case 'cancel-commit':
      return prepareCancelCommit({ persistId: s.persistId });
    case 'discard-changes':
      return prepareDiscardChanges();
    case 'validate':
      return prepareValidate(s.source);
  }
}

interface CommitOutcome {
  reply: RpcReply;
  persistId?: string;
}

/**
 * A confirmed commit: persistent under a generated persist-id where the device allows it (so a
 * redeploy or a lost session does not roll it back), recorded for the nodes that confirm it.
 */
async function confirmedCommit(manager: Manager, s: CommitSettings, pending: PendingCommits): Promise<CommitOutcome> {
  const args = pending.confirmedArgs(manager, { persist: s.persist, persistId: s.persistId });
  const op = prepareCommit({ confirmed: true, confirmTimeout: s.confirmTimeout, ...args });
  const reply = await manager.execute(op);
  return { reply, persistId: pending.recordConfirmed(manager, args, s.confirmTimeout) };
}

/** Confirming commit or cancel-commit, with the pending commit's persist-id; settles the record. */
async function settle(
  pending: PendingCommits,
  persistId: string | undefined,
  call: (persistId: string | undefined) => Promise<RpcReply>,
): Promise<CommitOutcome> {
  try {
    const reply = await call(persistId);
    pending.settle();
    return { reply, persistId };
  } catch (err) {
    pending.settle(err);
    throw err;
  }
}

/**
 * Runs the operation. With `pending` (a single device) confirmed commits are tracked (see
 * shared/pending-commit.ts); without it (fleet mode: one record cannot stand for many devices)
 * the prepared operation is sent as the settings give it.
 */
function run(
  manager: Manager,
  operation: CommitOperation,
  s: CommitSettings,
  op: PreparedRpc,
  pending: PendingCommits | undefined,
): Promise<CommitOutcome> {
  if (operation === 'discard-changes' || operation === 'validate')
    return manager.execute(op).then((reply) => ({ reply }));
  if (!pending) return manager.execute(op).then((reply) => ({ reply, persistId: s.persist ?? s.persistId }));
  switch (operation) {
    case 'commit':
    case 'confirm': {
      // "confirm" insists on a pending confirmed commit; "commit" confirms one if there is one.
      const id = pending.confirmingId(manager, s.persistId, operation === 'confirm', operation);
      return settle(pending, id, (persistId) => manager.execute(prepareCommit({ persistId })));
    }
    case 'confirmed-commit':
      return confirmedCommit(manager, s, pending);
    case 'cancel-commit': {
      const id = pending.confirmingId(manager, s.persistId, false, operation);
      return settle(pending, id, (persistId) => manager.execute(prepareCancelCommit({ persistId })));
    }
  }
}
export = function register(RED: NodeAPI): void {
  function NetconfCommitNode(this: Node, def: CommitDef): void {
    RED.nodes.createNode(this, def);
    const operation: CommitOperation = (OPERATIONS as readonly string[]).includes(def.operation ?? '')
      ? (def.operation as CommitOperation)
      : 'commit';
    const format = plainFormat(def.output);
    const deviceNode = RED.nodes.getNode(def.device ?? '');
    const pending = tracksPendingCommits(deviceNode) ? pendingCommitsOf(deviceNode, this) : undefined;
    const prepare = (msg: NodeMessage): PreparedOperation => {
      const settings: CommitSettings = {
        confirmTimeout:
          operation === 'confirmed-commit' ? numberSetting(msg, 'confirmTimeout', def.confirmTimeout) : undefined,
        persist: operation === 'confirmed-commit' ? stringSetting(msg, 'persist', def.persist) : undefined,
        persistId: stringSetting(msg, 'persistId', def.persistId),
        source: stringSetting(msg, 'source', def.source) ?? 'candidate',
      };
      const op = prepareOperation(operation, settings);
      if (!pending && operation === 'confirm' && settings.persistId === undefined)
        throw new InvalidInputError(
          'confirm: in fleet mode give the persist-id of the confirmed commit (msg.netconf.persistId or the Persist-id setting)',
        );
      return {
        operation,
        execute: async (manager) => {
          const { reply, persistId } = await run(manager, operation, settings, op, pending);
          return { operation, reply, payload: await replyPayload(reply, format), persistId };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare, pending && pendingOverlay(RED, pending));
  }
  RED.nodes.registerType('netconf-commit', NetconfCommitNode);
};
