/** netconf-lock: <lock> or <unlock> a datastore. */
import { lockRpc } from '../src/operations/rpc';
import { plainFormat, replyPayload, stringSetting } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface LockDef extends OperationDef {
  operation?: string;
  target?: string;
  output?: string;
}

export = function register(RED: NodeAPI): void {
  function NetconfLockNode(this: Node, def: LockDef): void {
    RED.nodes.createNode(this, def);
    const operation = def.operation === 'unlock' ? 'unlock' : 'lock';
    const format = plainFormat(def.output);
    const prepare = (msg: NodeMessage): PreparedOperation => {
      const target = stringSetting(msg, 'target', def.target) ?? 'running';
      return {
        operation,
        check: () => void lockRpc(target),
        execute: async (manager) => {
          const reply = operation === 'lock' ? await manager.lock(target) : await manager.unlock(target);
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-lock', NetconfLockNode);
};
