/**
 * The pool's factory for NETCONF over TLS (RFC 7589): TLS options shared by the fleet (client
 * certificate, CA, timeouts), the target adding host and port. TLS identifies the server by its
 * certificate (the CA), so a target's `hostFingerprint` (an SSH notion) is not used.
 */
import { Manager, type ManagerOptions } from '../manager';
import { connectTls, type TlsOptions } from '../connect';
import type { PoolFactory } from './pool';

export function tlsPoolFactory(shared: TlsOptions, managerOptions: ManagerOptions = {}): PoolFactory<Manager> {
  return async (target, signal) => {
    signal.throwIfAborted();
    const session = await connectTls({ ...shared, host: target.host, port: target.port ?? shared.port });
    if (signal.aborted) {
      await session.close();
      signal.throwIfAborted();
    }
    return new Manager(session, { ...managerOptions, logId: managerOptions.logId ?? target.name });
  };
}
