/**
 * Issue 12 item 4: RFC 8526 get-data's origin filters are `<origin-filter>` and
 * `<negated-origin-filter>`, whose values are ietf-origin identities (prefix declared); the
 * simulator refuses the wrong names the way a device would.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, InvalidInputError, Manager, RpcError } from '../../src';
import { getDataRpc } from '../../src/operations/rpc';
import { parseTree } from '../../src/xml/element';
import { NetconfSimulator, NS_IF } from '../../simulator';

const NMDA = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
const ORIGIN = 'urn:ietf:params:xml:ns:yang:ietf-origin';

test('getDataRpc: origin-filter and negated-origin-filter, the or prefix declared', () => {
  const positive = parseTree(getDataRpc({ origin: ['or:intended', 'learned'], withOrigin: true }));
  const filters = positive.children.filter((c) => c.local === 'origin-filter');
  assert.deepEqual(
    filters.map((f) => [f.ns, f.text, f.scope.or]),
    [
      [NMDA, 'or:intended', ORIGIN],
      [NMDA, 'or:learned', ORIGIN],
    ],
  );
  assert.ok(positive.children.some((c) => c.local === 'with-origin'));
  assert.ok(!positive.children.some((c) => c.local === 'origin'));

  const negated = parseTree(getDataRpc({ negatedOrigin: ['or:system'] }));
  const neg = negated.children.filter((c) => c.local === 'negated-origin-filter');
  assert.deepEqual(
    neg.map((f) => [f.text, f.scope.or]),
    [['or:system', ORIGIN]],
  );
  assert.ok(!negated.children.some((c) => c.local === 'negated-origin'));
});

test('getDataRpc: origin and negatedOrigin together, or a foreign prefix, are refused', () => {
  assert.throws(() => getDataRpc({ origin: ['or:intended'], negatedOrigin: ['or:system'] }), InvalidInputError);
  assert.throws(() => getDataRpc({ origin: ['ex:vendor'] }), InvalidInputError);
});

describe('get-data origin filters against the simulator', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  let m: Manager;
  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
    const session = await connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'admin',
      hostFingerprint: sim.hostFingerprint,
    });
    m = new Manager(session, { timeout: 10 });
  });
  after(async () => {
    await m.close();
    await sim.close();
  });

  test('origin and negatedOrigin are accepted by a server that checks the names', async () => {
    const filter = `<interfaces xmlns="${NS_IF}"/>`;
    const a = await m.getData({ filter, origin: ['or:intended'], withOrigin: true });
    assert.match(a.dataXml, /<interfaces/);
    const b = await m.getData({ filter, negatedOrigin: ['or:system'] });
    assert.match(b.dataXml, /<interfaces/);
  });

  test('the simulator refuses the names RFC 8526 does not have', async () => {
    const ds = `<datastore xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores">ds:operational</datastore>`;
    const wrong = m.dispatch(
      `<get-data xmlns="${NMDA}">${ds}<origin xmlns:or="${ORIGIN}">or:intended</origin></get-data>`,
    );
    await assert.rejects(wrong, (e: unknown) => e instanceof RpcError && e.tag === 'unknown-element');
    const undeclared = m.dispatch(
      `<get-data xmlns="${NMDA}">${ds}<origin-filter>or:intended</origin-filter></get-data>`,
    );
    await assert.rejects(undeclared, (e: unknown) => e instanceof RpcError && e.tag === 'invalid-value');
  });
});
