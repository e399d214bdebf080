/**
 * Jump hosts in front of the netconfd lab: OpenSSH sshd bastions of the test's own on free
 * 127.0.0.1 ports, one hop and two hops to get-config, a wrong bastion host key refused naming
 * the hop, and a bastion that refuses TCP forwarding.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh } from '../../src/connect';
import { Manager } from '../../src/manager';
import { ConnectError } from '../../src/errors';
import type { SshJumpHost } from '../../src/transport/ssh-jump';
import { sshdClientKey, TestSshd } from '../helpers/sshd';
import { closeAll, labFilter, sshOptions } from './helpers/lab';

const bastion1 = new TestSshd();
const bastion2 = new TestSshd();
const noForwarding = new TestSshd({ forwarding: false });

before(async () => {
  await Promise.all([bastion1.start(), bastion2.start(), noForwarding.start()]);
});
after(async () => {
  await Promise.all([bastion1.stop(), bastion2.stop(), noForwarding.stop()]);
});

function hop(sshd: TestSshd, hostFingerprint = sshd.fingerprint): SshJumpHost {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    username: sshd.username,
    privateKey: sshdClientKey().private,
    hostFingerprint,
  };
}

async function refusal(jumpHosts: SshJumpHost[]): Promise<ConnectError> {
  const err = await connectSsh(sshOptions({ jumpHosts })).then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectError, String(err));
  return err;
}

test('get-config from netconfd through one bastion, then through two', async () => {
  for (const jumpHosts of [[hop(bastion1)], [hop(bastion1), hop(bastion2)]]) {
    const m = new Manager(await connectSsh(sshOptions({ jumpHosts })), { timeout: 30 });
    try {
      const reply = await m.getConfig({ filter: labFilter });
      assert.match(reply.xml, /<data/);
      assert.ok(m.sessionId && m.sessionId > 0);
    } finally {
      await closeAll(m);
    }
  }
});

test('a wrong bastion host key is refused, naming the hop', async () => {
  const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  const err = await refusal([hop(bastion1), hop(bastion2, wrong)]);
  assert.match(
    err.message,
    new RegExp(`host key verification failed for jump host 2 \\(127.0.0.1:${bastion2.port}\\)`),
  );
  assert.equal(err.fingerprint, bastion2.fingerprint);
});

test('a bastion that refuses forwarding gives a clear error', async () => {
  const err = await refusal([hop(noForwarding)]);
  assert.match(err.message, /jump host 1 \(127\.0\.0\.1:\d+\) refused to forward the connection to the device/);
  assert.match(err.message, /AllowTcpForwarding/);
});
