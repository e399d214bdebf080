/**
 * Connection failures as a flow meets them (issue 15): a wrong password or a host key that is
 * not the pinned one will not go away by waiting, so messages fail at once (not at the queue's
 * deadline) while the device keeps retrying; the Node-RED log hears of a failure once, not on
 * every retry; host key messages use the dialog's labels.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, statuses, until, type HelperNode } from './helper';
import { simDevice, startSimulator, watch, type NetconfSimulator } from './sim';

interface Caught {
  message: string;
  code?: string;
}

describe('connect errors: fail fast when retrying cannot help, log once', { timeout: 60000 }, () => {
  let sim: NetconfSimulator;
  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
  });

  async function load(device: Record<string, unknown>, password: string): Promise<string[]> {
    // queueTimeout 30 s: a message that waited for its deadline would take 30 s to fail.
    // reconnectMax 8 s: retries after 1, 2, 4, 8 s, so a message that waited for the next attempt waits seconds.
    const flow = baseFlow(simDevice(sim, 'dev', { queueTimeout: '30', reconnectMax: '8', ...device }), {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      filterType: 'none',
      wires: [['out']],
    });
    await helper.load(allNodes, flow, { dev: { username: 'admin', password } });
    const seenStatuses = statuses(helper.getNode('g') as HelperNode);
    attempts = () => seenStatuses.filter((st) => st.fill === 'yellow').length;
    const warnings: string[] = [];
    (helper.getNode('dev') as HelperNode).on('call:warn', (call) => warnings.push(String(call.args[0])));
    return warnings;
  }

  /** Connection attempts so far: each shows "connecting" on the node's status. */
  let attempts: () => number = () => 0;

  /** Sends a message; resolves with its error and how many connection attempts were made meanwhile. */
  async function fails(): Promise<{ error: Caught; attemptsWhileWaiting: number }> {
    const caught = collect(helper.getNode('caught') as HelperNode);
    const before = caught.length;
    const attemptsBefore = attempts();
    helper.getNode('g')?.receive({ payload: '' });
    // Well under the 30 s queue deadline, so the test fails if the message waited for it.
    await until(() => caught.length > before, 15000, 'the error at the Catch node');
    const error = (caught[before] as NodeMessage & { error: Caught }).error;
    return { error, attemptsWhileWaiting: attempts() - attemptsBefore };
  }

  it('a wrong password: every message fails at once, while the device retries; the log hears it once', async () => {
    const seen = watch(sim);
    const warnings = await load({}, 'wrong');
    const first = await fails();
    assert.equal(first.error.code, 'NETCONF_NOT_CONNECTED');
    assert.match(first.error.message, /authentication failed/);
    // The device retries (after 1 s, then 2 s, ...): between two attempts a message fails at once,
    // without waiting for the next attempt.
    await until(() => attempts() >= 2, 5000, 'a retry');
    await new Promise((r) => setTimeout(r, 300));
    const second = await fails();
    assert.equal(second.error.code, 'NETCONF_NOT_CONNECTED');
    assert.match(second.error.message, /authentication failed/);
    assert.equal(second.attemptsWhileWaiting, 0, 'the message waited for another connection attempt');
    await until(() => attempts() >= 3, 5000, 'the device to keep retrying');
    assert.equal(seen.ends.length, 0, 'no session was ever opened');
    const auth = warnings.filter((w) => /authentication failed/.test(w));
    assert.equal(auth.length, 1, `log lines: ${JSON.stringify(warnings)}`);
  });

  it('a host key that is not the pinned one: fails at once, in the words of the dialog', async () => {
    const pinned = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const warnings = await load({ hostFingerprint: pinned }, 'admin');
    const { error } = await fails();
    assert.equal(error.code, 'NETCONF_NOT_CONNECTED');
    assert.ok(error.message.includes(sim.hostFingerprint), error.message);
    assert.match(error.message, /"Host key"/);
    assert.doesNotMatch(error.message, /hostFingerprint|verifyHostKey/);
    await until(() => attempts() >= 2, 5000, 'a retry');
    await new Promise((r) => setTimeout(r, 300));
    const second = await fails();
    assert.equal(second.error.code, 'NETCONF_NOT_CONNECTED');
    assert.equal(second.attemptsWhileWaiting, 0, 'the message waited for another connection attempt');
    assert.equal(warnings.filter((w) => /host key verification failed/.test(w)).length, 1, warnings.join('\n'));
  });

  it('no host key pinned: the message says where to put it and which box skips the check', async () => {
    await load({ hostFingerprint: '' }, 'admin');
    const { error } = await fails();
    assert.match(error.message, /no host key is pinned/);
    assert.match(error.message, /"Verify the host key"/);
  });
});
