/** netconf-rpc: any RPC, from the node's XML template or msg.payload (XML or an object). */
import { customRpc } from '../src/operations/rpc';
import { outputFormat, replyPayload, xmlOrObject } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface RpcDef extends OperationDef {
  rpc?: string;
  output?: string;
}

/** The operation's element name, for msg.netconf.operation (`<get-schema xmlns=...>` -> get-schema). */
function operationName(rpc: unknown): string {
  if (typeof rpc === 'string') {
    const match = /^\s*(?:<\?xml[^>]*\?>\s*)?<(?:[\w.-]+:)?([\w.-]+)/.exec(rpc);
    return match ? match[1] : 'rpc';
  }
  if (typeof rpc === 'object' && rpc !== null) return Object.keys(rpc).find((k) => !k.startsWith('@')) ?? 'rpc';
  return 'rpc';
}

export = function register(RED: NodeAPI): void {
  function NetconfRpcNode(this: Node, def: RpcDef): void {
    RED.nodes.createNode(this, def);
    const format = outputFormat(def.output);
    const template = def.rpc?.trim() ? def.rpc : undefined;
    const prepare = async (msg: NodeMessage): Promise<PreparedOperation> => {
      const rpc = template ?? xmlOrObject(msg.payload, 'msg.payload (the RPC)');
      const operation = operationName(rpc);
      return {
        operation,
        check: () => void customRpc(rpc),
        execute: async (manager) => {
          const reply = await manager.dispatch(rpc);
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, this, def, 'rpc', prepare);
  }
  RED.nodes.registerType('netconf-rpc', NetconfRpcNode);
};
