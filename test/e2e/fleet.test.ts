/**
 * Fleet mode in a real Node-RED: the packed package installed in a fresh user dir, a flow
 * inventory -> split -> get-config on a fleet netconf-device (Host empty, maxSessions 10) against
 * 50 devices: 45 simulators in another process (44 pinned through msg.device.hostFingerprint, one
 * whose key is pinned nowhere) and 5 dead ports. The inventory is injected twice (the second
 * round finds sessions open and dead devices in backoff). Every message reaches the output or the
 * Catch node exactly once (counted over the comms websocket: none silently dropped, none twice),
 * the server never sees more than maxSessions at once nor two on one device, and a redeploy closes
 * every session with <close-session> (server-side count).
 *
 * Config node ids: Node-RED takes ANY property of a config node whose value is the id of a config
 * node for a dependency, so a device with id "fleet" and name "fleet" depends on itself ("Circular
 * config node dependency detected") and is never created; the operation node then says "no NETCONF
 * device configured". That was this test's first failure, not the package's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fleetGetFlow, fleetInventory } from '../helpers/fleet-flow';
import { startFleet, type Fleet } from '../helpers/fleet-process';
import type { Comms } from './comms';
import { freePort, waitFor, type NodeRed } from './harness';
import { startInstalledNodeRed, type InstalledNodeRed } from './installed-node-red';

const LIVE = 45;
const DEAD = 5;
const MAX_SESSIONS = 10;
const ROUNDS = ['r1', 'r2'];

interface Seen {
  topic: string;
  parts: { index: number };
  device: { name: string };
  netconf?: { device: string; operation: string };
  error?: { message: string; code?: string };
}

function inventory(fleet: Fleet, dead: number[]): Record<string, unknown>[] {
  return [
    // the last live device's key is pinned nowhere: refused, with its fingerprint in the error
    ...fleetInventory(fleet, LIVE - 1),
    ...dead.map((port, i) => ({ host: '127.0.0.1', port, name: `dead${i}` })),
  ];
}

function flow(devices: Record<string, unknown>[]): Record<string, unknown>[] {
  const debug = (id: string): Record<string, unknown> => ({
    id,
    type: 'debug',
    active: true,
    tosidebar: true,
    complete: 'true',
    targetType: 'full',
    wires: [],
    z: 'tab',
    x: 100,
    y: 100,
  });
  return [
    { id: 'tab', type: 'tab', label: 'fleet' },
    {
      id: 'fleetdev',
      type: 'netconf-device',
      name: 'fleet',
      host: '',
      port: '830',
      transport: 'ssh',
      verifyHostKey: true,
      connectTimeout: '10',
      queueSize: '1000',
      queueTimeout: '60',
      maxSessions: String(MAX_SESSIONS),
      idleTimeout: '120',
      credentials: { username: 'admin', password: 'admin' },
    },
    ...fleetGetFlow({
      tab: 'tab',
      device: 'fleetdev',
      inventory: devices,
      injects: ROUNDS.map((topic) => ({ id: `inj-${topic}`, topic })),
      answers: 'ok',
      caught: 'caught',
    }),
    debug('ok'),
    debug('caught'),
  ];
}

describe('fleet mode in a real Node-RED: 50 devices', { timeout: 300000 }, () => {
  let fleet: Fleet;
  let running: InstalledNodeRed | undefined;
  let nr: NodeRed;
  let comms: Comms;

  before(async () => {
    fleet = await startFleet(LIVE);
    running = await startInstalledNodeRed('fleet');
    ({ nr, comms } = running);
  });
  after(async () => {
    await running?.stop();
    await fleet?.stop();
  });

  it('every message reaches the output or the Catch node once; redeploy closes every session', async () => {
    const dead: number[] = [];
    for (let i = 0; i < DEAD; i++) dead.push(await freePort());
    const devices = inventory(fleet, dead);
    assert.equal(devices.length, 50);
    const before = await fleet.stats();
    await nr.deploy(flow(devices));
    // the flow starts after the deploy request returns: retry the first inject until the node exists
    await waitFor('the inject node', async () => (await nr.inject('inj-r1'), true), 30000, 500);
    await waitFor(
      'round 1 answered',
      () => comms.debugFrom('ok').length + comms.debugFrom('caught').length >= 50,
      120000,
    );
    await nr.inject('inj-r2');
    const total = ROUNDS.length * devices.length;
    const answered = (): number => comms.debugFrom('ok').length + comms.debugFrom('caught').length;
    await waitFor(`${total} answers`, () => answered() >= total, 120000);

    const ok = comms.debugFrom('ok').map((d) => d.value as Seen);
    const caught = comms.debugFrom('caught').map((d) => d.value as Seen);
    const keys = [...ok, ...caught].map((m) => `${m.topic}/${m.parts.index}`);
    assert.equal(new Set(keys).size, total, 'each message answered exactly once');
    assert.equal(keys.length, total);
    assert.equal(
      ok.length,
      ROUNDS.length * (LIVE - 1),
      caught
        .slice(0, 3)
        .map((m) => m.error?.message)
        .join(' | '),
    );
    for (const m of ok) {
      assert.match(m.device.name, /^dev\d+$/);
      assert.equal(m.netconf?.device, m.device.name);
      assert.equal(m.netconf?.operation, 'get-config');
    }
    assert.equal(caught.length, ROUNDS.length * (DEAD + 1));
    for (const m of caught) {
      assert.equal(m.error?.code, 'NETCONF_CONNECT', m.error?.message);
      assert.ok(m.error.message.startsWith(`${m.device.name}:`), `the error names the device: ${m.error.message}`);
    }
    const unknown = caught.filter((m) => m.device.name === `dev${LIVE - 1}`);
    assert.equal(unknown.length, ROUNDS.length);
    for (const m of unknown) assert.match(m.error?.message ?? '', /SHA256:/);
    assert.equal(caught.filter((m) => m.device.name.startsWith('dead')).length, ROUNDS.length * DEAD);

    const statuses = comms.statusHistory.filter((s) => s.id === 'get').map((s) => String(s.text));
    assert.ok(
      statuses.some((t) => /^fleet: \d+ open, \d+ connecting, [1-9]\d* failing$/.test(t)),
      statuses.join('\n'),
    );

    const stats = await fleet.stats();
    assert.ok(stats.peakLive <= MAX_SESSIONS, `at most maxSessions at once (saw ${stats.peakLive})`);
    assert.equal(stats.peakPerDevice, 1, 'never two sessions on one device');
    assert.equal(stats.getConfigs - before.getConfigs, ROUNDS.length * (LIVE - 1));

    // Idle sessions are still open (idleTimeout 120 s): a redeploy must close every one of them.
    assert.ok(stats.live > 0, 'idle sessions still open before the redeploy');
    const closedBefore = stats.endedByCloseSession;
    await nr.deploy([{ id: 'tab', type: 'tab', label: 'empty' }]);
    await waitFor('every session closed', async () => (await fleet.stats()).live === 0, 20000);
    const closed = await fleet.stats();
    assert.equal(closed.endedByCloseSession - closedBefore, stats.live, 'each with <close-session>');
    assert.equal(answered(), total, 'nothing answered twice after the redeploy');
    assert.doesNotMatch(nr.log, /Circular config node dependency|Close timed out/);
  });
});
