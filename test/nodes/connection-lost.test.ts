/**
 * Issue 12 item 3, the nodes' side: a session the device connection loses (the server ended it)
 * is closed by the connection, so whatever the session holds below it (an SSH connection) goes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceConnection } from '../../nodes/shared/connection';
import { Session } from '../../src/index';
import { ScriptedPeer } from '../helpers/scripted-peer';

describe('DeviceConnection and a lost session', () => {
  it('closes the session the server ended before it reconnects', async () => {
    const peer = new ScriptedPeer();
    let closes = 0;
    let opened: Session | undefined;
    const connection = new DeviceConnection({
      label: 'test',
      rpcTimeout: 5,
      reconnectMinMs: 60000,
      open: async () => {
        const started = Session.start(peer.clientStream, { helloTimeout: 5 });
        peer.hello();
        const session = await started;
        const close = session.close.bind(session);
        session.close = () => {
          closes++;
          return close();
        };
        opened = session;
        return session;
      },
    });
    const states: string[] = [];
    connection.register({ onStatus: (s) => states.push(s.state) });
    await connection.acquire();
    assert.ok(opened);
    const ended = new Promise<void>((resolve) => opened?.once('close', () => resolve()));
    peer.hangUp();
    await ended;
    await new Promise((r) => setImmediate(r));
    assert.equal(connection.state.state, 'disconnected');
    assert.equal(closes, 1, 'the lost session was closed once');
    await connection.close();
  });
});
