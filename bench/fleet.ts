/**
 * Fleet bench: N simulated devices (default 500) in another process, a get-config of each through
 * a SessionPool in this one. Reports wall time, peak RSS, RSS per open session and the worst
 * event-loop delay. `node dist/bench/fleet.js [--devices 500] [--max 50] [--tls]`
 * (`--tls`: NETCONF over TLS with tlsPoolFactory, simulators behind mutual-TLS listeners, a PKI
 * made for the run by openssl).
 *
 * Phase 1: the pool bounded at --max sessions (eviction and the wait queue at work).
 * Phase 2: maxSessions = devices, every session kept open, to price one open session in RSS.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SessionPool, sshPoolFactory, tlsPoolFactory, type PoolFactory, type PoolTarget } from '../src';
import type { Manager } from '../src/manager';
import { makeTestPki, type TestPki } from '../test/helpers/certs';
import { startFleet, type FleetDevice } from '../test/helpers/fleet-process';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

function settledRss(): number {
  gc();
  return process.memoryUsage().rss;
}

async function getConfigAll(pool: SessionPool, targets: PoolTarget[]): Promise<{ ms: number; worstDelayMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  await Promise.all(targets.map((t) => pool.use(t, (m) => m.getConfig({ source: 'running' }))));
  const ms = performance.now() - started;
  delay.disable();
  return { ms, worstDelayMs: delay.max / 1e6 };
}

/** SSH (password, host keys pinned per target) or TLS (the run's client certificate and CA). */
function factory(pki: TestPki | undefined): PoolFactory<Manager> {
  if (!pki) return sshPoolFactory({ username: 'admin', password: 'admin', timeout: 60 });
  return tlsPoolFactory({ key: pki.client.key, cert: pki.client.cert, ca: pki.ca, timeout: 60 });
}

async function main(): Promise<void> {
  const devices = arg('devices', 500);
  const maxSessions = arg('max', 50);
  const pki = process.argv.includes('--tls') ? makeTestPki() : undefined;
  const fleet = await startFleet(
    devices,
    pki ? { tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca } } : {},
  );
  const targets = fleet.devices.map((d: FleetDevice, i): PoolTarget => ({ ...d, name: `dev${i}` }));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    const baseline = settledRss();
    const bounded = new SessionPool(factory(pki), {
      maxSessions,
      queueTimeout: 600,
      defaultUsername: 'admin',
    });
    const phase1 = await getConfigAll(bounded, targets);
    await bounded.close();
    const server1 = await fleet.stats();

    const beforeOpen = settledRss();
    const all = new SessionPool(factory(pki), { maxSessions: devices, queueTimeout: 600, idleTimeout: 600 });
    const phase2 = await getConfigAll(all, targets);
    const open = all.counts.sessions;
    const perSession = (settledRss() - beforeOpen) / open;
    await all.close();
    const server2 = await fleet.stats();

    const result = {
      transport: pki ? 'tls' : 'ssh',
      devices,
      maxSessions,
      phase1WallMs: Math.round(phase1.ms),
      phase1WorstLoopDelayMs: Math.round(phase1.worstDelayMs),
      phase1ServerPeakSessions: server1.peakLive,
      phase1ServerPeakPerDevice: server1.peakPerDevice,
      phase2WallMs: Math.round(phase2.ms),
      phase2WorstLoopDelayMs: Math.round(phase2.worstDelayMs),
      phase2OpenSessions: open,
      rssPerOpenSessionKB: Math.round(perSession / 1024),
      baselineRssMB: mb(baseline),
      peakRssMB: mb(peakRss),
      getConfigsAnswered: server2.getConfigs,
      endedByCloseSession: server2.endedByCloseSession,
      endedOtherwise: server2.endedOtherwise,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    clearInterval(sampler);
    await fleet.stop();
    pki?.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
