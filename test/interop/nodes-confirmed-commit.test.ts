/**
 * The nodes' persistent confirmed commit against netconfd (issue 15): a confirmed commit from a
 * netconf-commit node survives a full redeploy (which closes the node's session) and is then
 * confirmed by the "confirm" node with its persist-id; one left to lapse is rolled back by
 * netconfd, the node's status says so, and "confirm" fails instead of reporting success.
 *
 * The edit goes to the candidate with a plain netconf-edit-config (not the transaction mode: see
 * nodes.test.ts for netconfd's validate-then-commit quirk). netconfd runs its rollback timer only
 * when its loop idles, so the rollback is polled once every 1.5 s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allNodes, baseFlow, collect, helper, statuses, until, type FlowNode, type HelperNode } from '../nodes/helper';
import type { NodeMessage } from '../../nodes/shared/red-types';
import type { Manager } from '../../src/manager';
import { LAB_NS, closeAll, connect, lab, labFilter, resetCandidate, sleep } from './helpers/lab';

const note = (text: string): string => `<lab xmlns="${LAB_NS}"><note>${text}</note></lab>`;

describe('persistent confirmed commits from the nodes against netconfd', { timeout: 180000 }, () => {
  let m: Manager;
  let flow: FlowNode[];
  let credentials: Record<string, Record<string, string>>;

  before(async () => {
    m = await connect();
    await resetCandidate(m);
    await helper.startServer();
    const l = lab();
    credentials = { dev: { username: l.users.admin.username, password: l.users.admin.password } };
    flow = baseFlow(
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
      { id: 'edit', type: 'netconf-edit-config', device: 'dev', target: 'candidate', wires: [['out']] },
      { id: 'cc', type: 'netconf-commit', device: 'dev', operation: 'confirmed-commit', confirmTimeout: '120' },
      { id: 'ok', type: 'netconf-commit', device: 'dev', operation: 'confirm' },
    ).map((n) => (n.id === 'cc' || n.id === 'ok' ? { ...n, wires: [['out']] } : n));
    await helper.load(allNodes, flow, credentials);
  });
  after(async () => {
    await helper.unload().catch(() => undefined);
    await helper.stopServer().catch(() => undefined);
    await resetCandidate(m).catch(() => undefined);
    await closeAll(m);
  });

  async function runningNote(): Promise<string | undefined> {
    const r = await m.getConfig({ source: 'running', filter: labFilter });
    return /<note>([^<]*)<\/note>/.exec(r.dataXml)?.[1];
  }

  async function send(id: string, input: NodeMessage = { payload: '' }): Promise<{ out?: NodeMessage; err?: string }> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode(id)?.receive(input);
    await until(() => outs.length > o || caught.length > c, 30000, `a reply from ${id}`);
    return caught.length > c ? { err: JSON.stringify(caught[c].error) } : { out: outs[o] };
  }

  it('a redeploy inside the window keeps the change, and "confirm" confirms it with the persist-id', async () => {
    const text = `kept-${process.pid}`;
    assert.ok((await send('edit', { payload: note(text) })).out);
    const made = await send('cc');
    assert.ok(made.out, made.err);
    const persistId = (made.out.netconf as { persistId?: string }).persistId;
    assert.match(String(persistId), /^node-red-/);
    assert.equal(await runningNote(), text);

    await helper.setFlows(flow, 'full', credentials);
    await sleep(3000); // netconfd would roll a session-bound confirmed commit back now
    assert.equal(await runningNote(), text);

    const confirmed = await send('ok');
    assert.ok(confirmed.out, confirmed.err);
    assert.equal((confirmed.out.netconf as { persistId?: string }).persistId, persistId);
    await sleep(3000);
    assert.equal(await runningNote(), text);
  });

  it('left to lapse: netconfd rolls back, the status says so, and "confirm" fails', async () => {
    const before = await runningNote();
    const text = `lapses-${process.pid}`;
    const ccStatuses = statuses(helper.getNode('cc') as HelperNode);
    assert.ok((await send('edit', { payload: note(text) })).out);
    const made = await send('cc', { payload: '', netconf: { confirmTimeout: 2 } });
    assert.ok(made.out, made.err);
    assert.equal(await runningNote(), text);
    const started = Date.now();
    while ((await runningNote()) === text) {
      assert.ok(Date.now() - started < 60000, 'netconfd did not roll back within 60 s');
      await sleep(1500);
    }
    assert.equal(await runningNote(), before);
    await until(() => ccStatuses.some((s) => s.fill === 'red' && /not confirmed/.test(String(s.text))), 5000, 'lapse');
    const confirm = await send('ok');
    assert.ok(confirm.err, 'confirm after the rollback must fail');
  });
});
