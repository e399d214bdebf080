/** netconf-rpc: any RPC, from the node's XML template or msg.payload (XML, an object or RFC 7951 JSON). */
import { namespaces, prepareDispatch, type RpcReply } from '../src/index';
import { formatReply, outputFormat, xmlOrObject } from './shared/message';
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
  if (typeof rpc === 'object' && rpc !== null) {
    const key = Object.keys(rpc).find((k) => !k.startsWith('@')) ?? 'rpc';
    // RFC 7951: "ietf-netconf-monitoring:get-schema" -> get-schema.
    return key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
  }
  return 'rpc';
}

/**
 * RFC 6022 get-schema's answer as the schema text itself (the YANG module, a string), rather than
 * `{ data: { '#text': ... } }`; undefined when the reply has no `<data>`.
 */
function schemaText(reply: RpcReply): string | undefined {
  const data = reply.element.children.find((c) => c.local === 'data' && c.ns === namespaces.NS_MONITORING);
  return data?.text;
}

export = function register(RED: NodeAPI): void {
  function NetconfRpcNode(this: Node, def: RpcDef): void {
    RED.nodes.createNode(this, def);
    const format = outputFormat(def.output);
    const template = def.rpc?.trim() ? def.rpc : undefined;
    const prepare = (msg: NodeMessage): PreparedOperation => {
      const rpc = template ?? xmlOrObject(msg.payload, 'msg.payload (the RPC)');
      const operation = operationName(rpc);
      const op = prepareDispatch(rpc);
      return {
        operation,
        needsYang: format === 'json',
        rfc7951Input: op.rfc7951Input ? 'msg.payload (the RPC)' : undefined,
        execute: async (manager, yang) => {
          const reply = await manager.execute(op);
          // The plain object of get-schema's text-only <data> is that text (RFC 7951 keeps RESTCONF's shape).
          const schema = operation === 'get-schema' && format === 'object' ? schemaText(reply) : undefined;
          if (schema !== undefined) return { operation, reply, payload: schema };
          const { payload, warnings } = await formatReply(reply, format, yang, rpc, manager);
          return { operation, reply, payload, warnings };
        },
      };
    };
    setupOperationNode(RED, this, def, 'rpc', prepare);
  }
  RED.nodes.registerType('netconf-rpc', NetconfRpcNode);
};
