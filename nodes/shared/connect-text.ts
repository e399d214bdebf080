/**
 * Connect errors in the words of the device dialog: the library's messages name its options
 * (hostFingerprint, verifyHostKey), which a Node-RED user never sees; the dialog says "Host key"
 * and "Verify the host key".
 */
import { ConnectError } from '../../src/index';
import type { NodeAPI } from './red-types';

export interface HostKeySettings {
  hostFingerprint?: string;
}

export function describeConnectError(RED: Pick<NodeAPI, '_'>, err: Error, s: HostKeySettings): string {
  if (!(err instanceof ConnectError) || err.reason !== 'host-key' || !err.fingerprint) return err.message;
  const key = s.hostFingerprint ? 'netconf-device.errors.host-key-mismatch' : 'netconf-device.errors.host-key-unpinned';
  return RED._(key, { presented: err.fingerprint, pinned: s.hostFingerprint ?? '' });
}
