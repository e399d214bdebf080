/**
 * `npm start` stops cleanly on SIGINT and on SIGTERM sent to the npm process (what a service
 * manager, `kill` or a CI runner does; Ctrl-C in a terminal signals the whole process group
 * instead): npm exits 0, Node-RED and the demo's simulators are gone, their ports free, within
 * a generous bound (start.js gives Node-RED 10 s before it kills it). Each run has its own user
 * dir, editor and device ports, and a fleet moved to free ports (NETCONF_DEMO_FLEET_PORT).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Demo, FLEET_DEVICES } from './demo';
import { pidAlive, portClosed, waitFor } from './harness';

/** First of FLEET_DEVICES consecutive ports on which nothing listens. */
async function freeFleetPorts(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Below the ephemeral range (32768+), where other tests' ports come and go.
    const base = 20000 + Math.floor(Math.random() * 12000);
    const ports = Array.from({ length: FLEET_DEVICES + 1 }, (_, i) => base + i);
    if ((await Promise.all(ports.map((p) => portClosed(p)))).every(Boolean)) return base;
  }
  throw new Error('no free port range for the demo fleet');
}

const BOUND_MS = 30000;

describe('npm start stops on a signal to the npm process', { timeout: 240000 }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`${signal}: exit code 0, Node-RED and the demo devices gone, ports free`, async (t) => {
      const demo = new Demo({ viaNpm: true, fleetPort: await freeFleetPorts() });
      try {
        await demo.start();
        // npm -> node scripts/start.js (exec'd by the script's shell) -> Node-RED.
        const below = demo.descendants();
        assert.ok(below.length >= 2, `processes below npm: ${below.join(', ')}`);
        for (const port of demo.ports) assert.equal(await portClosed(port), false, `port ${port} not open`);
        const end = await demo.signal(signal, BOUND_MS);
        t.diagnostic(`npm exited ${end.ms} ms after ${signal}`);
        assert.deepEqual(
          { code: end.code, signal: end.signal },
          { code: 0, signal: null },
          `npm start did not stop within ${BOUND_MS / 1000} s:\n${demo.log.slice(-1500)}`,
        );
        // npm waits for its child; the child (start.js) waits for Node-RED and the simulators.
        await waitFor('every process below npm to end', () => below.every((pid) => !pidAlive(pid)), 5000);
        for (const port of demo.ports) assert.ok(await portClosed(port), `port ${port} still open`);
      } finally {
        await demo.stop();
      }
    });
});
