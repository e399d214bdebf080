/**
 * netconf-edit-config: <edit-config> with the config from msg.payload (XML, an object or RFC 7951
 * JSON), or a whole candidate transaction (the library's Manager.candidateTransaction): lock,
 * edit, commit (optionally confirmed), unlock, with discard-changes and unlock after any failure.
 */
import {
  isRfc7951,
  type EditConfigOptions,
  type JsonObject,
  type Manager,
  type RpcReply,
  type XmlObject,
} from '../src/index';
import { commitRpc, editConfigRpc } from '../src/operations/rpc';
import { numberSetting, plainFormat, replyPayload, stringSetting, xmlOrObject } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import { pendingCommitsOf, pendingOverlay } from './shared/pending-commit';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface EditConfigDef extends OperationDef {
  target?: string;
  defaultOperation?: string;
  testOption?: string;
  errorOption?: string;
  transaction?: boolean | string;
  confirmed?: boolean | string;
  confirmTimeout?: string | number;
  output?: string;
}

interface CommitChoice {
  confirmed: boolean;
  confirmTimeout?: number;
  /** Persistent confirmed commit (issue 15): persist or persist-id, from pending-commit.ts. */
  persist?: string;
  persistId?: string;
}

/** The candidate transaction is the library's (Manager.candidateTransaction). */
function transaction(
  manager: Manager,
  config: string | XmlObject | JsonObject,
  options: EditConfigOptions,
  commit: CommitChoice,
  log: (m: string) => void,
): Promise<RpcReply> {
  const { target: _target, ...edit } = options;
  return manager.candidateTransaction(config, {
    ...edit,
    confirmed: commit.confirmed,
    confirmTimeout: commit.confirmTimeout,
    persist: commit.persist,
    persistId: commit.persistId,
    onCleanupError: (step, err) => log(`${step} after a failed transaction: ${err.message}`),
  });
}

function flag(value: boolean | string | undefined): boolean {
  return value === true || value === 'true';
}

export = function register(RED: NodeAPI): void {
  function NetconfEditConfigNode(this: Node, def: EditConfigDef): void {
    RED.nodes.createNode(this, def);
    // The reply is <ok/> (or an error): there is nothing to type, so no RFC 7951 choice here.
    const format = plainFormat(def.output);
    const isTransaction = flag(def.transaction);
    const operation = isTransaction ? 'edit-config-transaction' : 'edit-config';
    // A confirmed transaction is persistent where the device allows it (see shared/pending-commit.ts).
    const pending = pendingCommitsOf(RED.nodes.getNode(def.device ?? ''), this);

    const prepare = (msg: NodeMessage): PreparedOperation => {
      const config = xmlOrObject(msg.payload, 'msg.payload (the configuration)');
      const options: EditConfigOptions = {
        target: isTransaction ? 'candidate' : (stringSetting(msg, 'target', def.target) ?? 'running'),
        defaultOperation: stringSetting(msg, 'defaultOperation', def.defaultOperation),
        testOption: stringSetting(msg, 'testOption', def.testOption),
        errorOption: stringSetting(msg, 'errorOption', def.errorOption),
      };
      const commit: CommitChoice = {
        confirmed: flag(def.confirmed),
        confirmTimeout: numberSetting(msg, 'confirmTimeout', def.confirmTimeout),
      };
      if (!commit.confirmed) commit.confirmTimeout = undefined;
      const json = isRfc7951(config);
      return {
        operation,
        check: () => {
          // RFC 7951 configs are checked when the library converts them (that needs the session).
          if (!json) editConfigRpc(config, options);
          if (isTransaction) commitRpc(commit);
        },
        rfc7951Input: json ? 'msg.payload (the configuration)' : undefined,
        execute: async (manager) => {
          if (!isTransaction) {
            const reply = await manager.editConfig(config, options);
            return { operation, reply, payload: await replyPayload(reply, format) };
          }
          const args = commit.confirmed ? pending.confirmedArgs(manager, {}) : {};
          const reply = await transaction(manager, config, options, { ...commit, ...args }, (m) => this.warn(m));
          const persistId = commit.confirmed
            ? pending.recordConfirmed(manager, args, commit.confirmTimeout)
            : undefined;
          return { operation, reply, payload: await replyPayload(reply, format), persistId };
        },
      };
    };
    const overlay = isTransaction && flag(def.confirmed) ? pendingOverlay(RED, pending) : undefined;
    setupOperationNode(RED, this, def, operation, prepare, overlay);
  }
  RED.nodes.registerType('netconf-edit-config', NetconfEditConfigNode);
};
