/** netconf-commit: commit, confirmed commit, confirming commit, cancel-commit, discard-changes, validate. */
import type { Manager, RpcReply } from '../src/index';
import { cancelCommitRpc, commitRpc, validateRpc } from '../src/operations/rpc';
import { numberSetting, plainFormat, replyPayload, stringSetting } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import { pendingCommitsOf, pendingOverlay, type PendingCommits } from './shared/pending-commit';
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

/** Builds the RPC once without sending it, so bad values fail before the message waits for a session. */
function check(operation: CommitOperation, s: CommitSettings): void {
  if (operation === 'commit' || operation === 'confirm') commitRpc({ persistId: s.persistId });
  else if (operation === 'confirmed-commit')
    commitRpc({ confirmed: true, confirmTimeout: s.confirmTimeout, persist: s.persist, persistId: s.persistId });
  else if (operation === 'cancel-commit') cancelCommitRpc(s.persistId);
  else if (operation === 'validate') validateRpc(s.source);
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
  const reply = await manager.commit({ confirmed: true, confirmTimeout: s.confirmTimeout, ...args });
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

function run(
  manager: Manager,
  operation: CommitOperation,
  s: CommitSettings,
  pending: PendingCommits,
): Promise<CommitOutcome> {
  switch (operation) {
    case 'commit':
    case 'confirm': {
      // "confirm" insists on a pending confirmed commit; "commit" confirms one if there is one.
      const id = pending.confirmingId(manager, s.persistId, operation === 'confirm', operation);
      return settle(pending, id, (persistId) => manager.commit({ persistId }));
    }
    case 'confirmed-commit':
      return confirmedCommit(manager, s, pending);
    case 'cancel-commit': {
      const id = pending.confirmingId(manager, s.persistId, false, operation);
      return settle(pending, id, (persistId) => manager.cancelCommit({ persistId }));
    }
    case 'discard-changes':
      return manager.discardChanges().then((reply) => ({ reply }));
    case 'validate':
      return manager.validate(s.source).then((reply) => ({ reply }));
  }
}

export = function register(RED: NodeAPI): void {
  function NetconfCommitNode(this: Node, def: CommitDef): void {
    RED.nodes.createNode(this, def);
    const operation: CommitOperation = (OPERATIONS as readonly string[]).includes(def.operation ?? '')
      ? (def.operation as CommitOperation)
      : 'commit';
    const format = plainFormat(def.output);
    const pending = pendingCommitsOf(RED.nodes.getNode(def.device ?? ''), this);
    const prepare = (msg: NodeMessage): PreparedOperation => {
      const settings: CommitSettings = {
        confirmTimeout:
          operation === 'confirmed-commit' ? numberSetting(msg, 'confirmTimeout', def.confirmTimeout) : undefined,
        persist: operation === 'confirmed-commit' ? stringSetting(msg, 'persist', def.persist) : undefined,
        persistId: stringSetting(msg, 'persistId', def.persistId),
        source: stringSetting(msg, 'source', def.source) ?? 'candidate',
      };
      return {
        operation,
        check: () => check(operation, settings),
        execute: async (manager) => {
          const { reply, persistId } = await run(manager, operation, settings, pending);
          return { operation, reply, payload: await replyPayload(reply, format), persistId };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare, pendingOverlay(RED, pending));
  }
  RED.nodes.registerType('netconf-commit', NetconfCommitNode);
};
