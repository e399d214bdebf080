/**
 * NETCONF over TLS (RFC 7589) against netconfd behind socat with the lab's certificates, and
 * call home (RFC 8071) over SSH and TLS: the lab's device dials our CallhomeManager, which runs
 * the SSH or TLS client side on the accepted socket. Refusals: a client certificate the server
 * does not trust, a server certificate we do not trust, a wrong host name, a wrong host key.
 */
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { connectTls, tlsFingerprint } from '../../src/index';
import { CallhomeManager } from '../../src/callhome';
import { Manager } from '../../src/manager';
import { ConnectError } from '../../src/errors';
import type { Session } from '../../src/session/session';
import { LAB_NS, closeAll, deviceCallsHome, lab, within } from './helpers/lab';
import { makePkcs12 } from '../helpers/certs';

function tlsOptions(extra: Record<string, unknown> = {}) {
  const l = lab();
  return {
    host: l.host,
    port: l.tlsPort,
    key: l.tls.key,
    cert: l.tls.cert,
    ca: l.tls.ca,
    timeout: 15,
    helloTimeout: 15,
    ...extra,
  };
}

async function sessionUser(m: Manager): Promise<string | undefined> {
  const r = await m.get({
    filter: `<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions><session><session-id>${m.sessionId}</session-id><username/></session></sessions></netconf-state>`,
  });
  return /<username>([^<]*)<\/username>/.exec(r.dataXml)?.[1];
}

test('TLS with the lab certificates: hello, get-config, edit in candidate; the NETCONF user is the cert CN', async () => {
  const m = new Manager(await connectTls(tlsOptions()), { timeout: 20 });
  try {
    assert.ok(m.sessionId);
    assert.equal(m.session.framing, 'chunked');
    assert.ok(m.hasCapability('urn:ietf:params:netconf:capability:candidate:1.0'));
    assert.equal(await sessionUser(m), 'netconf');
    await m.editConfig(`<lab xmlns="${LAB_NS}"><note>over tls</note></lab>`, { target: 'candidate' });
    const r = await m.getConfig({ source: 'candidate', filter: `<lab xmlns="${LAB_NS}"/>` });
    assert.match(r.dataXml, /over tls/);
    await m.discardChanges();
  } finally {
    await closeAll(m);
  }
  // the restricted user's certificate
  const l = lab();
  const ro = new Manager(await connectTls(tlsOptions({ key: l.tls.roKey, cert: l.tls.roCert })), { timeout: 20 });
  try {
    assert.equal(await sessionUser(ro), 'netconf-ro');
  } finally {
    await closeAll(ro);
  }
});

