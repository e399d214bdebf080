import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NS_SIM, NS_NETCONF_NOTIFICATIONS } from '../../simulator';
import { errorsOf, findAll, isOk, RawClient, texts } from '../helpers/simulator-client';
import { memorySessionPerTest } from '../helpers/simulator-per-test';

const setHost = (h: string): string =>
  `<edit-config><target><candidate/></target><config><system xmlns="${NS_SIM}"><hostname>${h}</hostname></system></config></edit-config>`;
const getRunning = '<get-config><source><running/></source></get-config>';
const SUB = '<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"/>';

async function hostname(c: RawClient, store = 'running'): Promise<string> {
  return texts(await c.rpc(`<get-config><source><${store}/></source></get-config>`), 'hostname')[0];
}

describe('commit and confirmed commit', { timeout: 20000 }, () => {
  // One confirm-timeout "second" lasts 40 ms here.
  const t = memorySessionPerTest({ confirmTimeoutUnitMs: 40 });

  test('commit copies candidate to running and emits netconf-config-change', async () => {
    assert.ok(isOk(await t.c.rpc(SUB)));
    assert.ok(isOk(await t.c.rpc(setHost('committed'))));
    assert.equal(await hostname(t.c), 'sim-device');
    assert.ok(isOk(await t.c.rpc('<commit/>')));
    assert.equal(await hostname(t.c), 'committed');
    const n = await t.c.waitNotification('netconf-config-change');
    const change = n.children.find((x) => x.local === 'netconf-config-change')!;
    assert.equal(change.ns, NS_NETCONF_NOTIFICATIONS);
    assert.deepEqual(texts(change, 'session-id'), [String(t.c.sessionId)]);
    assert.deepEqual(texts(change, 'datastore'), ['running']);
    const target = findAll(change, 'target')[0];
    assert.equal(target.text, '/sim:system/sim:hostname');
    assert.equal(target.scope.sim, NS_SIM);
    assert.deepEqual(texts(change, 'operation'), ['replace']);
  });

  test('a confirmed commit rolls back when not confirmed in time', async () => {
    assert.ok(isOk(await t.c.rpc(SUB)));
    assert.ok(isOk(await t.c.rpc(setHost('temp'))));
    assert.ok(isOk(await t.c.rpc('<commit><confirmed/><confirm-timeout>2</confirm-timeout></commit>')));
    assert.equal(await hostname(t.c), 'temp');
    const start = await t.c.waitNotification('netconf-confirmed-commit');
    assert.deepEqual(texts(start, 'confirm-event'), ['start']);
    assert.deepEqual(texts(start, 'timeout'), ['2']);
    const timeout = await t.c.waitNotification('netconf-confirmed-commit', 3000, 1);
    assert.deepEqual(texts(timeout, 'confirm-event'), ['timeout']);
    assert.equal(await hostname(t.c), 'sim-device');
    assert.equal(await hostname(t.c, 'candidate'), 'sim-device');
  });

  test('a confirming commit keeps the change', async () => {
    assert.ok(isOk(await t.c.rpc(setHost('kept'))));
    assert.ok(isOk(await t.c.rpc('<commit><confirmed/><confirm-timeout>3</confirm-timeout></commit>')));
    assert.ok(isOk(await t.c.rpc('<commit/>')));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await hostname(t.c), 'kept');
  });

  test('the issuing session ending cancels a non-persistent confirmed commit', async () => {
    const other = await RawClient.memory(t.sim).handshake();
    assert.ok(isOk(await other.rpc(setHost('gone'))));
    assert.ok(isOk(await other.rpc('<commit><confirmed/></commit>')));
    assert.equal(await hostname(t.c), 'gone');
    // not this session's to confirm
    assert.equal(errorsOf(await t.c.rpc('<commit/>'))[0].tag, 'operation-failed');
    const ended = new Promise((r) => t.sim.once('session-end', r));
    other.close();
    await ended;
    assert.equal(await hostname(t.c), 'sim-device');
  });

  test('persist / persist-id: confirm from another session; cancel-commit', async () => {
    assert.ok(isOk(await t.c.rpc(setHost('p1'))));
    assert.ok(isOk(await t.c.rpc('<commit><confirmed/><persist>tok</persist></commit>')));
    const other = await RawClient.memory(t.sim).handshake();
    try {
      assert.equal(
        errorsOf(await other.rpc('<commit><persist-id>wrong</persist-id></commit>'))[0].tag,
        'invalid-value',
      );
      assert.equal(errorsOf(await other.rpc('<commit/>'))[0].tag, 'invalid-value');
      assert.ok(isOk(await other.rpc('<commit><persist-id>tok</persist-id></commit>')));
      assert.equal(await hostname(t.c), 'p1');
      // cancel-commit with nothing pending
      assert.equal(errorsOf(await other.rpc('<cancel-commit/>'))[0].tag, 'operation-failed');
      // persisted again, survives its session, cancelled from another
      assert.ok(isOk(await t.c.rpc(setHost('p2'))));
      assert.ok(isOk(await t.c.rpc('<commit><confirmed/><persist>tok2</persist></commit>')));
      t.c.close();
      await t.c.closedPromise;
      await new Promise((r) => setImmediate(r));
      assert.equal(await hostname(other), 'p2');
      assert.equal(
        errorsOf(await other.rpc('<cancel-commit><persist-id>nope</persist-id></cancel-commit>'))[0].tag,
        'invalid-value',
      );
      assert.ok(isOk(await other.rpc('<cancel-commit><persist-id>tok2</persist-id></cancel-commit>')));
      assert.equal(await hostname(other), 'p1');
      assert.equal(
        errorsOf(await other.rpc('<commit><persist>a</persist><persist-id>b</persist-id></commit>'))[0].tag,
        'invalid-value',
      );
    } finally {
      other.close();
    }
  });

  test('a follow-up confirmed commit extends the timeout and keeps the first snapshot', async () => {
    assert.ok(isOk(await t.c.rpc(setHost('a'))));
    assert.ok(isOk(await t.c.rpc('<commit><confirmed/><confirm-timeout>3</confirm-timeout></commit>')));
    assert.ok(isOk(await t.c.rpc(setHost('b'))));
    assert.ok(isOk(await t.c.rpc('<commit><confirmed/><confirm-timeout>3</confirm-timeout></commit>')));
    assert.equal(await hostname(t.c), 'b');
    assert.ok(isOk(await t.c.rpc('<cancel-commit/>')));
    assert.equal(await hostname(t.c), 'sim-device');
  });

  test('commit is in-use while another session holds the running lock; invalid confirm-timeout', async () => {
    const other = await RawClient.memory(t.sim).handshake();
    try {
      assert.ok(isOk(await other.rpc('<lock><target><running/></target></lock>')));
      assert.equal(errorsOf(await t.c.rpc('<commit/>'))[0].tag, 'in-use');
      assert.equal(
        errorsOf(await t.c.rpc('<commit><confirmed/><confirm-timeout>0</confirm-timeout></commit>'))[0].tag,
        'invalid-value',
      );
    } finally {
      other.close();
    }
  });

  test('commit validates the candidate', async () => {
    assert.ok(
      isOk(
        await t.c.rpc(
          `<edit-config><target><candidate/></target><test-option>set</test-option><config><system xmlns="${NS_SIM}"><hostname></hostname></system></config></edit-config>`,
        ),
      ),
    );
    assert.equal(errorsOf(await t.c.rpc('<commit/>'))[0].tag, 'invalid-value');
    assert.equal(texts(await t.c.rpc(getRunning), 'hostname')[0], 'sim-device');
  });
});
