/**
 * The set-up of the simulator's own tests: before each test of the enclosing describe block a new
 * in-memory simulator (no network) and a RawClient past its hello; after it both closed. Read them
 * from the returned object: they are new for every test.
 */
import { afterEach, beforeEach } from 'node:test';
import { NetconfSimulator } from '../../simulator';
import type { SimulatorOptions } from '../../simulator/options';
import { RawClient } from './simulator-client';

export interface MemorySession {
  sim: NetconfSimulator;
  c: RawClient;
}

export function memorySessionPerTest(options?: SimulatorOptions): MemorySession {
  const t = {} as MemorySession;
  beforeEach(async () => {
    t.sim = new NetconfSimulator(options);
    t.c = await RawClient.memory(t.sim).handshake();
  });
  afterEach(async () => {
    t.c.close();
    await t.sim.close();
  });
  return t;
}
