/**
 * Node status badges for the session state, the same on every node that uses a device. The texts
 * come from the message catalogs (RED._), as in Node-RED's core nodes: core keys where Node-RED
 * has them ("node-red:common.status.connecting"), else the `netconf.status` keys that every
 * node's catalog carries (RED._ looks up the calling node's own catalog).
 */
import type { PoolCounts } from '../../src/index';
import type { ConnectionStatus } from './connection';
import type { NodeAPI, NodeStatus } from './red-types';

/** The translation function of the calling node (each node's RED._ reads its own catalog). */
type Translate = Pick<NodeAPI, '_'>;

/** Status text is shown under the node: keep it short (Node-RED suggests < 20 characters). */
const MAX_TEXT = 40;

export function shorten(text: string, max = MAX_TEXT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Room for a connection failure's reason, which is what the user must act on. */
const MAX_REASON = 60;

/**
 * A connect error as status text: without the "TLS to host:port: " prefix (the node's device is
 * known) and, when too long, without the parenthesised detail, so the cause itself shows.
 */
export function reasonText(reason: string): string {
  let text = reason
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(TLS|SSH) to \S+: /, '');
  if (text.length > MAX_REASON) text = text.replace(/ \(.*$/, '').replace(/;.*$/, '');
  return shorten(text, MAX_REASON);
}

function connectedText(RED: Translate, status: ConnectionStatus): string {
  const text =
    status.sessionId !== undefined
      ? RED._('netconf.status.session', { session: status.sessionId })
      : RED._('node-red:common.status.connected');
  // Once the device's YANG is loaded (for RFC 7951 JSON), how many modules its schema has.
  if (status.yangModules === undefined) return text;
  return RED._('netconf.status.with-yang', { status: text, modules: status.yangModules });
}

export function connectionBadge(RED: Translate, status: ConnectionStatus): NodeStatus {
  switch (status.state) {
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: status.detail ?? RED._('node-red:common.status.connecting') };
    case 'connected':
      return { fill: 'green', shape: 'dot', text: connectedText(RED, status) };
    case 'disconnected':
      // The reason is the library's error message, what the user must act on.
      return {
        fill: 'red',
        shape: 'ring',
        text: status.reason ? reasonText(status.reason) : RED._('node-red:common.status.disconnected'),
      };
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: RED._('netconf.status.closed') };
    default:
      return {};
  }
}

export function missingDevice(RED: Translate): NodeStatus {
  return { fill: 'red', shape: 'ring', text: RED._('netconf.status.no-device') };
}

/** A node on a fleet device: the pool's counts, e.g. `fleet: 41 open, 2 connecting, 1 failing`. */
export function fleetBadge(RED: Translate, counts: PoolCounts): NodeStatus {
  // idle sessions are open sessions nobody uses right now: the badge counts them as open
  const open = counts.open + counts.idle;
  const text = RED._('netconf.status.fleet', { open, connecting: counts.connecting, failing: counts.failing });
  const fill = counts.failing > 0 ? 'red' : counts.connecting > 0 || counts.queued > 0 ? 'yellow' : 'green';
  return { fill, shape: open > 0 ? 'dot' : 'ring', text };
}
