/**
 * In-memory stand-ins for the pool's bookkeeping tests only (limits, queue, backoff timing): a
 * "manager" whose session can be closed or killed, and a factory that counts what it opened and
 * how many are alive at once, per device and in total. Real behaviour is tested against the
 * simulator (test/simulator/pool-fleet.test.ts).
 */
import { EventEmitter } from 'node:events';
import type { PoolFactory, PooledManager, PoolTarget } from '../../src';

export class FakeSession extends EventEmitter<{ close: [Error | undefined] }> {
  closed = false;
  end(reason: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', reason);
  }
}

export class FakeManager implements PooledManager {
  readonly session = new FakeSession();
  closeCalls = 0;
  /** When set, close() waits for this before the session ends (a slow <close-session>). */
  closeGate?: Promise<void>;
  constructor(readonly target: PoolTarget) {}

  async close(): Promise<void> {
    this.closeCalls++;
    if (this.closeGate) await this.closeGate;
    this.session.end(undefined);
  }

  /** The device dropped the session. */
  kill(): void {
    this.session.end(new Error('the transport closed'));
  }
}

export interface FakeFleet {
  factory: PoolFactory<FakeManager>;
  opened: FakeManager[];
  attempts: number;
  peakAlive: number;
  peakPerDevice: number;
  alive(): number;
  /** Makes opens of this host fail with the error. */
  failing: Map<string, Error>;
  /** ms each open takes (default 1). */
  openDelayMs: number;
}

export function fakeFleet(): FakeFleet {
  const perDevice = new Map<string, number>();
  const fleet: FakeFleet = {
    opened: [],
    attempts: 0,
    peakAlive: 0,
    peakPerDevice: 0,
    failing: new Map(),
    openDelayMs: 1,
    alive: () => [...perDevice.values()].reduce((a, b) => a + b, 0),
    factory: async (target) => {
      fleet.attempts++;
      const key = `${target.host}:${target.port ?? 830}`;
      // A session "exists" from the first connect packet on, as the device sees it.
      perDevice.set(key, (perDevice.get(key) ?? 0) + 1);
      fleet.peakPerDevice = Math.max(fleet.peakPerDevice, perDevice.get(key) ?? 0);
      fleet.peakAlive = Math.max(fleet.peakAlive, fleet.alive());
      const release = (): void => void perDevice.set(key, (perDevice.get(key) ?? 1) - 1);
      await new Promise((resolve) => setTimeout(resolve, fleet.openDelayMs));
      const failure = fleet.failing.get(target.host);
      if (failure) {
        release();
        throw failure;
      }
      const manager = new FakeManager(target);
      manager.session.once('close', release);
      fleet.opened.push(manager);
      return manager;
    },
  };
  return fleet;
}

/** A promise with its resolve function, to hold a pool user inside its callback. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
