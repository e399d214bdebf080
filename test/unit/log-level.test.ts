/** debugLogged: whether a Node-RED logging configuration reports a node's debug lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debugLogged } from '../../nodes/shared/log-level';
import type { NodeAPI } from '../../nodes/shared/red-types';

function red(logging: unknown): NodeAPI {
  return { settings: { logging } } as unknown as NodeAPI;
}

test('debug lines are reported only when some log handler is at debug or trace', () => {
  assert.equal(debugLogged(red(undefined)), false, "Node-RED's default: console at info");
  assert.equal(debugLogged(red({ console: { level: 'info' } })), false);
  assert.equal(debugLogged(red({ console: { level: 'off' } })), false);
  assert.equal(debugLogged(red({ console: {} })), false, 'a handler without a level is at info');
  assert.equal(debugLogged(red({ console: { level: 'debug' } })), true);
  assert.equal(debugLogged(red({ console: { level: 'warn' }, file: { level: 'trace' } })), true);
  assert.equal(debugLogged(red({ custom: { level: 'metric' } })), true, 'an unknown level keeps the lines');
  const unreadable = {
    get settings(): never {
      throw new Error('no settings');
    },
  } as unknown as NodeAPI;
  assert.equal(debugLogged(unreadable), true, 'unreadable settings keep the lines');
});
