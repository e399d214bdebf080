/** Every error class the library exports has a stable `code`, and all of them are NetconfClientErrors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lib from '../../src/index';

/** An instance of each exported error class, made the way the library makes them, with its expected code. */
const expected: Array<[string, () => Error, string]> = [
  ['NetconfClientError', () => new lib.NetconfClientError('x'), 'NETCONF_ERROR'],
  ['NetconfProtocolError', () => new lib.NetconfProtocolError('x'), 'NETCONF_PROTOCOL'],
  ['RpcTimeoutError', () => new lib.RpcTimeoutError('x'), 'NETCONF_TIMEOUT'],
  ['SessionClosedError', () => new lib.SessionClosedError('x'), 'NETCONF_SESSION_CLOSED'],
  ['ConnectError', () => new lib.ConnectError('x'), 'NETCONF_CONNECT'],
  ['InvalidInputError', () => new lib.InvalidInputError('x'), 'NETCONF_INVALID_INPUT'],
  ['YangSyntaxError', () => new lib.YangSyntaxError('x', 1, 1), 'NETCONF_YANG_SYNTAX'],
  ['YangJsonError', () => new lib.YangJsonError('x', '/m:a'), 'NETCONF_YANG_JSON'],
  ['PoolFullError', () => new lib.PoolFullError('x'), 'NETCONF_POOL_FULL'],
  ['PoolTimeoutError', () => new lib.PoolTimeoutError('x'), 'NETCONF_POOL_TIMEOUT'],
  ['PoolClosedError', () => new lib.PoolClosedError('x'), 'NETCONF_POOL_CLOSED'],
  ['DiffError', () => new lib.DiffError('x'), 'NETCONF_DIFF'],
  ['RpcError', () => new lib.RpcError([{ tag: 'lock-denied', severity: 'error' }], '<rpc-reply/>'), 'lock-denied'],
  [
    'LockDeniedError',
    () =>
      new lib.LockDeniedError(
        new lib.RpcError([{ tag: 'lock-denied', severity: 'error', info: { 'session-id': '3' } }], '<rpc-reply/>'),
        'candidate',
        1,
      ),
    'lock-denied',
  ],
];

test('each exported error class has its code and extends NetconfClientError', () => {
  for (const [name, make, code] of expected) {
    const err = make();
    assert.equal(err.constructor.name, name);
    assert.ok(err instanceof lib.NetconfClientError, `${name} extends NetconfClientError`);
    assert.equal(err.code, code, `${name}.code`);
    assert.equal(err.name, name);
  }
});

test('every Error class exported from the entry point is listed above (a new one needs a code)', () => {
  const exported = Object.entries(lib)
    .filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error)
    .map(([name]) => name)
    .sort();
  assert.deepEqual(exported, expected.map(([name]) => name).sort());
});

test("RpcError's code is its first error's tag, skipping warnings; 'rpc-error' without a tag", () => {
  const warningFirst = new lib.RpcError(
    [
      { tag: 'partial-operation', severity: 'warning' },
      { tag: 'data-missing', severity: 'error' },
    ],
    '<rpc-reply/>',
  );
  assert.equal(warningFirst.code, 'data-missing');
  assert.equal(new lib.RpcError([{ severity: 'error' }], '<rpc-reply/>').code, 'rpc-error');
  assert.equal(new lib.RpcError([], '<rpc-reply/>').code, 'rpc-error');
});
