/**
 * The Node-RED nodes against netconfd, in a flow run by node-red-node-test-helper: a
 * netconf-device (SSH, host key pinned to the lab's key), a netconf-notification subscribed
 * (subtree filter) to config changes, a netconf-edit-config in transaction mode (lock, edit,
 * validate, commit, unlock on the candidate instance), a plain netconf-edit-config into the
 * candidate followed by a netconf-commit, and a netconf-get doing get-config.
 *
 * netconfd 2.13 quirk (pinned in operations.test.ts, seen with ncclient too): a <commit> that
 * follows <validate><source><candidate/></source></validate> answers <ok/> but commits NOTHING
 * and resets the candidate, and emits no netconf-config-change. The transaction mode validates
 * whenever the server has :validate, so against netconfd its edit is silently lost: step 3
 * below fails until netconf-edit-config stops validating before commit (commit validates
 * anyway, RFC 6241 8.3.4.1). The notification the flow must receive therefore comes from the
 * plain edit + commit pair (step 1), which runs first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allNodes, baseFlow, helper, nextMessage, statuses, until, type HelperNode } from '../nodes/helper';
import type { NodeMessage } from '../../nodes/shared/red-types';
import {
  LAB_NS,
  NC_NOTIF_NS,
  closeAll,
  connect,
  lab,
  labFilter,
  resetCandidate,
  seedSharedYangCache,
} from './helpers/lab';

/** The next message at `node` that satisfies `match`, within `ms`. */
function nextMatching(
  node: HelperNode,
  match: (msg: NodeMessage) => boolean,
  ms: number,
  what: string,
): Promise<NodeMessage> {
  return new Promise((resolve, reject) => {
    const onInput = (msg: NodeMessage): void => {
      if (!match(msg)) return;
      clearTimeout(timer);
      node.removeListener('input', onInput);
      resolve(msg);
    };
    const timer = setTimeout(() => {
      node.removeListener('input', onInput);
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    node.on('input', onInput);
  });
}

describe('Node-RED nodes against netconfd', { timeout: 120000 }, () => {
  before(async () => {
    await resetCandidate();
    // The nodes' RFC 7951 output loads YANG: from the lab's disk cache, never netconfd again.
    await seedSharedYangCache();
    await helper.startServer();
  });
  after(async () => {
    await helper.unload().catch(() => undefined);
    await helper.stopServer().catch(() => undefined);
    await resetCandidate();
  });

  it('get-config, an edit + commit, the config-change notification, and an edit in transaction mode', async () => {
    const l = lab();
    const flow = baseFlow(
      {
        id: 'dev',
        type: 'netconf-device',
        host: l.host,
        port: String(l.sshPort),
        transport: 'ssh',
        hostFingerprint: l.hostKeys.ed25519.fingerprint,
        connectTimeout: '20',
        rpcTimeout: '30',
      },
      {
        id: 'notif',
        type: 'netconf-notification',
        device: 'dev',
        filterType: 'subtree',
        filter: `<netconf-config-change xmlns="${NC_NOTIF_NS}"/>`,
        output: 'object',
        wires: [['events']],
      },
      { id: 'events', type: 'helper', wires: [] },
      {
        id: 'tx',
        type: 'netconf-edit-config',
        device: 'dev',
        transaction: true,
        output: 'object',
        wires: [['txDone']],
      },
      { id: 'txDone', type: 'helper', wires: [] },
      {
        id: 'edit',
        type: 'netconf-edit-config',
        device: 'dev',
        target: 'candidate',
        output: 'object',
        wires: [['commit']],
      },
      {
        id: 'commit',
        type: 'netconf-commit',
        device: 'dev',
        operation: 'commit',
        output: 'object',
        wires: [['committed']],
      },
      { id: 'committed', type: 'helper', wires: [] },
      {
        id: 'get',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        source: 'running',
        filterType: 'subtree',
        filter: labFilter,
        output: 'object',
        wires: [['got']],
      },
      { id: 'got', type: 'helper', wires: [] },
    );
    const caughtErrors: string[] = [];
    await helper.load(allNodes, flow, { dev: { username: l.users.admin.username, password: l.users.admin.password } });
    const notifStatuses = statuses(helper.getNode('notif') as HelperNode);
    (helper.getNode('caught') as HelperNode).on('input', (msg) =>
      caughtErrors.push(JSON.stringify((msg as { error?: unknown }).error)),
    );
    const getConfig = async (): Promise<{ lab?: { note?: string; item?: unknown } }> => {
      const gotMsg = nextMessage(helper.getNode('got') as HelperNode, 30000);
      helper.getNode('get')?.receive({ payload: '' });
      return (await gotMsg).payload as { lab?: { note?: string; item?: unknown } };
    };

    // the subscription is up (the node shows it once create-subscription succeeded)
    await until(
      () => notifStatuses.some((s) => /subscribed/.test(String(s.text))),
      30000,
      'the notification node to subscribe',
    );

    // 1. edit-config into the candidate, wired to a commit: the flow gets the config change
    const event = nextMatching(
      helper.getNode('events') as HelperNode,
      (msg) => msg.topic === 'netconf-config-change' && String((msg.netconf as { xml?: string }).xml).includes(LAB_NS),
      30000,
      'netconf-config-change message',
    );
    const committed = nextMessage(helper.getNode('committed') as HelperNode, 30000);
    helper.getNode('edit')?.receive({ payload: { lab: { '@xmlns': LAB_NS, note: 'edited then committed' } } });
    await committed;
    const n = await event;
    assert.equal((n.netconf as { namespace: string }).namespace, NC_NOTIF_NS);
    assert.match(String(n.eventTime), /Z$/);
    assert.match(JSON.stringify(n.payload), /lab:lab/);
    let data = await getConfig();
    assert.equal(data.lab?.note, 'edited then committed');

    // 3. an edit in transaction mode (lock, edit, validate, commit, unlock), then get-config shows it
    const txDone = nextMessage(helper.getNode('txDone') as HelperNode, 30000);
    helper.getNode('tx')?.receive({
      payload: `<lab xmlns="${LAB_NS}"><note>from node-red</note><item><id>7</id><name>seven</name></item></lab>`,
    });
    const tx = await txDone;
    assert.deepEqual(caughtErrors, [], 'no errors caught');
    assert.equal((tx.netconf as { operation: string }).operation, 'edit-config-transaction');
    data = await getConfig();
    assert.equal(
      data.lab?.note,
      'from node-red',
      "the transaction's edit is not in running (netconfd loses it when commit follows validate; see the header)",
    );
    assert.match(JSON.stringify(data.lab?.item), /seven/);

    // the transaction left the candidate unlocked
    const m = await connect();
    try {
      await m.lock('candidate');
      await m.unlock('candidate');
    } finally {
      await closeAll(m);
    }
    assert.deepEqual(caughtErrors, []);
  });
});
