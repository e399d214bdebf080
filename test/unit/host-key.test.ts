import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import {
  checkKnownHosts,
  keyType,
  normaliseFingerprint,
  sshFingerprint,
  verifyHostKey,
} from '../../src/transport/host-key';

// An ed25519 public key blob: string "ssh-ed25519" + 32 key bytes.
function blob(seed: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, seed);
  const len = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(type.length), type, len(key.length), key]);
}

test('fingerprints are printed as OpenSSH does', () => {
  const b = blob(1);
  const fp = sshFingerprint(b);
  assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(keyType(b), 'ssh-ed25519');
  assert.equal(normaliseFingerprint(`${fp.slice(7)}=`), fp);
});

test('known_hosts: plain, [host]:port, hashed, wrong key, revoked', () => {
  const good = blob(1);
  const other = blob(2);
  const line = (host: string, k: Buffer): string => `${host} ssh-ed25519 ${k.toString('base64')}`;
  assert.deepEqual(checkKnownHosts(line('[10.0.0.1]:830', good), '10.0.0.1', 830, good), { ok: true });
  assert.deepEqual(checkKnownHosts(line('router1,10.0.0.1', good), '10.0.0.1', 22, good), { ok: true });
  assert.equal(checkKnownHosts(line('10.0.0.1', good), '10.0.0.1', 830, good).ok, false, 'port 830 needs [host]:830');
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[r1]:830').digest('base64')}`;
  assert.deepEqual(checkKnownHosts(line(hashed, good), 'r1', 830, good), { ok: true });
  const mismatch = checkKnownHosts(line('[r1]:830', good), 'r1', 830, other);
  assert.equal(mismatch.ok, false);
  assert.match((mismatch as { reason: string }).reason, /does NOT match/);
  const revoked = checkKnownHosts(`@revoked ${line('[r1]:830', good)}\n${line('[r1]:830', good)}`, 'r1', 830, good);
  assert.match((revoked as { reason: string }).reason, /revoked/);
});

test('verification policy: pinned, list, off, and nothing configured', () => {
  const b = blob(3);
  const fp = sshFingerprint(b);
  const base = { host: 'r1', port: 830, verifyHostKey: true };
  assert.deepEqual(verifyHostKey({ ...base, hostFingerprint: fp }, b), { ok: true });
  assert.deepEqual(verifyHostKey({ ...base, hostFingerprint: ['SHA256:nope', fp] }, b), { ok: true });
  assert.equal(verifyHostKey({ ...base, hostFingerprint: 'SHA256:nope' }, b).ok, false);
  assert.deepEqual(verifyHostKey({ ...base, verifyHostKey: false }, b), { ok: true });
  assert.match((verifyHostKey(base, b) as { reason: string }).reason, /no hostFingerprint or knownHostsFile/);
  assert.match(
    (verifyHostKey({ ...base, knownHostsFile: '/nonexistent' }, b) as { reason: string }).reason,
    /cannot read/,
  );
});
