/**
 * The first-RPC nudge's request (see SessionOptions.firstRpcNudge): a harmless get-config of
 * nothing, whose reply the session drops.
 */
import { NS_BASE } from '../namespaces';

/** Namespace of the no-op filter of the first-RPC nudge: matches nothing on any device. */
const NUDGE_NS = 'urn:x-node-red-contrib-netconf:no-op';

/** The harmless request of the first-RPC nudge: a get-config of nothing. */
export function nudgeRpc(id: string): string {
  const filter = `<filter type="subtree"><nudge xmlns="${NUDGE_NS}"/></filter>`;
  return `<rpc xmlns="${NS_BASE}" message-id="${id}"><get-config><source><running/></source>${filter}</get-config></rpc>`;
}
