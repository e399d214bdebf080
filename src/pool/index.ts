/** The session pool: many devices, bounded sessions, one per device. */
export { SessionPool, type PoolFactory, type SessionPoolOptions, type UseOptions } from './pool';
export { sshPoolFactory } from './ssh-factory';
export { tlsPoolFactory } from './tls-factory';
export { targetKey, type PoolTarget } from './target';
export type { PooledManager } from './device-slot';
export type { BackoffOptions } from './backoff';
export type { DeviceState, DeviceStateEvent, PoolCounts, SessionPoolEvents } from './counts';
export { PoolFullError, PoolTimeoutError, PoolClosedError, type DeviceFailingInfo } from './errors';
