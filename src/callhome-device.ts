/** A device registered with a CallhomeManager: what it needs once its identity is known. */
import type { SshOptions } from './connect';
import type { KeepaliveOptions } from './session/keepalive';
import type { Session, SessionOptions } from './session/session';

export interface CallhomeDevice {
  /** SSH only: this device's credentials (username, password, privateKey, ...). */
  sshOptions?: SshOptions;
  /**
   * This device's session settings (NETCONF alive, hello and close timeouts), over the listener's.
   * The SSH or TLS connection (its keepalive, its handshake timeout) stays the listener's: it is set
   * up before the device is known.
   */
  sessionOptions?: SessionOptions & KeepaliveOptions;
  /** A new session with the device; an older one of the same device has been closed. */
  onSession(session: Session): void;
  /** The device was recognised but the session could not be set up (e.g. authentication failed). */
  onError?(err: Error): void;
}

/** The listener's options with the device's own session settings (those it sets) over them. */
export function withDevice<O extends SessionOptions & KeepaliveOptions>(
  options: O,
  device: CallhomeDevice | undefined,
): O {
  const own = Object.entries(device?.sessionOptions ?? {}).filter(([, value]) => value !== undefined);
  return { ...options, ...Object.fromEntries(own) };
}
