/**
 * RFC 7951 JSON in the nodes, against the simulator (which serves its modules by get-schema):
 * json output of get and rpc; RFC 7951 configs, filters and RPCs as input; the YANG loaded once
 * per session and shown in the status; the plain fallback (with warnings) for modules the device
 * cannot give. Notifications, reconnects and the device editor: rfc7951-session.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_CONFIG } from '../../simulator/demo-model';
import { helper, statuses, until, type HelperNode } from './helper';
import { loadWithDevice, simulatorsPerTest, watch } from './sim';
import { meta, run, WIDGETS_CAPABILITY, WIDGETS_CONFIG, type JsonInterfaces } from './rfc7951-helper';

describe('RFC 7951 JSON in the nodes', { timeout: 120000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('get-config json: typed lists and values, YANG loaded once per session, module count in the status', async () => {
    const s = await startSimulator();
    const seen = watch(s);
    await loadWithDevice(s, {
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
      const html = readFileSync(resolve(__dirname, `../../../nodes/${file}.html`), 'utf8');
      assert.match(html, /output: \{ value: 'json' \}/, `${file} defaults to json`);
      assert.match(html, /<option value="json"/, `${file} offers json`);
    }
    const s = await startSimulator();
    const seen = watch(s);
    await loadWithDevice(
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
    await loadWithDevice(
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
    const seen = watch(s);
    await loadWithDevice(s, {
      id: 'e',
      type: 'netconf-edit-config',
      device: 'dev',
      target: 'running',
      wires: [['out']],
    });
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
    await loadWithDevice(s, {
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
});
