/** netconf-lock: <lock> or <unlock> a datastore. */
import { prepareLock, prepareUnlock } from '../src/index';
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
      const op = operation === 'lock' ? prepareLock(target) : prepareUnlock(target);
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
  RED.nodes.registerType('netconf-lock', NetconfLockNode);
};
