/**
 * Benchmark: scale-out over MQTT 5 (examples 10 and 11). Jobs per second with 1 and 3 worker
 * Node-RED instances behind mosquitto, and the broker's overhead per job against the fleet path in
 * one Node-RED process (wall and CPU time of every process involved). Reported, no target: on this
 * 2-core machine more instances share the same cores. Full run: 300 devices; smoke: 30.
 */
import { findMosquitto } from '../test/e2e/mosquitto';
import { attempt, runWorker } from './child';
import { args, smoke } from './options';
import { W } from './paths';
import { f0, f1, f2, num, say, table, type R } from './report';

function row(label: string, r: R | undefined, prefix: string, devices: number): string[] {
  const cold = num(r, `${prefix}ColdMs`) / 1000;
  const warm = num(r, `${prefix}WarmMs`) / 1000;
  return [
    label,
    f1(cold),
    f0(devices / cold),
    f1(warm),
    f0(devices / warm),
    f1(num(r, `${prefix}ColdCpuMs`) / devices),
    f1(num(r, `${prefix}WarmCpuMs`) / devices),
  ];
}

export async function scaleOut(): Promise<void> {
  say('## 7. Scale-out over MQTT 5 (dispatcher + workers behind mosquitto)');
  say();
  if (!findMosquitto()) {
    say('mosquitto is not installed (apt-get install mosquitto): not run.');
    say();
    return;
  }
  const devices = Number(args['scale-devices'] ?? (smoke ? 30 : 300));
  const r = await attempt(`scale-out: ${devices} devices, fleet path, 1 and 3 workers`, () =>
    runWorker('node', [W('scale-out'), '--devices', String(devices)], 1800),
  );
  table(
    ['path', 'cold s', 'cold jobs / s', 'warm s', 'warm jobs / s', 'CPU ms / job cold', 'CPU ms / job warm'],
    [
      row('fleet path, one Node-RED (no broker)', r, 'fleet', devices),
      row('dispatcher + 1 worker via mosquitto', r, 'w1', devices),
      row('dispatcher + 3 workers via mosquitto', r, 'w3', devices),
    ],
  );
  const wallOverhead = (num(r, 'w1WarmMs') - num(r, 'fleetWarmMs')) / devices;
  const cpuOverhead = (num(r, 'w1WarmCpuMs') - num(r, 'fleetWarmCpuMs')) / devices;
  say(
    `Broker overhead per job (warm, 1 worker vs the fleet path): ${f2(wallOverhead)} ms wall, ${f2(cpuOverhead)} ms CPU ` +
      `(dispatcher + worker + mosquitto against one Node-RED). Cold: every SSH session opened in the run; warm: the ` +
      `pools' idle sessions reused. Failed jobs: ${f0(num(r, 'w1Failed') + num(r, 'w3Failed'))}; ` +
      `re-published: ${f0(num(r, 'w1Republished') + num(r, 'w3Republished'))}.`,
  );
  say();
}
