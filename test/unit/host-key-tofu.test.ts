/**
 * Trust on first use in the library's host key check: an unknown host (or a missing file) is
 * recorded in known_hosts, written atomically (temp file + rename: no temp file left behind) and
 * logged; a recorded host with another key, and a revoked key, stay refused; off by default.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { verifyHostKey } from '../../src/transport/host-key';

/** A key blob as SSH sends it: string type, then key bytes. */
function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}

const KEY_A = blob('ssh-ed25519', 'key-a');
const KEY_B = blob('ssh-ed25519', 'key-b');

function policy(file: string, extra: Record<string, unknown> = {}) {
  return { verifyHostKey: true, knownHostsFile: file, host: '127.0.0.1', port: 8300, ...extra };
}

describe('known_hosts trust on first use', () => {
  it('records an unknown host (creating the file), logs it, then accepts only that key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tofu-'));
    const file = path.join(dir, 'known_hosts');
    const logged: string[] = [];
    const logger = { debug: (m: string) => logged.push(m) };
    assert.deepEqual(verifyHostKey(policy(file, { trustOnFirstUse: true, logger }), KEY_A), { ok: true });
    assert.equal(readFileSync(file, 'utf8'), `[127.0.0.1]:8300 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /trust on first use: recorded the host key SHA256:\S+ of 127\.0\.0\.1:8300/);
    assert.deepEqual(readdirSync(dir), ['known_hosts'], 'no temporary file left');
    // known now: the same key passes without recording again, another key is refused
    assert.deepEqual(verifyHostKey(policy(file, { trustOnFirstUse: true, logger }), KEY_A), { ok: true });
    const changed = verifyHostKey(policy(file, { trustOnFirstUse: true, logger }), KEY_B);
    assert.equal(changed.ok, false);
    assert.match(changed.ok ? '' : changed.reason, /does NOT match/);
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 2);
    assert.equal(logged.length, 1);
  });

  it('keeps existing lines and adds a newline before the new entry', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tofu-')), 'known_hosts');
    writeFileSync(file, 'other.example ssh-rsa AAAA');
    assert.deepEqual(verifyHostKey(policy(file, { trustOnFirstUse: true }), KEY_A), { ok: true });
    assert.deepEqual(readFileSync(file, 'utf8').split('\n'), [
      'other.example ssh-rsa AAAA',
      `[127.0.0.1]:8300 ssh-ed25519 ${KEY_A.toString('base64')}`,
      '',
    ]);
  });

  it('never records a revoked key', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tofu-')), 'known_hosts');
    writeFileSync(file, `@revoked [127.0.0.1]:8300 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
    const verdict = verifyHostKey(policy(file, { trustOnFirstUse: true }), KEY_A);
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /revoked/);
  });

  it('is off by default: an unknown host or a missing file is refused and nothing is written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tofu-'));
    const file = path.join(dir, 'known_hosts');
    const missing = verifyHostKey(policy(file), KEY_A);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.reason, /cannot read known_hosts/);
    writeFileSync(file, '');
    const unknown = verifyHostKey(policy(file), KEY_A);
    assert.equal(unknown.ok, false);
    assert.equal(readFileSync(file, 'utf8'), '');
  });
});
