/**
 * RFC 7951 JSON in the nodes, against the simulator (which serves its modules by get-schema):
 * json output of get, rpc and notification; RFC 7951 configs, filters and RPCs as input; the YANG
 * loaded once per session and shown in the status; the plain fallback (with warnings) for
 * modules the device cannot give; and the device editor's module count.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { DEMO_CONFIG } from '../../simulator/demo-model';
import { allNodes, baseFlow, collect, helper, statuses, until, type FlowNode, type HelperNode } from './helper';
import { adminCredentials, simDevice, startSimulator, watch, type NetconfSimulator } from './sim';

interface Warning {
  code?: string;
  tag?: string;
  message: string;
}
interface Meta {
  operation: string;
  warnings: Warning[];
  error?: { code: string; message: string };
}
const meta = (msg: NodeMessage): Meta => msg.netconf as Meta;

interface JsonInterfaces {
  'ietf-interfaces:interfaces': {
    interface: { name: string; enabled?: boolean; type?: string; description?: string }[];
  };
}

/** A module the simulator announces but cannot serve, with data in the running config. */
const NS_WIDGETS = 'urn:example:widgets';
const WIDGETS_CAPABILITY = `${NS_WIDGETS}?module=example-widgets&revision=2024-01-01`;
const WIDGETS_CONFIG = `<widgets xmlns="${NS_WIDGETS}"><widget><id>7</id><size>42</size></widget></widgets>`;

