/** netconf-commit: commit, confirmed commit, confirming commit, cancel-commit, discard-changes, validate. */
import {
  prepareCancelCommit,
  prepareCommit,
  prepareDiscardChanges,
  prepareValidate,
  type PreparedRpc,
} from '../src/index';
import { numberSetting, plainFormat, replyPayload, stringSetting } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface CommitDef extends OperationDef {
  operation?: string;
  confirmTimeout?: string | number;
  persist?: string;
  persistId?: string;
  source?: string;
  output?: string;
}

const OPERATIONS = ['commit', 'confirmed-commit', 'cancel-commit', 'discard-changes', 'validate'] as const;
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

export = function register(RED: NodeAPI): void {
  function NetconfCommitNode(this: Node, def: CommitDef): void {
    RED.nodes.createNode(this, def);
    const operation: CommitOperation = (OPERATIONS as readonly string[]).includes(def.operation ?? '')
      ? (def.operation as CommitOperation)
      : 'commit';
    const format = plainFormat(def.output);
    const prepare = (msg: NodeMessage): PreparedOperation => {
      const settings: CommitSettings = {
        confirmTimeout:
          operation === 'confirmed-commit' ? numberSetting(msg, 'confirmTimeout', def.confirmTimeout) : undefined,
        persist: operation === 'confirmed-commit' ? stringSetting(msg, 'persist', def.persist) : undefined,
        persistId: stringSetting(msg, 'persistId', def.persistId),
        source: stringSetting(msg, 'source', def.source) ?? 'candidate',
      };
      const op = prepareOperation(operation, settings);
      return {
        operation,
        execute: async (manager) => {
          const reply = await manager.execute(op);
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-commit', NetconfCommitNode);
};
