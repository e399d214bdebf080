/**
 * getJson() on a large reply over real SSH from the simulator: RFC 7951 JSON built in slices, so
 * a timer on the same loop keeps firing during the conversion, and equal to the synchronous
 * `json` getter's (tree then conversion).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, Manager } from '../../src';
import { NetconfSimulator, NS_SIM } from '../../simulator';
import { turnsDuring } from '../helpers/loop-turns';

test(
  'getJson() of a 20 MB reply: a timer keeps firing during the conversion; equal to json',
  { timeout: 120000 },
  async () => {
    const sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
    const session = await connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      timeout: 20,
    });
    const m = new Manager(session, { timeout: 120 });
    try {
      await m.loadYang();
      const size = 20 * 1000 * 1000;
      const reply = await m.getConfig({ filter: `<reply-size xmlns="${NS_SIM}" bytes="${size}"/>` });
      const { result: json, turns, worstMs } = await turnsDuring(() => reply.getJson());
      const entries = (json['netconf-simulator:reply-size'] as { entry: { id: number; name: string }[] }).entry;
      assert.ok(entries.length > 100000, `${entries.length} entries`);
      assert.deepEqual(
        entries[0],
        { id: 1, name: 'item-1', payload: 'x'.repeat(48) },
        'typed by the YANG (id a number)',
      );
      // Seconds of work: a blocked loop turns once or twice, a free one many times.
      assert.ok(turns >= 5, `the timer fired ${turns} times during getJson() (worst delay ${worstMs.toFixed(0)} ms)`);
      assert.deepEqual(reply.jsonWarnings, []);
      // The synchronous getter of a fresh DataReply (tree, then conversion) gives the same JSON.
      assert.deepEqual(m.dataReply(reply).json, json);
    } finally {
      await m.close();
      await sim.close();
    }
  },
);
