/**
 * Trust on first use: appends a host's key to an OpenSSH known_hosts file. The file is rewritten
 * whole to a temporary file beside it and renamed over it, so a reader (another process, or an
 * ssh client) never sees a half-written line. Synchronous on purpose: the host key check runs
 * inside ssh2's synchronous verifier, and one event-loop turn makes concurrent recordings of one
 * process serialise (no lost entries).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The known_hosts name of host:port: plain for port 22, `[host]:port` otherwise (as OpenSSH writes it). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `type` is the key type named in the blob (`ssh-ed25519`, ...). */
export function recordKnownHost(file: string, host: string, port: number, type: string, keyBlob: Buffer): void {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text && !text.endsWith('\n')) text += '\n';
  text += `${knownHostsName(host, port)} ${type} ${keyBlob.toString('base64')}\n`;
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}