test('TLS with the lab client certificate as PKCS#12 (pfx + passphrase, as Node-RED 5 tls-config gives it)', async () => {
  const l = lab();
  const dir = mkdtempSync(path.join(tmpdir(), 'ncred-p12-'));
  try {
    const p12 = makePkcs12(dir, { certFile: l.tls.cert, keyFile: l.tls.key, cert: '', key: '' }, 'lab-p12', l.tls.ca);
    // No 'ca': the lab CA comes from inside the .p12, as with Node-RED 5's tls-config in pfx mode.
    const m = new Manager(
      await connectTls(tlsOptions({ key: undefined, cert: undefined, ca: undefined, pfx: p12, passphrase: 'lab-p12' })),
      { timeout: 20 },
    );
    try {
      assert.equal(await sessionUser(m), 'netconf');
      const r = await m.getConfig({ source: 'running' });
      assert.ok(r.xml.includes('<data'));
    } finally {
      await closeAll(m);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TLS: base:1.0 only', async () => {
  const m = new Manager(await connectTls(tlsOptions({ base: ['1.0'] })), { timeout: 20 });
  try {
    assert.equal(m.session.framing, 'eom');
    await m.getConfig({ source: 'running' });
  } finally {
    await closeAll(m);
  }
});

test('TLS refusals: an untrusted client certificate, an untrusted server, a wrong server name', async () => {
  const l = lab();
  // self-signed client certificate: the server (verify=1) refuses it
  await assert.rejects(
    within(20000, 'rogue client cert', connectTls(tlsOptions({ key: l.tls.rogueKey, cert: l.tls.rogueCert }))),
    (e: unknown) => {
      assert.ok(e instanceof ConnectError, String(e));
      return true;
    },
  );
  // no CA given: Node's public roots do not know the lab CA
  await assert.rejects(connectTls(tlsOptions({ ca: undefined })), (e: unknown) => {
    assert.ok(e instanceof ConnectError, String(e));
    assert.match(e.message, /not signed by a trusted CA/);
    return true;
  });
  // the lab CA signed the server for localhost / 127.0.0.1 / ::1 only
  await assert.rejects(connectTls(tlsOptions({ servername: 'device.example.net' })), (e: unknown) => {
    assert.ok(e instanceof ConnectError, String(e));
    assert.match(e.message, /host name mismatch/);
    return true;
  });
  // by name, as the certificate says
  const byName = new Manager(await connectTls(tlsOptions({ host: 'localhost' })), { timeout: 20 });
  await closeAll(byName);
});

test('call home over SSH: acceptOneSsh, host key pinned to the lab key', async () => {
  const l = lab();
  const ch = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
  try {
    await ch.listen();
    const accepted = ch.acceptOneSsh({
      username: l.users.admin.username,
      password: l.users.admin.password,
      hostFingerprint: l.hostFingerprints,
      acceptTimeout: 20,
      timeout: 20,
    });
    await deviceCallsHome('ssh', ch.port);
    const m = new Manager(await accepted, { timeout: 20 });
    try {
      assert.ok(m.sessionId);
      assert.ok(m.hasCapability('urn:ietf:params:netconf:capability:candidate:1.0'));
      const r = await m.get({ filter: '<helloworld-state xmlns="http://helloworld.com/ns/helloworld"/>' });
      assert.match(r.dataXml, /Hello World!/);
    } finally {
      await closeAll(m);
    }
  } finally {
    await ch.close();
  }
});

test('call home over SSH: a device with an unknown host key is refused (serve mode)', async () => {
  const l = lab();
  const ch = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
  try {
    ch.register('SHA256:' + Buffer.alloc(32, 1).toString('base64').replace(/=+$/, ''), {
      onSession: () => assert.fail('wrong device'),
    });
    const refused = new Promise<{ identity?: string; reason: string }>((resolve) => ch.once('refused', resolve));
    await ch.serve('ssh', { timeout: 20 });
    await deviceCallsHome('ssh', ch.port);
    const info = await within(20000, 'refusal', refused);
    assert.ok(l.hostFingerprints.includes(info.identity ?? ''), `identity ${info.identity}`);
    assert.match(info.reason, /no device is registered/);
  } finally {
    await ch.close();
  }
});

test('call home over SSH: serve mode hands the session to the device registered by host key', async () => {
  const l = lab();
  const ch = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
  try {
    let resolveSession: (s: Session) => void = () => undefined;
    const got = new Promise<Session>((resolve) => (resolveSession = resolve));
    const device = {
      sshOptions: { username: l.users.admin.username, password: l.users.admin.password },
      onSession: (s: Session) => resolveSession(s),
    };
    for (const fp of l.hostFingerprints) ch.register(fp, device);
    await ch.serve('ssh', { timeout: 20 });
    await deviceCallsHome('ssh', ch.port);
    const m = new Manager(await within(20000, 'call-home session', got), { timeout: 20 });
    try {
      await m.getConfig({ source: 'running' });
    } finally {
      await closeAll(m);
    }
  } finally {
    await ch.close();
  }
});

test('call home over TLS: acceptOneTls with the lab certificates, and serve mode by certificate fingerprint', async () => {
  const l = lab();
  const ch = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
  try {
    await ch.listen();
    const accepted = ch.acceptOneTls({
      key: l.tls.key,
      cert: l.tls.cert,
      ca: l.tls.ca,
      acceptTimeout: 20,
      timeout: 20,
    });
    await deviceCallsHome('tls', ch.port);
    const m = new Manager(await accepted, { timeout: 20 });
    try {
      assert.ok(m.sessionId);
      await m.getConfig({ source: 'candidate' });
    } finally {
      await closeAll(m);
    }
  } finally {
    await ch.close();
  }
  const served = new CallhomeManager({ bindTo: '127.0.0.1', port: 0 });
  try {
    let resolveSession: (s: Session) => void = () => undefined;
    const got = new Promise<Session>((resolve) => (resolveSession = resolve));
    served.register(tlsFingerprint(l.tls.serverCert), { onSession: (s) => resolveSession(s) });
    await served.serve('tls', { key: l.tls.key, cert: l.tls.cert, ca: l.tls.ca, timeout: 20 });
    await deviceCallsHome('tls', served.port);
    const m = new Manager(await within(20000, 'TLS call-home session', got), { timeout: 20 });
    try {
      await m.get({ filter: '<helloworld-state xmlns="http://helloworld.com/ns/helloworld"/>' });
    } finally {
      await closeAll(m);
    }
  } finally {
    await served.close();
  }
});
