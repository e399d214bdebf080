/**
 * SSH host key verification: fingerprints as OpenSSH prints them (`SHA256:` + unpadded base64 of
 * the SHA-256 of the key blob) and OpenSSH known_hosts files (plain and hashed host names,
 * `[host]:port` for non-22 ports, `@revoked`). Verification is on by default; the error for an
 * unknown key carries the fingerprint so the user can pin it.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../logger';
import { recordKnownHost } from './known-hosts-record';

export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && 4 + len <= keyBlob.length ? keyBlob.toString('latin1', 4, 4 + len) : 'unknown';
}

/** Accepts `SHA256:abc`, `abc` (assumed SHA256), with or without base64 padding. */
export function normaliseFingerprint(fp: string): string {
  const trimmed = fp.trim();
  const body = trimmed.replace(/^SHA256:/i, '').replace(/=+$/, '');
  return `SHA256:${body}`;
}

const NOT_KNOWN = 'the host is not in known_hosts';

export type HostKeyVerdict = { ok: true } | { ok: false; reason: string };

/** Matches a key blob against a known_hosts file's text for host:port. */
export function checkKnownHosts(text: string, host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const names = port === 22 ? [host, `[${host}]:22`] : [`[${host}]:${port}`];
  const wanted = keyBlob.toString('base64');
  let sawHost = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker = '';
    if (fields[0].startsWith('@')) marker = fields.shift() ?? '';
    if (fields.length < 3) continue;
    const [hostsField, , key] = fields;
    if (!hostsMatch(hostsField, names)) continue;
    if (marker === '@revoked') {
      if (key === wanted) return { ok: false, reason: 'the host key is marked @revoked in known_hosts' };
      continue;
    }
    if (marker === '@cert-authority') continue;
    sawHost = true;
    if (key === wanted) return { ok: true };
  }
  return {
    ok: false,
    reason: sawHost ? 'the host key does NOT match the one in known_hosts (possible man-in-the-middle)' : NOT_KNOWN,
  };
}

function hostsMatch(field: string, names: string[]): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt64, hash64] = field.split('|');
    if (!salt64 || !hash64) return false;
    const salt = Buffer.from(salt64, 'base64');
    return names.some((n) => createHmac('sha1', salt).update(n).digest('base64') === hash64);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (names.some((n) => globMatch(p, n))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** OpenSSH host patterns: `*` and `?` wildcards. */
function globMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}

export interface HostKeyPolicy {
  verifyHostKey: boolean;
  hostFingerprint?: string | string[];
  knownHostsFile?: string;
  /**
   * Trust on first use: a host missing from `knownHostsFile` (or a missing file) is accepted and its
   * key recorded there. A key differing from a recorded one is still refused. Off by default.
   */
  trustOnFirstUse?: boolean;
  host: string;
  port: number;
  logger?: Logger;
}

/** Decides whether to trust the server's key. */
export function verifyHostKey(policy: HostKeyPolicy, keyBlob: Buffer): HostKeyVerdict {
  if (!policy.verifyHostKey) return { ok: true };
  const fingerprint = sshFingerprint(keyBlob);
  const pinned =
    policy.hostFingerprint === undefined ? [] : [policy.hostFingerprint].flat().filter((f) => f.trim() !== '');
  if (pinned.length > 0) {
    if (pinned.map(normaliseFingerprint).includes(fingerprint)) return { ok: true };
    return { ok: false, reason: 'the host key does NOT match the pinned fingerprint (possible man-in-the-middle)' };
  }
  if (policy.knownHostsFile) return verifyKnownHosts(policy, policy.knownHostsFile, keyBlob);
  return { ok: false, reason: 'no hostFingerprint or knownHostsFile is configured to verify it' };
}

function verifyKnownHosts(policy: HostKeyPolicy, file: string, keyBlob: Buffer): HostKeyVerdict {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (!(missing && policy.trustOnFirstUse))
      return { ok: false, reason: `cannot read known_hosts file ${file}: ${(err as Error).message}` };
    text = '';
  }
  const verdict = checkKnownHosts(text, policy.host, policy.port, keyBlob);
  // Only an unknown host is recorded: a changed key (or a revoked one) is always refused.
  if (verdict.ok || !policy.trustOnFirstUse || verdict.reason !== NOT_KNOWN) return verdict;
  try {
    recordKnownHost(file, policy.host, policy.port, keyType(keyBlob), keyBlob);
  } catch (err) {
    return { ok: false, reason: `cannot record the host key in ${file}: ${(err as Error).message}` };
  }
  policy.logger?.debug(
    `trust on first use: recorded the host key ${sshFingerprint(keyBlob)} of ${policy.host}:${policy.port} in ${file}`,
  );
  return { ok: true };
}
