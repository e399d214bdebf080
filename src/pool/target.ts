/** A device the pool opens sessions to, and the key that makes "one session per device" precise. */

export interface PoolTarget {
  host: string;
  /** Default 830 (NETCONF over SSH). */
  port?: number;
  /** A display name for logs and events; not part of the key. */
  name?: string;
  /** The device's host key fingerprint(s), `SHA256:...`, passed to the factory. */
  hostFingerprint?: string | string[];
  /** Overrides the factory's shared username; part of the key (another user is another session). */
  username?: string;
}

export const DEFAULT_NETCONF_PORT = 830;

/**
 * `user@host:port`. The user is part of the key because NETCONF authorization (NACM) and locks
 * belong to a session of one user: two users of a device need two sessions. An IPv6 literal is
 * bracketed so the port stays unambiguous.
 */
export function targetKey(target: PoolTarget, defaultUser = 'netconf'): string {
  const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
  return `${target.username ?? defaultUser}@${host}:${target.port ?? DEFAULT_NETCONF_PORT}`;
}
