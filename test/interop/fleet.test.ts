/**
 * A fleet in front of the netconfd lab: 2 sshd x 12 loopback addresses (one sshd listens on at
 * most 16 addresses), each sshd with its own host key, all forwarding into the lab's netconfd as
 * the lab's own sshd does. Host keys are pinned through a known_hosts file the test writes
 * (`[host]:port` entries, every other one hashed); one more address on the second sshd is in no
 * file and must be refused with its fingerprint. A get-config of every address through the
 * SessionPool (library), then through a fleet netconf-device (Node-RED runtime): all answered,
 * never more than maxSessions at once and never two on one address (counted by the servers),
 * and every session ended when the pool closes (and on unload).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConnectError, SessionPool, sshPoolFactory, type PoolTarget } from '../../src/index';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, until, type HelperNode } from '../nodes/helper';
import { FleetFront, type FrontCounts } from './helpers/fleet-front';
import { lab, labFilter } from './helpers/lab';

const MAX_SESSIONS = 5;
const PINNED = 24;

async function settled(front: FleetFront, what: string): Promise<FrontCounts> {
  await until(() => front.counts().live === 0, 20000, what);
  return front.counts();
}

describe('a fleet of 25 addresses in front of netconfd, pinned through known_hosts', { timeout: 180000 }, () => {
  // the 13th address of the second sshd is pinned nowhere
  const front = new FleetFront([12, 13]);
  let knownHostsFile: string;
  let targets: PoolTarget[];
  let unpinned: PoolTarget;

  before(async () => {
    await front.start();
    const pinned = front.addresses.slice(0, PINNED);
    assert.equal(new Set(pinned.map((a) => a.sshd)).size, 2, 'two sshd');
    knownHostsFile = path.join(front.dir, 'known_hosts');
    writeFileSync(knownHostsFile, front.knownHosts(pinned));
    targets = pinned.map((a, i) => ({ host: a.host, port: a.port, name: `lab${i}` }));
    const u = front.addresses[PINNED];
    unpinned = { host: u.host, port: u.port, name: 'unpinned' };
  });
  after(async () => {
    await front.stop();
  });

  it('the SessionPool reads every address, at most maxSessions at once, one per address', async () => {
    const l = lab();
    const factory = sshPoolFactory(
      { ...l.users.admin, knownHostsFile, timeout: 20, helloTimeout: 20 },
      { timeout: 30 },
    );
    const pool = new SessionPool(factory, {
      maxSessions: MAX_SESSIONS,
      queueTimeout: 120,
      defaultUsername: l.users.admin.username,
    });
    let poolPeak = 0;
    pool.on('counts', (c) => (poolPeak = Math.max(poolPeak, c.sessions)));
    try {
      // two calls per address at once: the second shares (or reuses) the address's one session
      const jobs = [...targets, ...targets].map((t) =>
        pool.use(t, async (m) => (await m.getConfig({ source: 'running', filter: labFilter })).xml),
      );
      const refused = pool
        .use(unpinned, (m) => m.getConfig())
        .then(
          () => assert.fail('an unpinned host key must be refused'),
          (e: unknown) => e,
        );
      const replies = await Promise.all(jobs);
      assert.equal(replies.length, 2 * PINNED);
      for (const xml of replies) assert.match(xml, /<data/);

      const err = await refused;
      assert.ok(err instanceof ConnectError, String(err));
      assert.equal(err.code, 'NETCONF_CONNECT');
      assert.equal(err.fingerprint, front.addresses[PINNED].hostFingerprint);
      assert.ok(err.message.includes(front.addresses[PINNED].hostFingerprint), err.message);

      const c = front.counts();
      assert.ok(c.peakLive <= MAX_SESSIONS, `server side: at most ${MAX_SESSIONS} at once (saw ${c.peakLive})`);
      assert.equal(c.peakPerAddress, 1, 'server side: never two sessions on one address');
      assert.equal(c.perAddress.size, PINNED, 'every pinned address served');
      assert.ok(!c.perAddress.has(unpinned.host), 'no NETCONF session on the refused address');
      assert.ok(poolPeak <= MAX_SESSIONS && poolPeak > 0, `pool side: ${poolPeak} sessions at most`);
    } finally {
      await pool.close();
    }
    const end = await settled(front, 'every session ended after pool.close()');
    assert.equal(end.live, 0);
  });

  it('a fleet netconf-device does the same from msg.device, and unload ends every session', async () => {
    const l = lab();
    const from = front.mark();
    await helper.startServer();
    try {
      const flow = baseFlow(
        {
          id: 'fleetdev',
          type: 'netconf-device',
          name: 'lab fleet',
          transport: 'ssh',
          host: '',
          port: '830',
          verifyHostKey: true,
          knownHostsFile,
          connectTimeout: '20',
          rpcTimeout: '30',
          queueSize: '1000',
          queueTimeout: '120',
          maxSessions: String(MAX_SESSIONS),
          idleTimeout: '60',
        },
        { id: 'g', type: 'netconf-get', operation: 'get-config', device: 'fleetdev', wires: [['out']] },
      );
      await helper.load(allNodes, flow, { fleetdev: l.users.admin });
      const out = collect(helper.getNode('out') as HelperNode);
      const caught = collect(helper.getNode('caught') as HelperNode);
      const g = helper.getNode('g') as HelperNode;
      const sent = [...targets, unpinned].map((device, i) => ({
        _msgid: `m${i}`,
        device,
        netconf: { filter: labFilter },
      }));
      for (const msg of sent) g.receive(msg);
      await until(() => out.length + caught.length >= sent.length, 120000, 'every message answered');
      assert.equal(out.length, PINNED, caught.map((m) => String((m.error as { message: string }).message)).join('\n'));
      assert.equal(caught.length, 1);
      const names = new Set(out.map((m: NodeMessage) => (m.netconf as { device: string }).device));
      assert.equal(names.size, PINNED);
      assert.match(String((caught[0].error as { message: string }).message), /^unpinned: .*SHA256:/);

      const c = front.counts(from);
      assert.ok(c.peakLive <= MAX_SESSIONS, `server side: at most ${MAX_SESSIONS} at once (saw ${c.peakLive})`);
      assert.equal(c.peakPerAddress, 1, 'server side: never two sessions on one address');
      assert.equal(c.perAddress.size, PINNED, 'every pinned address served');
      await helper.unload();
      const end = await settled(front, 'every session ended after unload');
      assert.equal(end.live, 0);
    } finally {
      await helper.unload().catch(() => undefined);
      await helper.stopServer().catch(() => undefined);
    }
  });

  it('leaves no connection process behind', async () => {
    await until(
      () => front.leftovers().length === 0,
      10000,
      `connection processes ended: ${front.leftovers().join(' ')}`,
    );
  });
});
