/**
 * Node tests that need no NETCONF server: loading, missing configuration, unreachable devices,
 * input checked before anything is sent or queued, the bounded queue, credentials kept out of
 * the flow, and the editor files' registerType calls as the Flow Library parses them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { allNodes, baseFlow, helper, nextMessage, NODE_TYPES, statuses, until, type HelperNode } from './helper';

const root = path.resolve(__dirname, '../../..');

/** A TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A server that accepts TCP connections and never says anything (a hung device). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function device(
  port: number,
  extra: Record<string, unknown> = {},
): { id: string; type: string } & Record<string, unknown> {
  return {
    id: 'dev',
    type: 'netconf-device',
    host: '127.0.0.1',
    port: String(port),
    transport: 'ssh',
    verifyHostKey: false,
    connectTimeout: '2',
    ...extra,
  };
}

function errorOf(msg: Record<string, unknown>): { message: string; code?: string; source?: { id: string } } {
  return msg.error as { message: string; code?: string; source?: { id: string } };
}

function netconfError(msg: Record<string, unknown>): Record<string, unknown> {
  return (msg.netconf as { error: Record<string, unknown> }).error;
}

describe('netconf nodes without a server', { timeout: 60000 }, () => {
  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(() => helper.unload());

  it('registers every node type', async () => {
    const port = await closedPort();
    const flow = baseFlow(
      device(port),
      { id: 'ch', type: 'netconf-callhome', port: '0' },
      ...NODE_TYPES.filter((t) => t !== 'netconf-device' && t !== 'netconf-callhome').map((type) => ({
        id: type,
        type,
        device: 'dev',
        wires: [[]],
      })),
    );
    await helper.load(allNodes, flow);
    for (const type of NODE_TYPES) {
      const id = type === 'netconf-device' ? 'dev' : type === 'netconf-callhome' ? 'ch' : type;
      assert.ok(helper.getNode(id), `${type} was created`);
    }
  });

  it('fails messages to a Catch node when no device is configured', async () => {
    await helper.load(allNodes, baseFlow({ id: 'g', type: 'netconf-get', device: '', wires: [['out']] }));
    const caught = helper.getNode('caught') as HelperNode;
    const got = nextMessage(caught);
    helper.getNode('g')?.receive({ payload: 1 });
    const msg = await got;
    assert.match(errorOf(msg).message, /missing-device|no NETCONF device/);
    assert.equal(errorOf(msg).source?.id, 'g');
  });

  it('shows connecting then the reason, and fails queued messages with the connect error', async () => {
    const port = await closedPort();
    await helper.load(
      allNodes,
      baseFlow(device(port), { id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] }),
    );
    const g = helper.getNode('g') as HelperNode;
    const seen = statuses(g);
    const caught = helper.getNode('caught') as HelperNode;
    const got = nextMessage(caught);
    g.receive({ payload: 'x' });
    const msg = await got;
    assert.equal(errorOf(msg).code, 'NETCONF_NOT_CONNECTED');
    assert.match(errorOf(msg).message, /ECONNREFUSED/);
    assert.equal(netconfError(msg).code, 'NETCONF_NOT_CONNECTED');
    await until(() => seen.some((s) => s.fill === 'red' && s.shape === 'ring'), 5000, 'red status');
    assert.ok(
      seen.some((s) => s.fill === 'yellow' && s.text === 'connecting') ||
        seen.indexOf(seen.find((s) => s.fill === 'red')!) >= 0,
    );
    assert.match(String(seen.find((s) => s.fill === 'red')?.text), /ECONNREFUSED|cannot connect/);
  });

  it('rejects bad input at once, before waiting for a session', async () => {
    const hung = await silentServer();
    try {
      await helper.load(
        allNodes,
        baseFlow(
          device(hung.port, { connectTimeout: '20', queueTimeout: '20' }),
          { id: 'e', type: 'netconf-edit-config', device: 'dev', target: 'running', wires: [['out']] },
          {
            id: 'g',
            type: 'netconf-get',
            device: 'dev',
            operation: 'get-config',
            source: 'running',
            filter: '<a><b></a>',
            filterType: 'subtree',
            wires: [['out']],
          },
          { id: 'l', type: 'netconf-lock', device: 'dev', operation: 'lock', target: 'running', wires: [['out']] },
          { id: 'r', type: 'netconf-rpc', device: 'dev', rpc: '', wires: [['out']] },
        ),
      );
      const caught = helper.getNode('caught') as HelperNode;
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ['e', {}, /payload/],
        ['e', { payload: '<interfaces><interface>' }, /well-formed/],
        ['g', {}, /filter is not well-formed/],
        ['l', { netconf: { target: 'no such thing!' } }, /unknown target datastore/],
        ['r', { payload: '<rpc><get/></rpc>' }, /without the <rpc> element/],
      ];
      for (const [id, input, pattern] of cases) {
        const started = Date.now();
        const got = nextMessage(caught, 3000);
        helper.getNode(id)?.receive(input);
        const msg = await got;
        assert.equal(errorOf(msg).code, 'NETCONF_INVALID_INPUT', `${id}: ${errorOf(msg).message}`);
        assert.match(errorOf(msg).message, pattern);
        assert.ok(Date.now() - started < 2000, 'failed without waiting');
      }
    } finally {
      await helper.unload();
      await hung.close();
    }
  });

  it('bounds the queue of messages waiting for the session', async () => {
    const hung = await silentServer();
    try {
      await helper.load(
        allNodes,
        baseFlow(device(hung.port, { connectTimeout: '20', queueSize: '2', queueTimeout: '1' }), {
          id: 'g',
          type: 'netconf-get',
          device: 'dev',
          wires: [['out']],
        }),
      );
      const caught = helper.getNode('caught') as HelperNode;
      const errors: string[] = [];
      caught.on('input', (msg) => errors.push(errorOf(msg).message));
      const g = helper.getNode('g') as HelperNode;
      for (let i = 0; i < 3; i++) g.receive({ payload: i });
      await until(() => errors.length >= 1, 1000, 'overflow error');
      assert.match(errors[0], /queue full/);
      await until(() => errors.length >= 3, 3000, 'timeouts');
      assert.match(errors[1], /no session within 1 s/);
    } finally {
      await helper.unload();
      await hung.close();
    }
  });

  it('keeps credentials out of the flow configuration', async () => {
    const port = await closedPort();
    const secrets = {
      username: 'admin',
      password: 'Secret-Password-1',
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETKEY\n',
      passphrase: 'Secret-Phrase-2',
    };
    const flow = baseFlow(
      { ...device(port), credentials: secrets },
      { id: 'g', type: 'netconf-get', device: 'dev', wires: [[]] },
    );
    await helper.load(allNodes, baseFlow(device(port)));
    await helper.setFlows(flow, 'full');
    const exported = JSON.stringify(helper._redNodes.getFlows());
    for (const value of Object.values(secrets))
      assert.ok(!exported.includes(value.trim().split('\n').pop() ?? value), 'no secret in the flow');
    assert.ok(!exported.includes('Secret-Password-1'));
    assert.equal(helper._redNodes.getCredentials('dev')?.password, 'Secret-Password-1');
    // The editor strips what the type declares as credentials when exporting.
    const html = readFileSync(path.join(root, 'nodes/netconf-device.html'), 'utf8');
    for (const key of ['username', 'password', 'privateKey', 'passphrase']) {
      assert.match(html, new RegExp(`credentials:[\\s\\S]*${key}: \\{ type: '(text|password)' \\}`));
      assert.doesNotMatch(html.split('credentials:')[0], new RegExp(`\\b${key}:`), `${key} is not a plain property`);
    }
  });
});

describe('editor files and examples', () => {
  // The Flow Library's checker reads registerType('<literal>', {...}) from <script type="text/javascript">.
  const registered = new Map<string, string>();
  for (const file of readdirSync(path.join(root, 'nodes')).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(root, 'nodes', file), 'utf8');
    const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const match =
      /RED\.nodes\.registerType\('([\w-]+)',\s*\{\s*category:\s*'([\w-]+)',\s*color:\s*'(#[0-9A-Fa-f]{6})',\s*icon:\s*'([\w.-]+)'/.exec(
        script,
      );
    if (match) registered.set(match[1], match[2]);
    it(`${file} registers its type with literal category, colour and icon`, () => {
      assert.ok(match, 'registerType with literals');
      assert.equal(`${match[1]}.html`, file);
      assert.match(html, new RegExp(`data-template-name="${match[1]}"`));
      // The help lives in the editor file or, as Node-RED also reads it, in locales/en-US/<file>.
      const localeHelp = path.join(root, 'nodes', 'locales', 'en-US', file);
      const help = html + (existsSync(localeHelp) ? readFileSync(localeHelp, 'utf8') : '');
      assert.match(help, new RegExp(`data-help-name="${match[1]}"`));
      if (match[2] !== 'config') {
        for (const section of ['Details', 'References']) assert.match(html, new RegExp(`<h3>${section}</h3>`));
        assert.match(html, /<h3>Outputs<\/h3>/);
      }
      const icon = match[4];
      assert.ok(readdirSync(path.join(root, 'icons')).includes(icon), `icon ${icon} exists`);
    });
  }

  it('uses one palette category for the operation nodes', () => {
    const categories = new Set([...registered.values()].filter((c) => c !== 'config'));
    assert.deepEqual([...categories], ['netconf']);
  });

  it('examples use every non-config node type', () => {
    const used = new Set<string>();
    for (const file of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json'))) {
      const flow = JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as { type: string }[];
      assert.ok(Array.isArray(flow), `${file} is a flat array`);
      for (const n of flow) used.add(n.type);
    }
    for (const [type, category] of registered)
      if (category !== 'config') assert.ok(used.has(type), `${type} is used by an example`);
  });
});
