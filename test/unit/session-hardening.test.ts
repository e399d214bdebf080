/**
 * Issue 12 items 5, 6, 7 and 9, against a scripted server: timeouts never mean "wait forever",
 * rpc-errors nested in vendor output fail the call, a reply without message-id is attributed only
 * where it cannot be wrong, and RpcError keeps the server's error-message as netconf_client does.
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/session/session';
import { Manager } from '../../src/manager';
import { RpcError, RpcTimeoutError } from '../../src/errors';
import { cancelCommitRpc } from '../../src/operations/rpc';
import type { Logger } from '../../src/logger';
import { errorDetails } from '../../nodes/shared/message';
import { BASE, ScriptedPeer } from '../helpers/scripted-peer';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (message: string) => lines.push(message) };
}

async function open(peer: ScriptedPeer, options: Parameters<typeof Session.start>[1] = {}): Promise<Session> {
  const started = Session.start(peer.clientStream, { helloTimeout: 5, firstRpcNudge: 0, ...options });
  peer.hello();
  return started;
}

const ERROR = (tag: string, severity: string, message: string): string =>
  `<rpc-error><error-type>application</error-type><error-tag>${tag}</error-tag>` +
  `<error-severity>${severity}</error-severity><error-message>${message}</error-message></rpc-error>`;

// --- item 5: timeouts ------------------------------------------------------------------------

test('timeouts of 0, -1 or NaN seconds fall back to 120 s: the RPC is never left waiting forever', async () => {
  const peer = new ScriptedPeer();
  const logger = recorder();
  const s = await open(peer, { logger });
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const calls = [0, -1, Number.NaN].map((timeout) => s.sendRpc('<get/>', { timeout }));
    const m = new Manager(s, { timeout: 0, logger });
    calls.push(m.get());
    const results: unknown[] = [];
    for (const c of calls)
      c.then(
        () => results.push('resolved'),
        (e: unknown) => results.push(e),
      );
    await peer.waitForRpcs(4);
    mock.timers.tick(119_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(results.length, 0, 'nothing times out before 120 s');
    mock.timers.tick(1_001);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(results.length, 4, 'every call timed out after 120 s');
    for (const result of results) assert.ok(result instanceof RpcTimeoutError, String(result));
  } finally {
    mock.timers.reset();
  }
  assert.ok(
    logger.lines.some((l) => /WARNING: .*timeout 0 .*120/.test(l)),
    logger.lines.join('\n'),
  );
  peer.drop();
});

test('Manager.timeout: an assigned 0, -1, NaN or Infinity becomes 120; setRpcTimeout() sets it', async () => {
  const peer = new ScriptedPeer();
  const s = await open(peer);
  const m = new Manager(s, { timeout: -1 });
  assert.equal(m.timeout, 120);
  for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
    m.timeout = 7;
    m.timeout = bad;
    assert.equal(m.timeout, 120, `timeout = ${bad}`);
  }
  m.setRpcTimeout(2.5);
  assert.equal(m.timeout, 2.5);
  peer.drop();
});

test('helloTimeout 0 falls back to the default instead of failing at once', async () => {
  const peer = new ScriptedPeer();
  const started = Session.start(peer.clientStream, { helloTimeout: 0 });
  await new Promise((r) => setTimeout(r, 20));
  peer.hello();
  const s = await started;
  assert.equal(s.sessionId, 7);
  peer.drop();
});

// --- item 6: rpc-errors nested in vendor replies ----------------------------------------------

test('rpc-errors nested in RPC output (Junos load-configuration-results) fail the call, all in errors', async () => {
  const peer = new ScriptedPeer();
  const s = await open(peer);
  const call = s.sendRpc('<load-configuration/>');
  const [rpc] = await peer.waitForRpcs(1);
  peer.reply(
    rpc.id,
    `<load-configuration-results xmlns="urn:junos">${ERROR('invalid-value', 'error', 'syntax error')}` +
      `<nested>${ERROR('bad-attribute', 'error', 'second')}</nested>${ERROR('x', 'warning', 'w')}<ok/></load-configuration-results>`,
  );
  const err = await call.then(
    () => assert.fail('a reply with nested rpc-errors must reject'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof RpcError);
  assert.equal(err.errors.length, 3);
  assert.deepEqual(
    err.errors.map((e) => e.tag),
    ['invalid-value', 'bad-attribute', 'x'],
  );
  assert.equal(err.tag, 'invalid-value');
  peer.drop();
});

test('nested warnings only are a success; an rpc-error inside <data> is data, not an error', async () => {
  const peer = new ScriptedPeer();
  const s = await open(peer);
  const warned = s.sendRpc('<load-configuration/>');
  const data = s.sendRpc('<get/>');
  const [a, b] = await peer.waitForRpcs(2);
  peer.reply(a.id, `<results xmlns="urn:junos">${ERROR('x', 'warning', 'careful')}<ok/></results>`);
  peer.reply(b.id, `<data><log xmlns="urn:log">${ERROR('x', 'error', 'logged')}</log></data>`);
  assert.deepEqual(
    (await warned).warnings.map((w) => w.message),
    ['careful'],
  );
  assert.match((await data).xml, /logged/);
  peer.drop();
});

// --- item 7: replies without message-id -------------------------------------------------------

test('an id-less reply with several RPCs in flight is dropped with a warning; each caller gets its own reply', async () => {
  const peer = new ScriptedPeer();
  const logger = recorder();
  const s = await open(peer, { logger });
  const warnings: string[] = [];
  s.on('warning', (w) => warnings.push(w));
  const first = s.sendRpc('<get/>');
  const second = s.sendRpc('<get/>');
  const rpcs = await peer.waitForRpcs(2);
  peer.send(`<rpc-reply xmlns="${BASE}"><data><stray xmlns="urn:x"/></data></rpc-reply>`);
  peer.reply(rpcs[0].id, '<data><mine xmlns="urn:x">1</mine></data>');
  peer.reply(rpcs[1].id, '<data><mine xmlns="urn:x">2</mine></data>');
  assert.match((await first).xml, /<mine xmlns="urn:x">1</);
  assert.match((await second).xml, /<mine xmlns="urn:x">2</);
  assert.ok(
    warnings.some((w) => /without message-id/.test(w)),
    warnings.join('\n'),
  );
  assert.ok(logger.lines.some((l) => /WARNING: .*without message-id/.test(l)));
  peer.drop();
});

test('an id-less rpc-error with exactly one RPC in flight fails that RPC', async () => {
  const peer = new ScriptedPeer();
  const s = await open(peer);
  const only = s.sendRpc('<get/>');
  await peer.waitForRpcs(1);
  peer.send(`<rpc-reply xmlns="${BASE}">${ERROR('malformed-message', 'error', 'bad')}</rpc-reply>`);
  await assert.rejects(only, (e: unknown) => e instanceof RpcError && e.tag === 'malformed-message');
  peer.drop();
});

// --- item 9: port fidelity --------------------------------------------------------------------

test("RpcError.message is the server's error-message exactly; tag, type and path are in toString()", () => {
  const xml = '<rpc-reply/>';
  const err = new RpcError(
    [{ type: 'application', tag: 'invalid-value', severity: 'error', path: '/a/b', message: 'bad value' }],
    xml,
  );
  assert.equal(err.message, 'bad value');
  assert.equal(String(err), 'RpcError: bad value (tag invalid-value, type application, path /a/b)');
  assert.equal(err.replyRaw, xml);
  assert.equal(new RpcError([{ tag: 'lock-denied', severity: 'error' }], xml).message, '');
  // The Node-RED Catch message stays informative: tag and message.
  const details = errorDetails(err);
  assert.match(details.message, /bad value/);
  assert.match(details.message, /invalid-value/);
});

test("cancelCommit({ persistId: '' }) sends <cancel-commit/> as netconf_client does", () => {
  assert.equal(cancelCommitRpc(''), '<cancel-commit/>');
  assert.equal(cancelCommitRpc('p1'), '<cancel-commit><persist-id>p1</persist-id></cancel-commit>');
});
