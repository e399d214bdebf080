import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfSimulator, NS_SIM, NS_NETMOD_NOTIFICATION } from '../../simulator';
import { errorsOf, isOk, RawClient, texts } from '../helpers/simulator-client';
import { memorySessionPerTest } from '../helpers/simulator-per-test';

const N = 'xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"';

describe('notifications (RFC 5277)', { timeout: 20000 }, () => {
  const t = memorySessionPerTest({ notificationIntervalMs: 25 });

  test('periodic heartbeat events arrive after create-subscription', async () => {
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}/>`)));
    const first = await t.c.waitNotification('heartbeat');
    const second = await t.c.waitNotification('heartbeat', 3000, 1);
    const seq = (n: typeof first): number => Number(texts(n, 'sequence')[0]);
    assert.equal(seq(second), seq(first) + 1);
    const eventTime = first.children.find((x) => x.local === 'eventTime')!.text;
    assert.ok(!Number.isNaN(Date.parse(eventTime)));
    // the reply to create-subscription came before any notification
    const firstReply = t.c.messages.findIndex((m) => m.root?.local === 'rpc-reply');
    const firstNotif = t.c.messages.findIndex((m) => m.root?.local === 'notification');
    assert.ok(firstReply < firstNotif);
    // interleave: operations still work during the subscription
    assert.ok(isOk(await t.c.rpc('<discard-changes/>')));
  });

  test('only one subscription per session; unknown stream; bad times', async () => {
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}/>`)));
    assert.equal(errorsOf(await t.c.rpc(`<create-subscription ${N}/>`))[0].tag, 'operation-failed');
    const d = await RawClient.memory(t.sim).handshake();
    try {
      assert.equal(
        errorsOf(await d.rpc(`<create-subscription ${N}><stream>OTHER</stream></create-subscription>`))[0].tag,
        'invalid-value',
      );
      const future = new Date(Date.now() + 60000).toISOString();
      assert.equal(
        errorsOf(await d.rpc(`<create-subscription ${N}><startTime>${future}</startTime></create-subscription>`))[0]
          .tag,
        'invalid-value',
      );
      assert.equal(
        errorsOf(await d.rpc(`<create-subscription ${N}><stopTime>${future}</stopTime></create-subscription>`))[0].tag,
        'missing-element',
      );
      assert.equal(
        errorsOf(await d.rpc(`<create-subscription ${N}><startTime>yesterday</startTime></create-subscription>`))[0]
          .tag,
        'invalid-value',
      );
    } finally {
      d.close();
    }
  });

  test('replay from startTime, then replayComplete, then live events', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    t.sim.publishXml(`<custom xmlns="urn:example:e"><n>1</n></custom>`);
    t.sim.publishXml(`<custom xmlns="urn:example:e"><n>2</n></custom>`);
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}><startTime>${since}</startTime></create-subscription>`)));
    await t.c.waitNotification('replayComplete');
    const names = t.c.notifications().map((n) => n.children[1]?.local);
    const rc = names.indexOf('replayComplete');
    const replayed = t.c
      .notifications()
      .slice(0, rc)
      .filter((n) => n.children[1]?.local === 'custom');
    assert.deepEqual(
      replayed.map((n) => texts(n, 'n')[0]),
      ['1', '2'],
    );
    assert.equal(t.c.notifications()[rc].children[1].ns, NS_NETMOD_NOTIFICATION);
    t.sim.publishXml(`<custom xmlns="urn:example:e"><n>3</n></custom>`);
    const live = await t.c.waitNotification('custom', 3000, 2);
    assert.deepEqual(texts(live, 'n'), ['3']);
  });

  test('stopTime ends the subscription with notificationComplete', async () => {
    const start = new Date(Date.now() - 1000).toISOString();
    const stop = new Date(Date.now() + 150).toISOString();
    assert.ok(
      isOk(
        await t.c.rpc(
          `<create-subscription ${N}><startTime>${start}</startTime><stopTime>${stop}</stopTime></create-subscription>`,
        ),
      ),
    );
    await t.c.waitNotification('notificationComplete');
    const count = t.c.notifications().length;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(t.c.notifications().length, count, 'nothing after notificationComplete');
    // the session can subscribe again
    assert.ok(isOk(await t.c.rpc(`<create-subscription ${N}/>`)));
  });

  test('a subscription filter selects events', async () => {
    const filtered = new NetconfSimulator();
    const d = await RawClient.memory(filtered).handshake();
    try {
      assert.ok(
        isOk(
          await d.rpc(
            `<create-subscription ${N}><filter type="subtree"><custom xmlns="urn:example:e"><kind>b</kind></custom></filter></create-subscription>`,
          ),
        ),
      );
      filtered.publishXml(`<custom xmlns="urn:example:e"><kind>a</kind></custom>`);
      filtered.publishXml(`<custom xmlns="urn:example:e"><kind>b</kind></custom>`);
      filtered.publishXml(`<other xmlns="urn:example:e"/>`);
      const n = await d.waitNotification('custom');
      assert.deepEqual(texts(n, 'kind'), ['b']);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(d.notifications().length, 1);
    } finally {
      d.close();
      await filtered.close();
    }
  });

  test('config-change after an edit of running, with the edit target', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          `<create-subscription ${N}><filter type="subtree"><netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/></filter></create-subscription>`,
        ),
      ),
    );
    assert.ok(
      isOk(
        await t.c.rpc(
          `<edit-config><target><running/></target><config><system xmlns="${NS_SIM}"><location>moved</location></system></config></edit-config>`,
        ),
      ),
    );
    const n = await t.c.waitNotification('netconf-config-change');
    assert.deepEqual(texts(n, 'target'), ['/sim:system/sim:location']);
    assert.deepEqual(texts(n, 'operation'), ['merge']);
    assert.deepEqual(texts(n, 'username'), ['tester']);
  });
});
