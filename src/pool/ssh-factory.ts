/**
 * The pool's default factory: NETCONF over SSH with options shared by the whole fleet (credentials,
 * timeouts, known_hosts), the target adding host, port, user and its pinned host key.
 */
import { Manager, type ManagerOptions } from '../manager';
import { connectSsh, type SshOptions } from '../connect';
import type { PoolFactory } from './pool';

export function sshPoolFactory(shared: SshOptions = {}, managerOptions: ManagerOptions = {}): PoolFactory<Manager> {
  return async (target, signal) => {
    signal.throwIfAborted();
    const session = await connectSsh({
      ...shared,
      host: target.host,
      port: target.port ?? shared.port,
      username: target.username ?? shared.username,
      hostFingerprint: target.hostFingerprint ?? shared.hostFingerprint,
    });
    if (signal.aborted) {
      // the pool closed while the handshake ran: end the session instead of handing it over
      await session.close();
      signal.throwIfAborted();
    }
    return new Manager(session, { ...managerOptions, logId: managerOptions.logId ?? target.name });
  };
}
