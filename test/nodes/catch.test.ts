/**
 * What a Catch node gets, exactly as every node's help describes it: Node-RED (4.1) builds
 * msg.error = { message, source, code, stack, cause } itself and moves our msg.error to
 * msg._error; the full details are in msg.netconf.error, msg.error.cause and msg._error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { NodeMessage } from '../../nodes/shared/red-types';
import { collect, helper, NODE_TYPES, until, type HelperNode } from './helper';
import { loadWithDevice, simulatorsPerTest } from './sim';

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const root = path.resolve(__dirname, '../../..');

/** Checks the documented shape and returns the details. */
function checkCaught(msg: NodeMessage, nodeId: string, code: string): Record<string, unknown> {
  const error = msg.error as Record<string, unknown>;
  assert.deepEqual(Object.keys(error).sort(), ['cause', 'code', 'message', 'source', 'stack']);
  assert.equal((error.source as { id: string }).id, nodeId);
  assert.equal(error.code, code);
  assert.equal(typeof error.stack, 'string');
  const details = (msg.netconf as { error: Record<string, unknown> }).error;
  assert.equal(details.code, code);
  assert.equal(details.message, error.message);
  assert.deepEqual(error.cause, details);
  assert.deepEqual(msg._error, details);
  return details;
}

describe('errors as Catch nodes see them', { timeout: 60000 }, () => {
  const startSimulator = simulatorsPerTest();

  it('an rpc-error: code is the error-tag, every field in msg.netconf.error, msg.error.cause and msg._error', async () => {
    const s = await startSimulator();
    await loadWithDevice(s, {
      id: 'e',
      type: 'netconf-edit-config',
      device: 'dev',
      target: 'running',
      wires: [['out']],
    });
    const caught = collect(helper.getNode('caught') as HelperNode);
    helper.getNode('e')?.receive({
      payload: `<interfaces xmlns="${IF}"><interface><name>eth1</name><enabled>maybe</enabled></interface></interfaces>`,
    });
    await until(() => caught.length >= 1, 8000, 'the error');
    const details = checkCaught(caught[0], 'e', 'invalid-value');
    assert.equal(details.tag, 'invalid-value');
    assert.deepEqual(details.info, { 'bad-element': 'enabled' });
    assert.ok(Array.isArray(details.errors));
  });

  it('bad input: NETCONF_INVALID_INPUT with the same shape', async () => {
    const s = await startSimulator();
    await loadWithDevice(s, { id: 'g', type: 'netconf-get', device: 'dev', wires: [['out']] });
    const caught = collect(helper.getNode('caught') as HelperNode);
    helper.getNode('g')?.receive({ payload: 1, netconf: { filter: '<interfaces' } });
    await until(() => caught.length >= 1, 8000, 'the error');
    checkCaught(caught[0], 'g', 'NETCONF_INVALID_INPUT');
  });

  it('a refused subscription: topic subscription-error, operation create-subscription, the same shape', async () => {
    const s = await startSimulator();
    await loadWithDevice(s, {
      id: 'n',
      type: 'netconf-notification',
      device: 'dev',
      stream: 'NO-SUCH-STREAM',
      wires: [['out']],
    });
    const caught = collect(helper.getNode('caught') as HelperNode);
    await until(() => caught.length >= 1, 8000, 'the error');
    const msg = caught[0];
    assert.equal(msg.topic, 'subscription-error');
    assert.equal((msg.netconf as { operation: string }).operation, 'create-subscription');
    const code = (msg.error as { code: string }).code;
    checkCaught(msg, 'n', code);
    assert.match(code, /^[a-z-]+$/, 'an error-tag');
  });

  it("every node that sends to Catch nodes documents msg.error's shape, msg.error.cause, msg.netconf.error and msg._error", () => {
    const catching = NODE_TYPES.filter((t) => t !== 'netconf-device' && t !== 'netconf-callhome');
    for (const type of catching) {
      const html = readFileSync(path.join(root, 'nodes', `${type}.html`), 'utf8');
      const help = html.slice(html.indexOf('data-help-name'));
      assert.match(help, /<h4>Errors<\/h4>/, type);
      assert.match(help, /\{ message, source: \{ id, type, name, count \}, code, stack, cause \}/, type);
      for (const property of ['msg.error.code', 'msg.error.cause', 'msg.netconf.error', 'msg._error']) {
        assert.ok(help.includes(`<code>${property}</code>`), `${type} documents ${property}`);
      }
      assert.match(help, /message, code, tag, type, severity, appTag, path, info, infoXml, errors/, type);
    }
  });
});
