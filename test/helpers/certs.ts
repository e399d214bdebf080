/**
 * Test PKI made at test time with the openssl CLI (no certificate is checked in, so none can
 * expire under the test suite): a CA, a server certificate for localhost/127.0.0.1/::1, a client
 * certificate, a second device certificate, one with the wrong name, certificates from an
 * unrelated CA and expired ones. `openssl ca` is used for every leaf because it is the only
 * OpenSSL 3.0 command that can set an arbitrary validity window (needed for expired certs).
 * EC P-256 keys keep generation at a few milliseconds per certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertPair {
  /** Paths of the PEM files. */
  certFile: string;
  keyFile: string;
  /** PEM text of the same files. */
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  /** The trusted CA (PEM file path and text). */
  caFile: string;
  ca: string;
  /** An unrelated CA nobody trusts. */
  otherCaFile: string;
  otherCa: string;
  /** Server: CN=localhost, SAN localhost, 127.0.0.1, ::1. */
  server: CertPair;
  /** A second device (different key, same names) for call-home identity tests. */
  server2: CertPair;
  /** Signed by the trusted CA, but only for DNS:device.example.net. */
  wrongName: CertPair;
  /** Server certificate signed by the other CA. */
  otherServer: CertPair;
  /** Client: CN=netconf (the NETCONF username). */
  client: CertPair;
  /** Client certificate signed by the other CA. */
  otherClient: CertPair;
  /** Valid names, trusted CA, but expired on 2020-01-02. */
  expiredServer: CertPair;
  expiredClient: CertPair;
  cleanup(): void;
}

const CA_CONFIG = `[ca]
default_ca = testca
[testca]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
[server]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
extendedKeyUsage = serverAuth
[wrongname]
basicConstraints = CA:FALSE
subjectAltName = DNS:device.example.net
extendedKeyUsage = serverAuth
[client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  writeFileSync(join(dir, `${name}.db`), '');
  writeFileSync(join(dir, `${name}.serial`), `${Date.now().toString(16).padStart(16, '0')}\n`);
}

interface LeafSpec {
  name: string;
  cn: string;
  ca: string;
  extensions: 'server' | 'wrongname' | 'client';
  /** openssl ca dates (YYYYMMDDHHMMSSZ); default: valid for 30 days from now. */
  startdate?: string;
  enddate?: string;
}

function makeLeaf(dir: string, spec: LeafSpec): CertPair {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${spec.name}.key`,
    '-out',
    `${spec.name}.csr`,
    '-subj',
    `/CN=${spec.cn}`,
  ]);
  // Each CA gets its own database and serial file; the config names them, so rewrite it per call.
  const config = CA_CONFIG.replace('index.txt', `${spec.ca}.db`).replace(
    'serial = serial',
    `serial = ${spec.ca}.serial`,
  );
  writeFileSync(join(dir, `${spec.ca}.cnf`), config);
  const validity = spec.enddate
    ? ['-startdate', spec.startdate ?? '20200101000000Z', '-enddate', spec.enddate]
    : ['-days', '30'];
  openssl(dir, [
    'ca',
    '-batch',
    '-notext',
    '-config',
    `${spec.ca}.cnf`,
    '-cert',
    `${spec.ca}.pem`,
    '-keyfile',
    `${spec.ca}.key`,
    '-extensions',
    spec.extensions,
    ...validity,
    '-in',
    `${spec.name}.csr`,
    '-out',
    `${spec.name}.pem`,
  ]);
  const certFile = join(dir, `${spec.name}.pem`);
  const keyFile = join(dir, `${spec.name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** Creates the whole PKI in a fresh temp directory (about 0.1 s). Call cleanup() when done. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'ncred-pki-'));
  try {
    makeCa(dir, 'ca');
    makeCa(dir, 'otherca');
    const expired = { startdate: '20200101000000Z', enddate: '20200102000000Z' };
    return {
      dir,
      caFile: join(dir, 'ca.pem'),
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      otherCaFile: join(dir, 'otherca.pem'),
      otherCa: readFileSync(join(dir, 'otherca.pem'), 'utf8'),
      server: makeLeaf(dir, { name: 'server', cn: 'localhost', ca: 'ca', extensions: 'server' }),
      server2: makeLeaf(dir, { name: 'server2', cn: 'localhost', ca: 'ca', extensions: 'server' }),
      wrongName: makeLeaf(dir, { name: 'wrongname', cn: 'device.example.net', ca: 'ca', extensions: 'wrongname' }),
      otherServer: makeLeaf(dir, { name: 'otherserver', cn: 'localhost', ca: 'otherca', extensions: 'server' }),
      client: makeLeaf(dir, { name: 'client', cn: 'netconf', ca: 'ca', extensions: 'client' }),
      otherClient: makeLeaf(dir, { name: 'otherclient', cn: 'netconf', ca: 'otherca', extensions: 'client' }),
      expiredServer: makeLeaf(dir, {
        name: 'expiredserver',
        cn: 'localhost',
        ca: 'ca',
        extensions: 'server',
        ...expired,
      }),
      expiredClient: makeLeaf(dir, {
        name: 'expiredclient',
        cn: 'netconf',
        ca: 'ca',
        extensions: 'client',
        ...expired,
      }),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl failed to make the test PKI${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}

/**
 * PKCS#12 bundle of `pair` (key + certificate, and `ca` as the chain), as Node-RED 5's tls-config
 * takes it: `openssl pkcs12 -export` with `passphrase`. Returns the .p12 file's path.
 */
export function makePkcs12(dir: string, pair: CertPair, passphrase: string, ca?: string): string {
  const file = join(dir, `${pair.certFile.replace(/^.*\//, '').replace(/\.pem$/, '')}-${Date.now()}.p12`);
  const args = ['pkcs12', '-export', '-inkey', pair.keyFile, '-in', pair.certFile, '-out', file];
  if (ca) args.push('-certfile', ca);
  openssl(dir, [...args, '-passout', `pass:${passphrase}`]);
  return file;
}
