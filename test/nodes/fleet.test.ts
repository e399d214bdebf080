/**
 * Fleet mode in Node-RED (issue 18): a netconf-device with an empty Host serves the devices named
 * by msg.device through a SessionPool. 50 devices (simulators in another process, counted on the
 * server side), some dead, one with an unknown host key: every message reaches the output or the
 * Catch node (none silently dropped), errors name the device, secrets in msg.device are refused,
 * the status shows the pool's counts, and a redeploy closes every session with <close-session>.
 * Trust on first use records keys into a known_hosts file and still refuses a changed key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { NodeMessage, NodeStatus } from '../../nodes/shared/red-types';
import { fleetInventory } from '../helpers/fleet-flow';
import { startFleet, type Fleet } from '../helpers/fleet-process';
import { adminCredentials, fleetDevice } from './sim';
import { allNodes, baseFlow, collect, helper, statuses, until, type FlowNode, type HelperNode } from './helper';
import { freePort } from '../helpers/free-port';

const LIVE = 46; // 45 pinned + 1 whose key nobody pinned
const DEAD = 4;

const getConfig: FlowNode = {
  id: 'g',
  type: 'netconf-get',
  operation: 'get-config',
  device: 'fleet',
  wires: [['out']],
};

function flow(extra: Record<string, unknown> = {}): FlowNode[] {
  return baseFlow(fleetDevice(extra), getConfig);
}

function caughtCode(msg: NodeMessage): string {
  return String((msg.error as { code?: string }).code);
}

describe('fleet mode: 50 devices through one netconf-device', { timeout: 120000 }, () => {
  let fleet: Fleet;
  let dead: number[];
  before(async () => {
    fleet = await startFleet(LIVE);
    dead = [];
    for (let i = 0; i < DEAD; i++) dead.push(await freePort());
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await fleet.stop();
  });
  afterEach(() => helper.unload());

  it('every message reaches the output or the Catch node; redeploy closes every session', async () => {
    await helper.load(allNodes, flow(), { fleet: adminCredentials });
    const g = helper.getNode('g') as HelperNode;
    const seen: NodeStatus[] = statuses(g);
    const out = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const before = await fleet.stats();
    const devices = [
      // the last live device's key is pinned nowhere: refused, with its fingerprint in the error
      ...fleetInventory(fleet, LIVE - 1),
      ...dead.map((port, i) => ({ host: '127.0.0.1', port, name: `dead${i}` })),
    ];
    // Two rounds: the second finds sessions open (or dead devices failing fast in backoff).
    const sent = [...devices, ...devices].map((device, i) => ({ _msgid: `m${i}`, device }));
    for (const msg of sent) g.receive(msg);
    await until(() => out.length + caught.length >= sent.length, 60000, 'every message answered');

    assert.equal(out.length + caught.length, sent.length);
    const ids = new Set([...out, ...caught].map((m) => m._msgid));
    assert.equal(ids.size, sent.length, 'each message answered exactly once');
    assert.equal(out.length, 2 * (LIVE - 1));
    for (const m of out) {
      assert.match(String((m.netconf as { device: string }).device), /^dev\d+$/);
      assert.match(String(m.payload), /<data|^\[object Object\]$/);
    }
    assert.equal(caught.length, 2 * (DEAD + 1));
    for (const m of caught) {
      const name = (m.device as { name: string }).name;
      assert.equal((m.netconf as { device: string }).device, name);
      assert.equal(caughtCode(m), 'NETCONF_CONNECT');
      assert.ok(String((m.error as { message: string }).message).startsWith(`${name}:`), 'the error names the device');
    }
    const unknownKey = caught.find((m) => (m.device as { name: string }).name === `dev${LIVE - 1}`);
    assert.match(String((unknownKey?.error as { message: string }).message), /SHA256:/);

    const stats = await fleet.stats();
    assert.ok(stats.peakLive <= 10, `at most maxSessions at once (saw ${stats.peakLive})`);
    assert.equal(stats.peakPerDevice, 1);
    assert.equal(stats.getConfigs - before.getConfigs, 2 * (LIVE - 1));
    assert.ok(seen.some((s) => /^fleet: \d+ open, \d+ connecting, \d+ failing$/.test(String(s.text))));
    assert.ok(
      seen.some((s) => / [1-9]\d* failing$/.test(String(s.text))),
      'the dead devices show as failing',
    );

    // Idle sessions are still open (idleTimeout 60 s): a redeploy must close every one of them.
    assert.ok(stats.live > 0);
    const closedBefore = stats.endedByCloseSession;
    await helper.setFlows(flow({ name: 'redeployed' }), 'full', { fleet: adminCredentials });
    let after = await fleet.stats();
    const deadline = Date.now() + 10000;
    while (after.live > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await fleet.stats();
    }
    assert.equal(after.live, 0, 'no session left open after the redeploy');
    assert.equal(after.endedByCloseSession - closedBefore, stats.live, 'each ended with <close-session>');
  });

  it('refuses msg.device with credentials, and a message without msg.device, with NETCONF_INVALID_INPUT', async () => {
    await helper.load(allNodes, flow(), { fleet: adminCredentials });
    const g = helper.getNode('g') as HelperNode;
    const caught = collect(helper.getNode('caught') as HelperNode);
    const d = fleet.devices[0];
    g.receive({ device: { host: d.host, port: d.port, password: 'secret' } });
    g.receive({ device: { host: d.host, port: d.port, username: 'root' } });
    g.receive({ payload: 'no device' });
    g.receive({ device: { port: d.port } });
    await until(() => caught.length === 4, 10000, 'four refusals');
    for (const m of caught) assert.equal(caughtCode(m), 'NETCONF_INVALID_INPUT');
    const text = caught.map((m) => String((m.error as { message: string }).message));
    assert.match(text[0], /must not carry password/);
    assert.doesNotMatch(text[0], /secret/);
    assert.match(text[1], /must not carry username/);
    assert.match(text[2], /needs msg\.device/);
    assert.match(text[3], /msg\.device\.host is missing/);
  });

  it('a device with Host set ignores msg.device and warns once', async () => {
    const d = fleet.devices[0];
    const single = fleetDevice({ host: d.host, port: String(d.port), hostFingerprint: d.hostFingerprint });
    await helper.load(allNodes, baseFlow(single, getConfig), { fleet: adminCredentials });
    const g = helper.getNode('g') as HelperNode;
    const warnings: unknown[] = [];
    g.on('call:warn', (call) => warnings.push(call.args[0]));
    const out = collect(helper.getNode('out') as HelperNode);
    for (let i = 0; i < 3; i++) g.receive({ device: { host: '192.0.2.1', name: 'elsewhere' } });
    await until(() => out.length === 3, 10000, 'three answers from the configured device');
    for (const m of out) assert.equal((m.netconf as { device: string }).device, 'test fleet');
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]), /192\.0\.2\.1 ignored/);
  });

  it('trust on first use records keys in known_hosts; a changed key is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-known-hosts-'));
    const file = path.join(dir, 'known_hosts');
    const [a, b] = fleet.devices;
    // b's entry is recorded with another device's key: a changed key, which TOFU must refuse
    writeFileSync(file, '');
    await helper.load(allNodes, flow({ knownHostsFile: file, trustOnFirstUse: true }), { fleet: adminCredentials });
    const g = helper.getNode('g') as HelperNode;
    const out = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    g.receive({ device: { host: a.host, port: a.port, name: 'a' } });
    await until(() => out.length === 1, 10000, 'a answered');
    const recorded = readFileSync(file, 'utf8');
    assert.match(recorded, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${a.port} ssh-\\S+ \\S+\\n$`));
    writeFileSync(file, recorded + recorded.replace(`:${a.port} `, `:${b.port} `));
    g.receive({ device: { host: b.host, port: b.port, name: 'b' } });
    await until(() => caught.length === 1, 10000, 'b refused');
    assert.match(String((caught[0].error as { message: string }).message), /does NOT match/);
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 3, 'nothing recorded for the changed key');
  });
});
