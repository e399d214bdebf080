/**
 * Operation nodes against the device simulator: outputs, msg.netconf, errors reaching a Catch
 * node, status, the queue while connecting, the transaction, and sessions closed on redeploy.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { allNodes, baseFlow, collect, helper, statuses, until, type FlowNode, type HelperNode } from './helper';
import { adminCredentials, simDevice, startSimulator, watch, type NetconfSimulator } from './sim';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

interface Meta {
  operation: string;
  device: string;
  sessionId: number;
  messageId: string;
  rttMs: number;
  warnings: unknown[];
  error?: Record<string, unknown>;
}

const meta = (msg: NodeMessage): Meta => msg.netconf as Meta;
const errorOf = (msg: NodeMessage): { message: string; code?: string; source?: { id: string } } =>
  msg.error as { message: string; code?: string; source?: { id: string } };

describe('operation nodes against the simulator', { timeout: 120000 }, () => {
  let sim: NetconfSimulator;
  let seen: ReturnType<typeof watch>;

  before(async () => {
    await helper.startServer();
  });
  after(() => helper.stopServer());
  beforeEach(async () => {
    sim = await startSimulator({ confirmTimeoutUnitMs: 50 });
    seen = watch(sim);
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
  });

  async function load(...nodes: FlowNode[]): Promise<void> {
    await helper.load(allNodes, baseFlow(simDevice(sim), ...nodes), { dev: adminCredentials });
  }

  /** Sends `input` to node `id` and resolves with what reaches `out` (or fails on a Catch). */
  async function run(id: string, input: NodeMessage = { payload: '' }): Promise<NodeMessage> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode(id)?.receive(input);
    await until(() => outs.length > o || caught.length > c, 8000, `a reply from ${id}`);
    if (caught.length > c) throw new Error(`caught: ${errorOf(caught[c]).message}`);
    return outs[o];
  }

  /** Sends `input` to node `id` and resolves with what reaches the Catch node. */
  async function runToCatch(id: string, input: NodeMessage): Promise<NodeMessage> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode(id)?.receive(input);
    await until(() => outs.length > o || caught.length > c, 8000, `an error from ${id}`);
    if (outs.length > o) throw new Error(`${id} succeeded, expected an error`);
    return caught[c];
  }

  it('get-config: the running configuration as an object, with msg.netconf', async () => {
    await load({
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      filterType: 'none',
      output: 'object',
      wires: [['out']],
    });
    const msg = await run('g', { payload: 'tick', topic: 'keep me' });
    const payload = msg.payload as { interfaces: { interface: { name: string }[] } };
    assert.deepEqual(
      payload.interfaces.interface.map((i) => i.name),
      ['eth0', 'eth1', 'eth2', 'lo0'],
    );
    assert.equal(msg.topic, 'keep me');
    const m = meta(msg);
    assert.equal(m.operation, 'get-config');
    assert.equal(m.device, 'sim-dev');
    assert.equal(typeof m.sessionId, 'number');
    assert.equal(typeof m.messageId, 'string');
    assert.ok(m.rttMs >= 0);
    assert.deepEqual(m.warnings, []);
  });

  it('get: subtree and XPath filters, XML output, msg.netconf.filter override', async () => {
    await load(
      {
        id: 's',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get',
        filter: `<interfaces-state xmlns="${IF}"/>`,
        filterType: 'subtree',
        output: 'xml',
        wires: [['out']],
      },
      {
        id: 'x',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        source: 'running',
        filter: "/if:interfaces/if:interface[if:name='eth1']",
        filterType: 'xpath',
        namespaces: `{"if": "${IF}"}`,
        output: 'object',
        wires: [['out']],
      },
      {
        id: 'p',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        source: 'running',
        filter: `<interfaces xmlns="${IF}"/>`,
        filterType: 'subtree',
        output: 'xml-pretty',
        wires: [['out']],
      },
    );
    const xml = (await run('s')).payload as string;
    assert.match(xml, /^<data[\s>]/);
    assert.match(xml, /in-octets/);
    assert.doesNotMatch(xml, /<system/);
    // xml-pretty: the same data, one element per line and indented.
    const pretty = (await run('p')).payload as string;
    assert.match(pretty, /^<data[^>]*>\n {2}<interfaces xmlns="[^"]+">\n {4}<interface>\n {6}<name>eth0<\/name>\n/);
    const one = (await run('x')).payload as { interfaces: { interface: { name: string } } };
    assert.equal(one.interfaces.interface.name, 'eth1');
    const other = (await run('x', { netconf: { filter: `<system xmlns="urn:example:simulator"/>` } }))
      .payload as Record<string, unknown>;
    assert.deepEqual(Object.keys(other), ['system']);
  });

  it('shows connecting, then the session, on every node of the device', async () => {
    const flow = baseFlow(
      simDevice(sim),
      { id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] },
      { id: 'l', type: 'netconf-lock', device: 'dev', wires: [['out']] },
    );
    await helper.load(allNodes, baseFlow(), {});
    const watched: Record<string, ReturnType<typeof statuses>> = {};
    // Statuses are set while the flow starts: spy on the prototype-level call events by node id.
    const spyStatuses = (id: string): void => {
      const n = helper.getNode(id);
      if (n) watched[id] = statuses(n);
    };
    await helper.setFlows(flow, 'full', { dev: adminCredentials });
    spyStatuses('g');
    spyStatuses('l');
    await until(() => ['g', 'l'].every((id) => watched[id]?.some((s) => s.fill === 'green')), 5000, 'green status');
    for (const id of ['g', 'l']) {
      const green = watched[id].find((s) => s.fill === 'green');
      assert.equal(green?.shape, 'dot');
      assert.match(String(green?.text), /^session \d+$/);
    }
    // Both nodes share one session.
    assert.equal(sim.sessions.size, 1);
  });

  it('answers messages that arrive while the session is being opened', async () => {
    await load({
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      wires: [['out']],
    });
    const got = collect(helper.getNode('out') as HelperNode);
    const g = helper.getNode('g') as HelperNode;
    for (let i = 0; i < 5; i++) g.receive({ payload: i });
    await until(() => got.length === 5, 8000, 'five replies');
    assert.deepEqual(
      got.map((m) => m.payload !== undefined),
      [true, true, true, true, true],
    );
    assert.equal(new Set(got.map((m) => meta(m).sessionId)).size, 1);
  });

  it('edit-config: applies an object config; rpc-errors reach the Catch node with their fields', async () => {
    await load(
      {
        id: 'e',
        type: 'netconf-edit-config',
        device: 'dev',
        target: 'running',
        defaultOperation: 'merge',
        wires: [['out']],
      },
      {
        id: 'g',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        source: 'running',
        filter: `<interfaces xmlns="${IF}"><interface><name>eth2</name></interface></interfaces>`,
        filterType: 'subtree',
        wires: [['out']],
      },
    );
    const done = await run('e', {
      payload: { interfaces: { '@xmlns': IF, interface: { name: 'eth2', description: 'set by a test' } } },
    });
    assert.deepEqual(done.payload, { ok: true });
    assert.equal(meta(done).operation, 'edit-config');
    const read = (await run('g')).payload as { interfaces: { interface: { description: string } } };
    assert.equal(read.interfaces.interface.description, 'set by a test');

    const failed = await runToCatch('e', {
      payload: `<interfaces xmlns="${IF}"><interface><name>eth1</name><enabled>maybe</enabled></interface></interfaces>`,
    });
    assert.equal(errorOf(failed).source?.id, 'e');
    assert.equal(errorOf(failed).code, 'invalid-value');
    assert.match(errorOf(failed).message, /not a boolean/);
    const details = meta(failed).error as Record<string, unknown>;
    assert.equal(details.tag, 'invalid-value');
    assert.equal(details.type, 'application');
    assert.equal(details.severity, 'error');
    assert.match(String(details.path), /eth1/);
    assert.deepEqual(details.info, { 'bad-element': 'enabled' });
  });

  it('edit-config transaction: lock, edit (test-then-set), confirmed commit, unlock; confirmed by a commit node', async () => {
    await load(
      {
        id: 't',
        type: 'netconf-edit-config',
        device: 'dev',
        transaction: true,
        confirmed: true,
        confirmTimeout: '100',
        wires: [['out']],
      },
      { id: 'c', type: 'netconf-commit', device: 'dev', operation: 'commit', wires: [['out']] },
    );
    const done = await run('t', {
      payload: `<interfaces xmlns="${IF}"><interface><name>eth2</name><description>tx</description></interface></interfaces>`,
    });
    assert.equal(meta(done).operation, 'edit-config-transaction');
    assert.deepEqual(
      seen.rpcs.filter((op) => ['lock', 'edit-config', 'validate', 'commit', 'unlock'].includes(op)),
      ['lock', 'edit-config', 'commit', 'unlock'],
    );
    assert.match(sim.getConfigXml('running'), /<description>tx<\/description>/);
    await run('c');
    // 100 units of 50 ms: had the confirming commit not worked, the change would roll back in 5 s.
    assert.match(sim.getConfigXml('running'), /<description>tx<\/description>/);
  });

  it('edit-config transaction: a failing step discards the candidate and unlocks', async () => {
    await load({ id: 't', type: 'netconf-edit-config', device: 'dev', transaction: true, wires: [['out']] });
    const failed = await runToCatch('t', {
      payload: `<interfaces xmlns="${IF}"><interface><name>eth9</name></interface></interfaces>`,
    });
    assert.equal(errorOf(failed).code, 'data-missing');
    await until(() => seen.rpcs.includes('unlock'), 3000, 'unlock');
    assert.deepEqual(seen.rpcs.slice(-2), ['discard-changes', 'unlock']);
    assert.ok(!seen.rpcs.includes('commit'));
    assert.doesNotMatch(sim.getConfigXml('candidate'), /eth9/);
  });

  it('commit node: confirmed commit, cancel-commit (rollback), validate, discard-changes', async () => {
    await load(
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'candidate', wires: [['out']] },
      {
        id: 'cc',
        type: 'netconf-commit',
        device: 'dev',
        operation: 'confirmed-commit',
        confirmTimeout: '200',
        wires: [['out']],
      },
      { id: 'x', type: 'netconf-commit', device: 'dev', operation: 'cancel-commit', wires: [['out']] },
      { id: 'v', type: 'netconf-commit', device: 'dev', operation: 'validate', source: 'candidate', wires: [['out']] },
      { id: 'd', type: 'netconf-commit', device: 'dev', operation: 'discard-changes', wires: [['out']] },
    );
    await run('e', {
      payload: `<interfaces xmlns="${IF}"><interface><name>eth2</name><description>rollback me</description></interface></interfaces>`,
    });
    assert.deepEqual((await run('v')).payload, { ok: true });
    await run('cc');
    assert.match(sim.getConfigXml('running'), /rollback me/);
    assert.equal(meta(await run('x')).operation, 'cancel-commit');
    assert.doesNotMatch(sim.getConfigXml('running'), /rollback me/);
    await run('e', {
      payload: `<interfaces xmlns="${IF}"><interface><name>eth2</name><description>discard me</description></interface></interfaces>`,
    });
    await run('d');
    assert.doesNotMatch(sim.getConfigXml('candidate'), /discard me/);
    const bad = await runToCatch('cc', { netconf: { confirmTimeout: 'soon' } });
    assert.equal(errorOf(bad).code, 'NETCONF_INVALID_INPUT');
  });

  it('lock node: a second session is denied with the holder in msg.netconf.error.info', async () => {
    const flow = baseFlow(
      simDevice(sim),
      simDevice(sim, 'dev2'),
      { id: 'l1', type: 'netconf-lock', device: 'dev', operation: 'lock', target: 'running', wires: [['out']] },
      { id: 'l2', type: 'netconf-lock', device: 'dev2', operation: 'lock', target: 'running', wires: [['out']] },
      {
        id: 'u1',
        type: 'netconf-lock',
        device: 'dev',
        operation: 'unlock',
        target: 'running',
        output: 'xml',
        wires: [['out']],
      },
    );
    await helper.load(allNodes, flow, { dev: adminCredentials, dev2: adminCredentials });
    const locked = await run('l1');
    const holder = meta(locked).sessionId;
    const denied = await runToCatch('l2', {});
    assert.equal(errorOf(denied).code, 'lock-denied');
    assert.equal((meta(denied).error as { info: Record<string, string> }).info['session-id'], String(holder));
    const unlocked = await run('u1');
    assert.match(String(unlocked.payload), /<ok[ />]/);
  });

  it('rpc node: template, msg.payload, data replies and errors', async () => {
    await load(
      {
        id: 'schema',
        type: 'netconf-rpc',
        device: 'dev',
        rpc: '<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><identifier>ietf-interfaces</identifier></get-schema>',
        output: 'object',
        wires: [['out']],
      },
      { id: 'any', type: 'netconf-rpc', device: 'dev', rpc: '', output: 'object', wires: [['out']] },
    );
    const schema = await run('schema');
    assert.equal(meta(schema).operation, 'get-schema');
    assert.match(JSON.stringify(schema.payload), /module ietf-interfaces/);
    // The plain object output: the schema text itself, not { data: { '#text': ... } }.
    assert.equal(typeof schema.payload, 'string');
    assert.match(schema.payload as string, /^module ietf-interfaces \{/);
    const copied = await run('any', {
      payload: '<copy-config><target><startup/></target><source><running/></source></copy-config>',
    });
    assert.deepEqual(copied.payload, { ok: true });
    assert.equal(meta(copied).operation, 'copy-config');
    const data = await run('any', { payload: { 'get-config': { source: { running: '' } } } });
    assert.ok((data.payload as Record<string, unknown>).interfaces);
    const failed = await runToCatch('any', { payload: '<kill-session><session-id>999</session-id></kill-session>' });
    assert.equal(errorOf(failed).source?.id, 'any');
    assert.ok(
      errorOf(failed).code && !errorOf(failed).code?.startsWith('NETCONF_'),
      `an rpc-error tag (${errorOf(failed).code})`,
    );
  });

  it('fails a slow RPC with NETCONF_TIMEOUT and keeps the session', async () => {
    await helper.load(
      allNodes,
      baseFlow(simDevice(sim, 'dev', { rpcTimeout: '1' }), {
        id: 'g',
        type: 'netconf-get',
        device: 'dev',
        wires: [['out']],
      }),
      { dev: adminCredentials },
    );
    await run('g');
    sim.setFaults({ delayMs: 2000 });
    const failed = await runToCatch('g', {});
    assert.equal(errorOf(failed).code, 'NETCONF_TIMEOUT');
    sim.clearFaults();
    const again = await run('g');
    assert.ok(again.payload);
  });

  it('closes the session with <close-session> on redeploy and on removal', async () => {
    await load({ id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] });
    await run('g');
    await helper.unload();
    await until(() => seen.ends.length === 1, 5000, 'session end');
    assert.equal(seen.ends[0].closeSession, true);

    // Removing the device and its node in a "nodes" deploy closes the session the same way.
    await load({ id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] });
    await run('g');
    await helper.setFlows(baseFlow(), 'nodes');
    await until(() => seen.ends.length === 2, 5000, 'second session end');
    assert.equal(seen.ends[1].closeSession, true);
  });
});
