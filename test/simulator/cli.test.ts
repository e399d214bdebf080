import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from '../../simulator/cli';

test('cli argument parsing', () => {
  const o = parseArgs([
    '--port',
    '8300',
    '--user',
    'admin:ad:min',
    '--user',
    'ro:ro',
    '--base',
    '1.0',
    '--notify-interval',
    '0',
  ]);
  assert.equal(o.port, 8300);
  assert.deepEqual(o.users, { admin: 'ad:min', ro: 'ro' });
  assert.deepEqual(o.baseVersions, ['1.0']);
  assert.equal(o.notificationIntervalMs, 0);
});

test('cli runs the simulator and prints port and fingerprint', { timeout: 10000 }, async () => {
  const child = spawn(
    process.execPath,
    [join(__dirname, '../../simulator/cli.js'), '--port', '0', '--user', 'admin:admin'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 8000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/fingerprint SHA256:/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    assert.match(out, /listening on 127\.0\.0\.1:\d+/);
    assert.match(out, /host key fingerprint SHA256:[A-Za-z0-9+/]{43}\n/);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});
