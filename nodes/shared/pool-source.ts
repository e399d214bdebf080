/**
 * The fleet's session source: one SessionPool per fleet netconf-device (Host empty).
 * Where DeviceConnection holds one session for one device, this opens sessions on demand to the
 * device each message names (msg.device), at most maxSessions at once and one per device, closes
 * idle ones after idleTimeout, and fails fast for a device whose connect just failed (the pool's
 * backoff). The nodes using the device get the pool's counts as their status.
 */
import {
  SessionPool,
  sshPoolFactory,
  tlsPoolFactory,
  type Logger,
  type Manager,
  type PoolCounts,
  type PoolFactory,
} from '../../src/index';
import type { YangState } from './connection';
import { sshOptions, tlsOptions, type DeviceSettings } from './device-settings';
import { jumpChain } from './jump-hosts';
import type { FleetTarget } from './fleet-target';
import type { NodeAPI } from './red-types';

/** A node using a fleet device: gets the pool's counts (at once on register, then on every change). */
export interface FleetUser {
  onCounts(counts: PoolCounts): void;
}

const EMPTY: PoolCounts = { open: 0, connecting: 0, idle: 0, closing: 0, failing: 0, queued: 0, sessions: 0 };

/** The factory for the fleet's transport: shared settings, the target adding host, port and pinned key. */
function fleetFactory(RED: NodeAPI, s: DeviceSettings, logger: Logger): PoolFactory<Manager> {
  const managerOptions = { timeout: s.rpcTimeout };
  if (s.transport === 'tls') return tlsPoolFactory(tlsOptions(RED, s, logger), managerOptions);
  // The config node's own pinned key is one device's key: a fleet pins per device (msg.device) or by known_hosts.
  // Every target is reached through the device's jump host chain, like a single device.
  return sshPoolFactory(
    { ...sshOptions(s, logger), hostFingerprint: undefined, jumpHosts: jumpChain(RED, s.jump) },
    managerOptions,
  );
}

/** The call's result; its error prefixed with the target's name unless the message starts with it. */
async function named<R>(target: FleetTarget, call: Promise<R>): Promise<R> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof Error && !err.message.startsWith(`${target.name}:`))
      err.message = `${target.name}: ${err.message}`;
    throw err;
  }
}

export class PoolSource {
  readonly pool: SessionPool;
  private readonly users = new Set<FleetUser>();
  /** Per session (Manager): the YANG load, started by the first message that needs it. */
  private readonly yangLoads = new WeakMap<Manager, Promise<YangState>>();

  constructor(
    RED: NodeAPI,
    readonly settings: DeviceSettings,
    private readonly logger: Logger,
  ) {
    let factory: PoolFactory<Manager>;
    try {
      factory = fleetFactory(RED, settings, logger);
    } catch (err) {
      // e.g. the TLS config node is missing: every message fails with the reason, none hangs.
      factory = () => Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.pool = new SessionPool(factory, {
      maxSessions: settings.maxSessions,
      idleTimeout: settings.idleTimeout,
      maxQueue: settings.queueSize,
      queueTimeout: settings.queueTimeout,
      closeTimeout: 5,
      backoff: { initial: 1, max: settings.reconnectMax },
      defaultUsername: settings.credentials.username?.trim() || 'netconf',
      logger,
    });
    this.pool.on('counts', (counts) => {
      for (const user of this.users) user.onCounts(counts);
    });
  }

  get counts(): PoolCounts {
    return this.pool.closed ? EMPTY : this.pool.counts;
  }

  register(user: FleetUser): void {
    this.users.add(user);
    user.onCounts(this.counts);
  }

  deregister(user: FleetUser): void {
    this.users.delete(user);
  }

  /**
   * Runs `fn` with the session of `target` (opened if needed). Errors name the device: the pool's
   * keep the library's class and code, prefixed with the target's name when they do not say it.
   */
  use<R>(target: FleetTarget, fn: (manager: Manager) => Promise<R>): Promise<R> {
    return named(target, this.pool.use(target, fn));
  }

  /**
   * Runs `fn` with the session of `target` only if the pool has it open now (never opens one);
   * undefined otherwise (SessionPool.useIfOpen). Errors name the device as use()'s do.
   */
  useIfOpen<R>(target: FleetTarget, fn: (manager: Manager) => Promise<R>): Promise<R | undefined> {
    return named(target, this.pool.useIfOpen(target, fn));
  }

  /** The device's YANG for that session (loaded once per session; never rejects). */
  yang(manager: Manager): Promise<YangState> {
    if (manager.yang) return Promise.resolve({ schema: manager.yang });
    let load = this.yangLoads.get(manager);
    if (!load) {
      load = manager.loadYang().then(
        (schema): YangState => ({ schema }),
        (err: unknown): YangState => {
          const message = err instanceof Error ? err.message : String(err);
          this.logger.debug(`loading the YANG modules failed: ${message}`);
          return { error: message };
        },
      );
      this.yangLoads.set(manager, load);
    }
    return load;
  }

  /** Closes every session of the fleet (`<close-session>`), bounded by the pool's closeTimeout. */
  async close(): Promise<void> {
    this.users.clear();
    await this.pool.close();
  }
}
