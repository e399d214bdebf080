/** Reads an RPC's <filter> (subtree or XPath) and recognises the big-reply trigger. */
import type { XmlElement } from '../src/xml/element';
import { NS_SIM } from './demo-model';
import { invalidValue, rpcError } from './rpc-error';
import type { FilterNodeLike } from './subtree-filter';
import { compileXpath } from './xpath-filter';

export type FilterSpec =
  | { kind: 'none' }
  | { kind: 'nodes'; nodes: readonly FilterNodeLike[] }
  /** `<reply-size xmlns="urn:example:simulator" bytes="N"/>`: a reply of N bytes. */
  | { kind: 'big'; bytes: number };

/** The largest reply-size accepted (the framing decoder's default message limit is 512 MiB). */
export const MAX_BIG_REPLY = 2 * 1024 * 1024 * 1024;

export function readFilter(filter: XmlElement | undefined): FilterSpec {
  if (!filter) return { kind: 'none' };
  const type = filter.attributeList.find((a) => a.local === 'type')?.value ?? 'subtree';
  if (type === 'xpath') {
    const select = filter.attributeList.find((a) => a.local === 'select')?.value;
    if (select === undefined) {
      throw rpcError('missing-attribute', 'an XPath filter needs a select attribute', {
        type: 'protocol',
        info: { 'bad-attribute': 'select', 'bad-element': 'filter' },
      });
    }
    return { kind: 'nodes', nodes: compileXpath(select, filter.scope) };
  }
  if (type !== 'subtree') {
    throw rpcError('bad-attribute', `unknown filter type "${type}"`, {
      type: 'protocol',
      info: { 'bad-attribute': 'type', 'bad-element': 'filter' },
    });
  }
  const big = filter.children.find(
    (c) => c.local === 'reply-size' && c.ns === NS_SIM && c.attributes.bytes !== undefined,
  );
  if (big) {
    const bytes = Number(big.attributes.bytes);
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_BIG_REPLY) {
      throw invalidValue(`reply-size bytes must be an integer from 0 to ${MAX_BIG_REPLY}`, 'reply-size');
    }
    return { kind: 'big', bytes };
  }
  return { kind: 'nodes', nodes: filter.children };
}
