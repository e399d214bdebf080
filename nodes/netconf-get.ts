/** netconf-get: <get> (state and configuration) or <get-config> (one datastore). */
import type { WithDefaults } from '../src/index';
import { getConfigRpc, getRpc } from '../src/operations/rpc';
import { normaliseFilter, resolveFilter } from './shared/filter';
import { outputFormat, overrides, replyPayload, stringSetting } from './shared/message';
import { setupOperationNode, type OperationDef, type PreparedOperation } from './shared/operation';
import type { Node, NodeAPI, NodeMessage } from './shared/red-types';

interface GetDef extends OperationDef {
  operation?: string;
  source?: string;
  filter?: string;
  filterType?: string;
  namespaces?: string;
  withDefaults?: string;
  output?: string;
}

export = function register(RED: NodeAPI): void {
  function NetconfGetNode(this: Node, def: GetDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const operation = def.operation === 'get' ? 'get' : 'get-config';
    const format = outputFormat(def.output);

    const prepare = async (msg: NodeMessage): Promise<PreparedOperation> => {
      const override = overrides(msg).filter;
      const filter = override !== undefined ? normaliseFilter(override) : await resolveFilter(RED, node, msg, def);
      // The library checks the value against the RFC 6243 modes before sending.
      const withDefaults = stringSetting(msg, 'withDefaults', def.withDefaults) as WithDefaults | undefined;
      const source = stringSetting(msg, 'source', def.source) ?? 'running';
      return {
        operation,
        check: () => void (operation === 'get' ? getRpc(filter, withDefaults) : getConfigRpc(source, filter, withDefaults)),
        execute: async (manager) => {
          const reply = operation === 'get' ? await manager.get({ filter, withDefaults }) : await manager.getConfig({ source, filter, withDefaults });
          return { operation, reply, payload: await replyPayload(reply, format) };
        },
      };
    };
    setupOperationNode(RED, node, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-get', NetconfGetNode);
};