describe('RFC 7951 JSON in the nodes', { timeout: 120000 }, () => {
  let sim: NetconfSimulator | undefined;

  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(async () => {
    await helper.unload();
    await sim?.close();
    sim = undefined;
  });

  async function load(s: NetconfSimulator, ...nodes: FlowNode[]): Promise<void> {
    await helper.load(allNodes, baseFlow(simDevice(s), ...nodes), { dev: adminCredentials });
  }

  /** Sends `input` to node `id`; resolves with what reaches `out` or (with `toCatch`) the Catch node. */
  async function run(id: string, input: NodeMessage = { payload: '' }, toCatch = false): Promise<NodeMessage> {
    const outs = collect(helper.getNode('out') as HelperNode);
    const caught = collect(helper.getNode('caught') as HelperNode);
    const [o, c] = [outs.length, caught.length];
    helper.getNode(id)?.receive(input);
    await until(() => outs.length > o || caught.length > c, 10000, `a reply from ${id}`);
    if (toCatch) {
      if (outs.length > o) throw new Error(`${id} succeeded, expected an error`);
      return caught[c];
    }
    if (caught.length > c) throw new Error(`caught: ${(caught[c].error as { message: string }).message}`);
    return outs[o];
  }

  it('get-config json: typed lists and values, YANG loaded once per session, module count in the status', async () => {
    const s = await startSimulator();
    sim = s;
    const seen = watch(s);
    await load(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      source: 'running',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const seenStatus = statuses(helper.getNode('g') as HelperNode);
    const msg = await run('g', { payload: 'tick' });
    const payload = msg.payload as JsonInterfaces & {
      'netconf-simulator:system': { hostname: string; 'ntp-server': string[] };
    };
    const interfaces = payload['ietf-interfaces:interfaces'].interface;
    assert.deepEqual(
      interfaces.map((i) => i.name),
      ['eth0', 'eth1', 'eth2', 'lo0'],
    );
    assert.equal(interfaces[0].enabled, true, 'booleans are JSON booleans');
    assert.equal(interfaces[2].enabled, false);
    assert.equal(interfaces[0].type, 'iana-if-type:ethernetCsmacd', 'identityrefs are module-qualified');
    assert.deepEqual(payload['netconf-simulator:system']['ntp-server'], ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(meta(msg).warnings, []);
    const schemaFetches = seen.rpcs.filter((op) => op === 'get-schema').length;

    // A second message on the same session loads nothing again.
    const again = await run('g', { payload: 'tick' });
    assert.deepEqual(again.payload, msg.payload);
    assert.equal(seen.rpcs.filter((op) => op === 'get-schema').length, schemaFetches);
    await until(
      () => seenStatus.some((st) => /^session \d+ · \d+ YANG modules$/.test(String(st.text))),
      5000,
      'module count in the status',
    );
    const text = String(seenStatus.filter((st) => /YANG/.test(String(st.text))).pop()?.text);
    assert.ok(Number(/· (\d+) YANG/.exec(text)?.[1]) >= 4, text);
  });

  it('new nodes default to json; flows saved with object or xml keep their format', async () => {
    for (const file of ['netconf-get', 'netconf-rpc', 'netconf-notification']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const html = require('node:fs').readFileSync(
        require('node:path').resolve(__dirname, `../../../nodes/${file}.html`),
        'utf8',
      ) as string;
      assert.match(html, /output: \{ value: 'json' \}/, `${file} defaults to json`);
      assert.match(html, /<option value="json"/, `${file} offers json`);
    }
    const s = await startSimulator();
    sim = s;
    const seen = watch(s);
    await load(
      s,
      {
        id: 'o',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        filterType: 'none',
        output: 'object',
        wires: [['out']],
      },
      {
        id: 'x',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        filterType: 'none',
        output: 'xml',
        wires: [['out']],
      },
      { id: 'none', type: 'netconf-get', device: 'dev', operation: 'get-config', filterType: 'none', wires: [['out']] },
    );
    const plain = await run('o');
    assert.ok((plain.payload as { interfaces: unknown }).interfaces, 'object output unchanged');
    assert.match(String((await run('x')).payload), /^<data[\s>]/);
    assert.ok(
      ((await run('none')).payload as { interfaces: unknown }).interfaces,
      'no output property: object, as before json existed',
    );
    assert.ok(!seen.rpcs.includes('get-schema'), 'no YANG is loaded when no node needs it');
  });

  it('RFC 7951 input: a filter (node json and msg.netconf.filter), an edit-config, an RPC', async () => {
    const s = await startSimulator();
    sim = s;
    await load(
      s,
      {
        id: 'g',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        source: 'running',
        filter: '{"ietf-interfaces:interfaces": {"interface": [{"name": "eth1"}]}}',
        filterType: 'json',
        output: 'json',
        wires: [['out']],
      },
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', output: 'object', wires: [['out']] },
      { id: 'r', type: 'netconf-rpc', device: 'dev', rpc: '', output: 'json', wires: [['out']] },
    );
    const filtered = (await run('g')).payload as JsonInterfaces;
    assert.deepEqual(
      filtered['ietf-interfaces:interfaces'].interface.map((i) => i.name),
      ['eth1'],
    );

    const edit = await run('e', {
      payload: {
        'ietf-interfaces:interfaces': {
          interface: [{ name: 'eth2', description: 'set from RFC 7951', enabled: true }],
        },
      },
    });
    assert.deepEqual(edit.payload, { ok: true });
    const readBack = await run('g', {
      payload: '',
      netconf: { filter: { 'ietf-interfaces:interfaces': { interface: [{ name: 'eth2' }] } } },
    });
    const eth2 = (readBack.payload as JsonInterfaces)['ietf-interfaces:interfaces'].interface[0];
    assert.equal(eth2.description, 'set from RFC 7951');
    assert.equal(eth2.enabled, true);

    // An RPC as RFC 7951 JSON; its output as { "module:output": {...} }.
    const rpc = await run('r', {
      payload: { 'ietf-netconf-monitoring:get-schema': { identifier: 'netconf-simulator' } },
    });
    assert.equal(meta(rpc).operation, 'get-schema');
    const output = (rpc.payload as Record<string, { data: unknown }>)['ietf-netconf-monitoring:output'];
    assert.ok(output, JSON.stringify(rpc.payload).slice(0, 200));
    assert.match(JSON.stringify(output.data), /module netconf-simulator/);
    // <ok/> stays { ok: true }.
    assert.deepEqual((await run('r', { payload: '<discard-changes/>' })).payload, { ok: true });
  });

  it('bad RFC 7951 input fails to the Catch node with NETCONF_INVALID_INPUT; nothing is sent', async () => {
    const s = await startSimulator();
    sim = s;
    const seen = watch(s);
    await load(s, { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [['out']] });
    const caught = await run('e', { payload: { 'no-such-module:thing': { a: 1 } } }, true);
    assert.equal((caught.error as { code: string }).code, 'NETCONF_INVALID_INPUT');
    assert.match((caught.error as { message: string }).message, /no-such-module/);
    assert.equal(meta(caught).error?.code, 'NETCONF_INVALID_INPUT');
    assert.ok(!seen.rpcs.includes('edit-config'));
  });

  it('a module the device cannot give: that subtree plain, the rest typed, and msg.netconf.warnings says so', async () => {
    const s = await startSimulator({
      extraCapabilities: [WIDGETS_CAPABILITY],
      initialConfig: `${DEMO_CONFIG}${WIDGETS_CONFIG}`,
    });
    sim = s;
    await load(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const msg = await run('g');
    const payload = msg.payload as JsonInterfaces & Record<string, unknown>;
    assert.equal(payload['ietf-interfaces:interfaces'].interface[0].enabled, true, 'known modules stay typed');
    // Plain: the member still named by module (from the hello), values as strings, no forced arrays.
    assert.deepEqual(payload['example-widgets:widgets'], { widget: { id: '7', size: '42' } });
    const warnings = meta(msg).warnings;
    assert.ok(warnings.length >= 1);
    assert.ok(
      warnings.every((w) => w.code === 'NETCONF_YANG_FALLBACK'),
      JSON.stringify(warnings),
    );
    assert.match(warnings.map((w) => w.message).join('\n'), /widgets/);
  });

  it('notification json: events typed by the device YANG, a plain fallback with a warning for an unknown module', async () => {
    const s = await startSimulator({ notificationIntervalMs: 100 });
    sim = s;
    const seen = watch(s);
    await load(
      s,
      {
        id: 'n',
        type: 'netconf-notification',
        device: 'dev',
        stream: 'NETCONF',
        filterType: 'none',
        output: 'json',
        wires: [['out']],
      },
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [[]] },
    );
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.some((m) => m.topic === 'heartbeat'), 5000, 'a heartbeat');
    // The schema was loaded before the subscription was made.
    assert.ok(
      seen.rpcs.indexOf('create-subscription') > seen.rpcs.lastIndexOf('get-schema') ||
        !seen.rpcs.includes('get-schema'),
    );
    const beat = got.find((m) => m.topic === 'heartbeat') as NodeMessage;
    const event = (beat.payload as Record<string, { sequence: string; uptime: string }>)['netconf-simulator:heartbeat'];
    assert.ok(event, JSON.stringify(beat.payload));
    assert.equal(typeof event.sequence, 'string', 'uint64 is a string in RFC 7951');
    assert.deepEqual(meta(beat).warnings, []);

    // ietf-netconf-notifications is not among the simulator's modules: plain, with a warning.
    helper
      .getNode('e')
      ?.receive({
        payload: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth1</name><description>x</description></interface></interfaces>`,
      });
    await until(() => got.some((m) => m.topic === 'netconf-config-change'), 5000, 'a config change event');
    const change = got.find((m) => m.topic === 'netconf-config-change') as NodeMessage;
    assert.ok(
      Object.keys(change.payload as object).some((k) => k.endsWith('netconf-config-change')),
      JSON.stringify(change.payload),
    );
    assert.ok(meta(change).warnings.length >= 1);
    assert.equal(meta(change).warnings[0].code, 'NETCONF_YANG_FALLBACK');
  });

  it('notification with an RFC 7951 filter: only the matching events', async () => {
    const s = await startSimulator({ notificationIntervalMs: 100 });
    sim = s;
    await load(
      s,
      {
        id: 'n',
        type: 'netconf-notification',
        device: 'dev',
        stream: 'NETCONF',
        filter: '{"netconf-simulator:heartbeat": {}}',
        filterType: 'json',
        output: 'json',
        wires: [['out']],
      },
      { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [[]] },
    );
    const got = collect(helper.getNode('out') as HelperNode);
    await until(() => got.length >= 1, 5000, 'a heartbeat');
    helper
      .getNode('e')
      ?.receive({
        payload: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth1</name><description>y</description></interface></interfaces>`,
      });
    await until(() => got.length >= 4, 5000, 'more heartbeats');
    assert.deepEqual([...new Set(got.map((m) => m.topic))], ['heartbeat'], 'the config change was filtered out');
  });

  it('after a reconnect the YANG comes from the process-wide cache: no get-schema, the count shown again', async () => {
    const first = await startSimulator();
    sim = first;
    const port = first.port;
    await helper.load(
      allNodes,
      baseFlow(simDevice(first, 'dev', { reconnectMax: '1' }), {
        id: 'g',
        type: 'netconf-get',
        device: 'dev',
        operation: 'get-config',
        filterType: 'none',
        output: 'json',
        wires: [['out']],
      }),
      { dev: adminCredentials },
    );
    const seenStatus = statuses(helper.getNode('g') as HelperNode);
    await run('g');
    await first.close();
    await until(() => seenStatus.some((st) => st.fill === 'red'), 5000, 'the session lost');
    const second = await startSimulator({ port });
    sim = second;
    const seen = watch(second);
    const before = seenStatus.length;
    const msg = await run('g');
    assert.ok((msg.payload as JsonInterfaces)['ietf-interfaces:interfaces'].interface.length === 4);
    assert.ok(!seen.rpcs.includes('get-schema'), `fetched again: ${seen.rpcs.join(', ')}`);
    await until(
      () => seenStatus.slice(before).some((st) => /YANG modules$/.test(String(st.text))),
      5000,
      'the module count after the reconnect',
    );
  });

  it('a device that announces no modules: json output is plain throughout, each subtree with a NETCONF_YANG_FALLBACK warning', async () => {
    // No module capabilities at all: the schema is empty, every subtree is converted plainly.
    const s = await startSimulator({ capabilities: ['urn:ietf:params:netconf:capability:writable-running:1.0'] });
    sim = s;
    await load(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const msg = await run('g');
    assert.ok(meta(msg).warnings.length >= 1);
    assert.ok(meta(msg).warnings.every((w) => w.code === 'NETCONF_YANG_FALLBACK'));
    assert.ok(JSON.stringify(msg.payload).includes('eth0'));
  });

  it('the device editor: Test connection reports the YANG modules, and the deployed device its count', async () => {
    const s = await startSimulator();
    sim = s;
    await load(s, {
      id: 'g',
      type: 'netconf-get',
      device: 'dev',
      operation: 'get-config',
      filterType: 'none',
      output: 'json',
      wires: [['out']],
    });
    const device = simDevice(s);
    const test = await helper
      .request()
      .post('/netconf-device/dev/test')
      .send({ ...device, ...adminCredentials });
    assert.equal(test.body.ok, true, JSON.stringify(test.body));
    const yang = test.body.yang as { modules: number; fetched: number; cached: number; warnings: string[] };
    assert.ok(yang.modules >= 4, JSON.stringify(yang));
    assert.ok(yang.cached >= yang.modules);

    await run('g');
    const deployed = await helper.request().get('/netconf-device/dev/yang');
    assert.equal(deployed.body.deployed, true);
    assert.equal(deployed.body.modules, yang.modules);
    const missing = await helper.request().get('/netconf-device/nope/yang');
    assert.equal(missing.body.deployed, false);
  });
});
