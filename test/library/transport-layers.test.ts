/**
 * Transport below session, over real SSH against the simulator: openSshStream yields a stream
 * Session.start runs on, and a Session opened by connectSsh keeps no password, key or passphrase
 * in its own fields (the credentials stay in the transport).
 */
import assert from 'node:assert/strict';
import { Stream } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Manager, Session, connectSsh, openSshStream } from '../../src/index';
import { NetconfSimulator } from '../../simulator';
import { sshKeyPair } from '../helpers/ssh-keys';

const PASSWORD = 'pw-secret-7781';
const PASSPHRASE = 'pp-secret-1234';

/**
 * Paths under `root` (own enumerable properties, depth-bounded) whose value is one of `secrets`
 * or whose key names a secret. Streams are the transport's objects (ssh2's channel, whose client
 * keeps its connect config) and are not walked: the session's own fields are.
 */
function findSecrets(root: object, secrets: string[]): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string' && secrets.includes(value)) found.push(path);
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) {
      if (child instanceof Stream) continue; // the transport's stream: see above
      if (/^(password|privateKey|passphrase)$/.test(key) && child !== undefined) found.push(`${path}.${key}`);
      walk(child, `${path}.${key}`, depth + 1);
    }
  };
  walk(root, 'session', 0);
  return found;
}

describe('transport and session are separate layers', { timeout: 30000 }, () => {
  let sim: NetconfSimulator;
  const keys = sshKeyPair();

  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: PASSWORD }, authorizedKeys: [keys.public] }).listen();
  });
  after(async () => {
    await sim.close();
  });

  test('openSshStream yields a stream that Session.start runs NETCONF on', async () => {
    const transport = await openSshStream({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: PASSWORD,
      hostFingerprint: sim.hostFingerprint,
    });
    assert.equal(transport.peer, `127.0.0.1:${sim.port}`);
    assert.equal(transport.fingerprint, sim.hostFingerprint);
    const session = await Session.start(transport.stream, {
      peer: transport.peer,
      closeTransport: () => transport.close(),
    });
    const reply = await new Manager(session).get();
    assert.match(reply.dataXml, /<data/);
    await session.close();
    assert.ok(session.closed);
  });

  test('a session opened by connectSsh with a password keeps no password in its fields', async () => {
    const session = await connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: PASSWORD,
      hostFingerprint: sim.hostFingerprint,
    });
    const leaks = findSecrets(session, [PASSWORD]);
    await session.close();
    assert.deepEqual(leaks, []);
  });

  test('a session opened by connectSsh with a key and passphrase keeps neither', async () => {
    const session = await connectSsh({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      privateKey: keys.private,
      passphrase: PASSPHRASE,
      hostFingerprint: sim.hostFingerprint,
    });
    const leaks = findSecrets(session, [keys.private, PASSPHRASE]);
    await session.close();
    assert.deepEqual(leaks, []);
  });
});
