/** netconf-get: <get> (state and configuration) or <get-config> (one datastore). */
import { prepareGet, prepareGetConfig, type WithDefaults } from '../src/index';
import { normaliseFilter, resolveFilter } from './shared/filter';
import { formatReply, outputFormat, overrides, stringSetting } from './shared/message';
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
    const operation = def.operation === 'get' ? 'get' : 'get-config';
    const format = outputFormat(def.output);

    const prepare = async (msg: NodeMessage): Promise<PreparedOperation> => {
      const override = overrides(msg).filter;
      const filter = override !== undefined ? normaliseFilter(override) : await resolveFilter(RED, this, msg, def);
      // The library checks the value against the RFC 6243 modes before sending.
      const withDefaults = stringSetting(msg, 'withDefaults', def.withDefaults) as WithDefaults | undefined;
      const source = stringSetting(msg, 'source', def.source) ?? 'running';
      // Checked here, once; an RFC 7951 filter ({"ietf-interfaces:interfaces": {}}) becomes XML
      // through the device's YANG when the Manager executes it.
      const op =
        operation === 'get' ? prepareGet({ filter, withDefaults }) : prepareGetConfig({ source, filter, withDefaults });
      return {
        operation,
        needsYang: format === 'json',
        rfc7951Input: op.rfc7951Input ? 'the filter' : undefined,
        execute: async (manager, yang) => {
          const reply = await manager.execute(op);
          const { payload, warnings } = await formatReply(reply, format, yang, undefined, manager);
          return { operation, reply, payload, warnings };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-get', NetconfGetNode);
};
