/** Shared by the RFC 7951 node tests: what msg.netconf holds, running a node. */
import type { NodeMessage } from '../../nodes/shared/red-types';
import { collect, helper, until, type HelperNode } from './helper';

export interface Warning {
  code?: string;
  tag?: string;
  message: string;
}
export interface Meta {
  operation: string;
  warnings: Warning[];
  error?: { code: string; message: string };
}
export const meta = (msg: NodeMessage): Meta => msg.netconf as Meta;

export interface JsonInterfaces {
  'ietf-interfaces:interfaces': {
    interface: { name: string; enabled?: boolean; type?: string; description?: string }[];
  };
}

/** A module the simulator announces but cannot serve, with data in the running config. */
export const NS_WIDGETS = 'urn:example:widgets';
export const WIDGETS_CAPABILITY = `${NS_WIDGETS}?module=example-widgets&revision=2024-01-01`;
export const WIDGETS_CONFIG = `<widgets xmlns="${NS_WIDGETS}"><widget><id>7</id><size>42</size></widget></widgets>`;

/** Sends `input` to node `id`; resolves with what reaches `out` or (with `toCatch`) the Catch node. */
export async function run(id: string, input: NodeMessage = { payload: '' }, toCatch = false): Promise<NodeMessage> {
  const outs = collect(helper.getNode('out') as HelperNode);
  const caught = collect(helper.getNode('caught') as HelperNode);
  const [o, c] = [outs.length, caught.length];
  helper.getNode(id)?.receive(input);
  await until(() => outs.length > o || caught.length > c, 10000, `a reply from ${id}`);
  if (toCatch) {
    if (outs.length > o) throw new Error(`${id} succeeded, expected an error`);
    return caught[c];
  }
  if (caught.length > c) throw new Error(`caught: ${(caught[c].error as { message: string }).message}`);
  return outs[o];
}
