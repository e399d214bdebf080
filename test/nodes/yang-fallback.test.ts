/**
 * The nodes' YANG loading when it fails outright (the simulator always gives a schema, if an
 * empty one, so this is tested on the pieces): the session's load never rejects, is tried once
 * per session, and json output then falls back to the plain object with NETCONF_YANG_UNAVAILABLE.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceConnection } from '../../nodes/shared/connection';
import { formatReply } from '../../nodes/shared/message';
import { RpcReply, type Manager } from '../../src/index';
import { readMessage } from '../../src/session/message';

const DATA_REPLY = `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data><interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth0</name></interface></interfaces></data></rpc-reply>`;

function connection(): DeviceConnection {
  return new DeviceConnection({ open: () => Promise.reject(new Error('unused')), label: 'test', rpcTimeout: 1 });
}

describe('YANG load failures in the nodes', () => {
  it('a failing loadYang resolves with the reason, once per session', async () => {
    let calls = 0;
    const manager = {
      yang: undefined,
      loadYang: () => {
        calls++;
        return Promise.reject(new Error('get-schema exploded'));
      },
    } as unknown as Manager;
    const c = connection();
    const [a, b] = await Promise.all([c.yang(manager), c.yang(manager)]);
    assert.deepEqual(a, { error: 'get-schema exploded' });
    assert.equal(b, a);
    assert.deepEqual(await c.yang(manager), a);
    assert.equal(calls, 1);
  });

  it('json output without a schema: the plain object and a NETCONF_YANG_UNAVAILABLE warning; <ok/> needs none', async () => {
    const reply = new RpcReply(await readMessage(DATA_REPLY), [], 1);
    const { payload, warnings } = await formatReply(reply, 'json', { error: 'get-schema exploded' });
    assert.deepEqual(payload, {
      interfaces: { '@xmlns': 'urn:ietf:params:xml:ns:yang:ietf-interfaces', interface: { name: 'eth0' } },
    });
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'NETCONF_YANG_UNAVAILABLE');
    assert.match(warnings[0].message, /get-schema exploded.*plain object/);

    const ok = new RpcReply(
      await readMessage('<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="2"><ok/></rpc-reply>'),
      [],
      1,
    );
    assert.deepEqual(await formatReply(ok, 'json', undefined), { payload: { ok: true }, warnings: [] });
  });
});
