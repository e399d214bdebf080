/** netconf-get: <get> (state and configuration) or <get-config> (one datastore). */
import { isRfc7951, type WithDefaults } from '../src/index';
import { getConfigRpc, getRpc } from '../src/operations/rpc';
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
      // An RFC 7951 filter ({"ietf-interfaces:interfaces": {}}) becomes XML through the device's YANG.
      const jsonFilter = isRfc7951(filter);
      return {
        operation,
        // The library checks an RFC 7951 filter when it converts it (that needs the session).
        check: () =>
          void (
            jsonFilter ||
            (operation === 'get' ? getRpc(filter, withDefaults) : getConfigRpc(source, filter, withDefaults))
          ),
        needsYang: format === 'json',
        rfc7951Input: jsonFilter ? 'the filter' : undefined,
        execute: async (manager, yang) => {
          const reply =
            operation === 'get'
              ? await manager.get({ filter, withDefaults })
              : await manager.getConfig({ source, filter, withDefaults });
          const { payload, warnings } = await formatReply(reply, format, yang, undefined, manager);
          return { operation, reply, payload, warnings };
        },
      };
    };
    setupOperationNode(RED, this, def, operation, prepare);
  }
  RED.nodes.registerType('netconf-get', NetconfGetNode);
};
