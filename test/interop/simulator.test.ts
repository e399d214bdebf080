/**
 * Debian's python3-ncclient as a client of OUR simulator (simulator, the demo device): the
 * hello, get-config, lock, edit-config, commit, unlock, the edit visible afterwards (to ncclient
 * and to our library), rpc-errors as ncclient parses them, and a notification. An independent
 * client keeps the simulator honest. Needs no lab server, only the reference client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, NS_IF, type NetconfSimulator } from '../../simulator';
import { connectSsh } from '../../src/connect';
import { Manager } from '../../src/manager';
import { canonicalChildren } from './helpers/canon';
import { closeAll } from './helpers/lab';
import { ncclient, type NcStep } from './helpers/ncclient';

let sim: NetconfSimulator;

before(async () => {
  sim = await startSimulator({ users: { admin: 'admin' } });
});

after(async () => {
  await sim?.close();
});

function run(actions: NcStep[], onEvent?: (e: Record<string, unknown>) => void) {
  return ncclient(
    {
      host: sim.host,
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostkeyB64: sim.hostPublicKey.split(/\s+/)[1],
      timeout: 20,
      actions,
    },
    { noLab: true, onEvent },
  );
}

async function ours(): Promise<Manager> {
  return new Manager(
    await connectSsh({
      host: sim.host,
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
      timeout: 10,
    }),
    { timeout: 20 },
  );
}

const ifFilter = `<interfaces xmlns="${NS_IF}"/>`;

test('ncclient: hello (host key pinned), capabilities, get-config equal to what our library reads', async () => {
  const out = await run([{ op: 'get-config', source: 'running', filter: ifFilter }]);
  assert.equal(out.exitCode, 0, out.stderr);
  assert.ok(out.ok, JSON.stringify(out.result));
  assert.ok(Number(out.sessionId) > 0);
  for (const cap of [
    'urn:ietf:params:netconf:base:1.1',
    'urn:ietf:params:netconf:capability:candidate:1.0',
    'urn:ietf:params:netconf:capability:notification:1.0',
  ]) {
    assert.ok(out.serverCapabilities.includes(cap), `missing ${cap}`);
  }
  assert.match(out.result?.data ?? '', /eth0/);
  const m = await ours();
  try {
    const mine = await m.getConfig({ source: 'running', filter: ifFilter });
    assert.equal(canonicalChildren(out.result?.data ?? ''), canonicalChildren(mine.dataXml));
  } finally {
    await closeAll(m);
  }
});

test('ncclient: lock, edit-config, commit, unlock; the edit is visible to both clients', async () => {
  const edit = `<interfaces xmlns="${NS_IF}"><interface><name>eth1</name><description>set by ncclient</description></interface></interfaces>`;
  const out = await run([
    { op: 'lock', target: 'candidate' },
    { op: 'edit-config', target: 'candidate', config: edit },
    { op: 'validate' },
    { op: 'commit' },
    { op: 'unlock', target: 'candidate' },
    {
      op: 'get-config',
      source: 'running',
      filter: `<interfaces xmlns="${NS_IF}"><interface><name>eth1</name></interface></interfaces>`,
    },
  ]);
  assert.ok(out.ok, JSON.stringify(out.results.map((r) => [r.op, r.ok, r.errors, r.exception])));
  assert.match(out.result?.data ?? '', /set by ncclient/);
  const m = await ours();
  try {
    const r = await m.getConfig({
      source: 'running',
      filter: `<interfaces xmlns="${NS_IF}"><interface><name>eth1</name></interface></interfaces>`,
    });
    assert.match(r.dataXml, /set by ncclient/);
  } finally {
    await closeAll(m);
  }
});

test('ncclient: lock-denied while our library holds the lock, as an rpc-error ncclient can read', async () => {
  const m = await ours();
  try {
    await m.lock('candidate');
    const out = await run([{ op: 'lock', target: 'candidate' }]);
    assert.equal(out.exitCode, 0, out.stderr);
    const e = out.result?.errors[0];
    assert.equal(e?.tag, 'lock-denied');
    assert.equal(e?.type, 'protocol');
    assert.equal(e?.severity, 'error');
    assert.match(e?.info ?? '', new RegExp(`<session-id[^>]*>${m.sessionId}</session-id>`));
    await m.unlock('candidate');
  } finally {
    await closeAll(m);
  }
});

test('ncclient: receives a netconf-config-change notification for a commit made by our library', async () => {
  const m = await ours();
  let edited: Promise<unknown> | undefined;
  try {
    const out = await run([{ op: 'wait-notification', timeout: 15, match: 'netconf-config-change' }], (e) => {
      if (e.event === 'subscribed') {
        edited = m
          .editConfig(
            `<interfaces xmlns="${NS_IF}"><interface><name>eth2</name><description>notify ncclient</description></interface></interfaces>`,
            { target: 'candidate' },
          )
          .then(() => m.commit());
      }
    });
    await edited;
    assert.ok(out.ok, JSON.stringify(out.result));
    const n = out.result?.notifications?.[0];
    assert.ok(n);
    assert.match(n.xml, /netconf-config-change/);
    assert.ok(n.eventTime && !Number.isNaN(Date.parse(n.eventTime)), `eventTime ${n.eventTime}`);
  } finally {
    await closeAll(m);
  }
});
