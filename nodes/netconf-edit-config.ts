/**
 * netconf-edit-config: <edit-config> with the config from msg.payload (XML, an object or RFC 7951
 * JSON), or a
 * whole candidate transaction: lock, edit, validate, commit (optionally confirmed), unlock, with
 * discard-changes and unlock after any failure.
 */
import { isRfc7951, type EditConfigOptions, type JsonObject, type Manager, type RpcReply, type XmlObject } from '../src/index';
import { commitRpc, editConfigRpc } from '../src/operations/rpc';
import { toError } from './shared/connection';
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

const VALIDATE_CAPABILITIES = ['urn:ietf:params:netconf:capability:validate:1.1', 'urn:ietf:params:netconf:capability:validate:1.0'];

interface CommitChoice {
  confirmed: boolean;
  confirmTimeout?: number;
}

/**
 * The candidate transaction. The lock keeps other sessions from changing the candidate between
 * our edit and our commit; after a failure the candidate is put back and unlocked, and the
 * original error is what the flow sees.
 *
 * Validation is asked for with test-option test-then-set on the edit (where the device has
 * :validate) and is done again by the commit itself (RFC 6241 8.3.4.1), rather than by a separate
 * <validate>: yuma123 netconfd answers <ok/> to a commit that follows <validate> of the candidate
 * but commits nothing and resets the candidate, which silently lost the user's change.
 */
async function transaction(manager: Manager, config: string | XmlObject | JsonObject, options: EditConfigOptions, commit: CommitChoice, log: (m: string) => void): Promise<RpcReply> {
  await manager.lock('candidate');
  try {
    const canTest = VALIDATE_CAPABILITIES.some((c) => manager.hasCapability(c));
    await manager.editConfig(config, { ...options, target: 'candidate', testOption: options.testOption || (canTest ? 'test-then-set' : undefined) });
    const reply = await manager.commit(commit.confirmed ? { confirmed: true, confirmTimeout: commit.confirmTimeout } : {});
    await manager.unlock('candidate');
    return reply;
  } catch (err) {
    await manager.discardChanges().catch((e: unknown) => log(`discard-changes after a failed transaction: ${toError(e).message}`));
    await manager.unlock('candidate').catch((e: unknown) => log(`unlock after a failed transaction: ${toError(e).message}`));
    throw err;
  }
}

function flag(value: boolean | string | undefined): boolean {
  return value === true || value === 'true';
}

export = function register(RED: NodeAPI): void {
  function NetconfEditConfigNode(this: Node, def: EditConfigDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    // The reply is <ok/> (or an error): there is nothing to type, so no RFC 7951 choice here.
    const format = plainFormat(def.output);
    const isTransaction = flag(def.transaction);
    const operation = isTransaction ? 'edit-config-transaction' : 'edit-config';

    const prepare = async (msg: NodeMessage): Promise<PreparedOperation> => {
      const config = xmlOrObject(msg.payload, 'msg.payload (the configuration)');
      const options: EditConfigOptions = {
        target: isTransaction ? 'candidate' : (stringSetting(msg, 'target', def.target) ?? 'running'),
        defaultOperation: stringSetting(msg, 'defaultOperation', def.defaultOperation),
        testOption: stringSetting(msg, 'testOption', def.testOption),
        errorOption: stringSetting(msg, 'errorOption', def.errorOption),
      };
      const commit: CommitChoice = { confirmed: flag(def.confirmed), confirmTimeout: numberSetting(msg, 'confirmTimeout', def.confirmTimeout) };
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
          const reply = isTransaction
            ? await transaction(manager, config, options, commit, (m) => node.warn(m))
            : await manager.editConfig(config, options);
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, node, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-edit-config', NetconfEditConfigNode);
};
