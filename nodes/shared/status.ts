/** Node status badges for the session state, the same on every node that uses a device. */
import type { ConnectionStatus } from './connection';
import type { NodeStatus } from './red-types';

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

export function connectionBadge(status: ConnectionStatus): NodeStatus {
  switch (status.state) {
    case 'connecting':
      return { fill: 'yellow', shape: 'ring', text: status.detail ?? 'connecting' };
    case 'connected': {
      const text = status.sessionId !== undefined ? `session ${status.sessionId}` : 'connected';
      // Once the device's YANG is loaded (for RFC 7951 JSON), how many modules its schema has.
      return {
        fill: 'green',
        shape: 'dot',
        text: status.yangModules !== undefined ? `${text} · ${status.yangModules} YANG modules` : text,
      };
    }
    case 'disconnected':
      return { fill: 'red', shape: 'ring', text: reasonText(status.reason ?? 'disconnected') };
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: 'closed' };
    default:
      return {};
  }
}

export const missingDevice: NodeStatus = { fill: 'red', shape: 'ring', text: 'no device configured' };
