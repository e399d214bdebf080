/**
 * netconf-edit-config's transaction extras against the simulator: check mode (edit the candidate,
 * read it back, discard: running unchanged and the candidate clean, seen from a second session),
 * msg.diff after a real commit, the lock policy and lock-denied retries with the holder's
 * session-id, target auto, and check mode on devices without :candidate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { collect, helper, until, type HelperNode } from './helper';
import { loadWithDevice, secondSession, simulatorsPerTest, watch, type NetconfSimulator } from './sim';
import type { SimulatorOptions } from '../../simulator/options';
import { defaultCapabilities } from '../../simulator/options';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const CAP = 'urn:ietf:params:netconf:capability:';
const EDIT = `<interfaces xmlns="${IF}"><interface><name>eth0</name><description>previewed</description></interface></interfaces>`;

interface Diff {
  changes: { op: string; path: string; before?: unknown; after?: unknown }[];
  text: string;
  warnings: string[];
  mode?: string;
}
const diffOf = (msg: NodeMessage): Diff => msg.diff as Diff;
const errorOf = (msg: NodeMessage): { message: string; code: string } => msg.error as { message: string; code: string };

describe('netconf-edit-config: check mode, diff after commit, lock policy, target auto', { timeout: 90000 }, () => {
  const startSimulator = simulatorsPerTest();
  let sim: NetconfSimulator;
  let seen: ReturnType<typeof watch>;

  async function load(node: Record<string, unknown>, options: SimulatorOptions = {}): Promise<void> {
    sim = await startSimulator(options);
    seen = watch(sim);
    await loadWithDevice(sim, { id: 'e', type: 'netconf-edit-config', device: 'dev', wires: [['out']], ...node });
  }

  async function run(msg: NodeMessage): Promise<{ ok: boolean; msg: NodeMessage }> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode('e')?.receive(msg);
    await until(() => outs.length > o || caught.length > c, 15000, 'the edit');
    return outs.length > o ? { ok: true, msg: outs[o] } : { ok: false, msg: caught[c] };
  }

  it('check mode: the diff of the edit, running unchanged, the candidate discarded and unlocked (second session)', async () => {
    await load({ transaction: true });
    const runningBefore = sim.getConfigXml('running');
    const { ok, msg } = await run({ payload: EDIT, netconf: { check: true } });
    assert.ok(ok, JSON.stringify(msg.error));
    assert.equal((msg.netconf as { operation: string }).operation, 'edit-config-check');
    assert.equal(msg.changed, true);
    assert.equal(diffOf(msg).mode, 'candidate');
    assert.deepEqual(
      diffOf(msg).changes.map((c) => [c.path, c.after]),
      [["/ietf-interfaces:interfaces/interface[name='eth0']/description", 'previewed']],
    );
    assert.deepEqual(
      seen.rpcs.filter((op) => op !== 'get-schema' && op !== 'get'),
      ['lock', 'edit-config', 'get-config', 'get-config', 'discard-changes', 'unlock'],
    );
    assert.equal(sim.getConfigXml('running'), runningBefore, 'nothing committed');
    const other = await secondSession(sim);
    try {
      const candidate = await other.getConfig({ source: 'candidate' });
      assert.doesNotMatch(candidate.dataXml, /previewed/, 'the candidate was discarded');
      assert.doesNotMatch((await other.getConfig({ source: 'running' })).dataXml, /previewed/);
      // Neither locked nor dirty: another session can lock the candidate.
      assert.ok((await other.lock('candidate')).ok);
      await other.unlock('candidate');
    } finally {
      await other.close();
    }
    // The same edit without check commits, and msg.diff says what the commit changed.
    const real = await run({ payload: EDIT });
    assert.ok(real.ok, JSON.stringify(real.msg.error));
    assert.equal(real.msg.changed, true);
    assert.deepEqual(diffOf(real.msg).changes, diffOf(msg).changes);
    assert.equal(diffOf(real.msg).mode, undefined);
    assert.match(sim.getConfigXml('running'), /previewed/);
    const again = await run({ payload: EDIT });
    assert.equal(again.msg.changed, false, 'the same edit again changes nothing');
  });

  it('lock-denied: retried lockRetries times, then an error naming the holder session; never does not lock', async () => {
    await load({ transaction: true, lockRetries: '2', lockRetryDelay: '0.05' });
    const holder = await secondSession(sim);
    try {
      await holder.lock('candidate');
      const { ok, msg } = await run({ payload: EDIT });
      assert.ok(!ok);
      assert.equal(errorOf(msg).code, 'lock-denied');
      assert.match(
        errorOf(msg).message,
        new RegExp(`locked by session ${holder.sessionId} \\(lock denied, 3 tries\\)`),
      );
      assert.equal(seen.rpcs.filter((op) => op === 'lock').length, 1 + 3);
      assert.ok(!seen.rpcs.includes('edit-config'));
      // Check mode refuses the same way.
      const check = await run({ payload: EDIT, netconf: { check: true } });
      assert.equal(errorOf(check.msg).code, 'lock-denied');
      await holder.unlock('candidate');
      const never = await run({ payload: EDIT, netconf: { lock: 'never' } });
      assert.ok(never.ok, JSON.stringify(never.msg.error));
      const bad = await run({ payload: EDIT, netconf: { lock: 'sometimes' } });
      assert.equal(errorOf(bad.msg).code, 'NETCONF_INVALID_INPUT');
    } finally {
      await holder.close();
    }
    const locks = seen.rpcs.filter((op) => op === 'lock').length;
    assert.equal(locks, 1 + 3 + 3, 'lock: never sent no lock');
  });

  it('target auto: running (locked, rollback-on-error) on a device without :candidate; check mode test-only or an error', async () => {
    const noCandidate = defaultCapabilities().filter(
      (c) => !c.startsWith(`${CAP}candidate`) && !c.includes('confirmed-commit'),
    );
    await load({ transaction: true, transactionTarget: 'auto' }, { capabilities: noCandidate });
    const { ok, msg } = await run({ payload: EDIT });
    assert.ok(ok, JSON.stringify(msg.error));
    assert.deepEqual(
      seen.rpcs.filter((op) => ['lock', 'edit-config', 'commit', 'unlock'].includes(op)),
      ['lock', 'edit-config', 'unlock'],
    );
    assert.match(sim.getConfigXml('running'), /previewed/);
    assert.equal(msg.changed, true);
    const check = await run({ payload: EDIT.replace('previewed', 'tested'), netconf: { check: true } });
    assert.ok(check.ok, JSON.stringify(check.msg.error));
    assert.equal(check.msg.changed, undefined);
    assert.equal(diffOf(check.msg).mode, 'test-only');
    assert.match(diffOf(check.msg).warnings[0], /test-only/);
    assert.doesNotMatch(sim.getConfigXml('running'), /tested/);
  });

  it('check mode without :candidate or :validate:1.1: NETCONF_INVALID_INPUT naming both', async () => {
    const neither = defaultCapabilities().filter(
      (c) => !c.startsWith(`${CAP}candidate`) && !c.includes('confirmed-commit') && !c.startsWith(`${CAP}validate`),
    );
    await load({ check: true }, { capabilities: neither });
    const { ok, msg } = await run({ payload: EDIT });
    assert.ok(!ok);
    assert.equal(errorOf(msg).code, 'NETCONF_INVALID_INPUT');
    assert.match(errorOf(msg).message, /check mode needs the :candidate capability .* or :validate:1\.1/);
    assert.ok(!seen.rpcs.includes('edit-config'));
  });
});
