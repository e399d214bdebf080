/**
 * netconf-edit-config: <edit-config> with the config from msg.payload (XML, an object or RFC 7951
 * JSON), or a whole candidate transaction (the library's Manager.candidateTransaction): lock,
 * edit, commit (optionally confirmed), unlock, with discard-changes and unlock after any failure.
 */
import {
  isRfc7951,
  prepareCommit,
  prepareEditConfig,
  type EditConfigOptions,
  type JsonObject,
  type Manager,
  type RpcReply,
  type XmlObject,
} from '../src/index';
import { numberSetting, plainFormat, replyPayload, stringSetting, xmlOrObject } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
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
      // Checked here, once (an RFC 7951 config when the Manager converts it with the device's YANG).
      // The transaction builds its own steps (its test-option depends on the device): checked
      // here only when the message is to wait for a session.
      const op = isTransaction ? undefined : prepareEditConfig(config, options);
      const check = (): void => {
        prepareEditConfig(config, options);
        prepareCommit(commit);
      };
      return {
        operation,
        check: isTransaction ? check : undefined,
        rfc7951Input: (op ? op.rfc7951Input : isRfc7951(config)) ? 'msg.payload (the configuration)' : undefined,
        execute: async (manager) => {
          const reply = op
            ? await manager.execute(op)
            : await transaction(manager, config, options, commit, (m) => this.warn(m));
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-edit-config', NetconfEditConfigNode);
};
