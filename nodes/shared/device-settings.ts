/**
 * The netconf-device node's settings: its flow properties and credentials, normalised, and the
 * library options (SSH, TLS) and direct opener made from them. Shared by the node and by the
 * editor's admin endpoints (which read the same properties from the form).
 */
import {
  ConnectError,
  connectSsh,
  connectTls,
  type Logger,
  type SshAlgorithms,
  type SshOptions,
  type TlsOptions,
} from '../../src/index';
import { jumpChain } from './jump-hosts';
import type { NodeAPI, NodeDef, TlsConfigNode } from './red-types';
import type { SessionOpener } from './session-source';

const TRANSPORTS = ['ssh', 'tls', 'callhome-ssh', 'callhome-tls'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface DeviceDef extends NodeDef {
  host?: string;
  port?: string | number;
  transport?: string;
  hostFingerprint?: string;
  verifyHostKey?: boolean | string;
  tls?: string;
  callhome?: string;
  identity?: string;
  connectTimeout?: string | number;
  rpcTimeout?: string | number;
  keepalive?: string | number;
  reconnectMax?: string | number;
  queueSize?: string | number;
  queueTimeout?: string | number;
  // fleet mode: known_hosts (single devices too), trust on first use, pool bounds
  knownHostsFile?: string;
  trustOnFirstUse?: boolean | string;
  maxSessions?: string | number;
  idleTimeout?: string | number;
  // Reaching devices: jump host, SSH algorithms, NETCONF keepalive.
  jump?: string;
  sshKex?: string;
  sshCipher?: string;
  sshHmac?: string;
  sshHostKey?: string;
  netconfKeepalive?: string | number;
}

export interface DeviceCredentials {
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** Everything needed to open a session, normalised from the node's properties. */
export interface DeviceSettings {
  transport: Transport;
  host: string;
  port: number;
  hostFingerprint?: string;
  verifyHostKey: boolean;
  tls?: string;
  callhome?: string;
  identity?: string;
  /** Seconds. */
  connectTimeout: number;
  rpcTimeout: number;
  keepalive: number;
  reconnectMax: number;
  queueSize: number;
  queueTimeout: number;
  credentials: DeviceCredentials;
  // fleet mode
  knownHostsFile?: string;
  /** Record unknown hosts' keys into knownHostsFile (explicit, off by default). */
  trustOnFirstUse: boolean;
  /** Fleet: sessions open at once, and seconds an unused one stays open. */
  maxSessions: number;
  idleTimeout: number;
  // Reaching devices.
  /** The first netconf-ssh-jump node of the chain. */
  jump?: string;
  algorithms?: SshAlgorithms;
  /** Seconds between NETCONF liveness probes; 0 = off. */
  netconfKeepalive: number;
}

function positive(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function isCallhome(s: DeviceSettings): boolean {
  return s.transport.startsWith('callhome');
}

/** Fleet mode: a dialling device without a Host serves the devices named by msg.device. */
export function isFleet(s: DeviceSettings): boolean {
  return !isCallhome(s) && s.host === '';
}

export function readSettings(def: DeviceDef, credentials: DeviceCredentials): DeviceSettings {
  const transport = (TRANSPORTS as readonly string[]).includes(def.transport ?? '')
    ? (def.transport as Transport)
    : 'ssh';
  const defaultPort = transport === 'tls' ? 6513 : 830;
  return {
    transport,
    host: def.host?.trim() ?? '',
    port: Math.trunc(positive(def.port, defaultPort)),
    hostFingerprint: nonEmpty(def.hostFingerprint),
    // Verification is on unless explicitly turned off.
    verifyHostKey: def.verifyHostKey !== false && def.verifyHostKey !== 'false',
    tls: nonEmpty(def.tls),
    callhome: nonEmpty(def.callhome),
    identity: nonEmpty(def.identity),
    connectTimeout: positive(def.connectTimeout, 30),
    rpcTimeout: positive(def.rpcTimeout, 60),
    keepalive: Number(def.keepalive) >= 0 ? Number(def.keepalive) : 30,
    reconnectMax: positive(def.reconnectMax, 60),
    queueSize: Math.trunc(positive(def.queueSize, 100)),
    queueTimeout: positive(def.queueTimeout, 30),
    credentials,
    // fleet mode
    knownHostsFile: nonEmpty(def.knownHostsFile),
    trustOnFirstUse: def.trustOnFirstUse === true || def.trustOnFirstUse === 'true',
    maxSessions: Math.trunc(positive(def.maxSessions, 50)),
    idleTimeout: positive(def.idleTimeout, 60),
    ...reachSettings(def),
  };
}

// --- reaching devices: jump host, SSH algorithms, NETCONF keepalive ---

/** Default NETCONF keepalive of the nodes (the library's default is off). */
const NETCONF_KEEPALIVE_DEFAULT = 60;

function reachSettings(def: DeviceDef): Pick<DeviceSettings, 'jump' | 'algorithms' | 'netconfKeepalive'> {
  const keepalive = Number(def.netconfKeepalive);
  const algorithms: SshAlgorithms = {};
  const classes = { kex: def.sshKex, cipher: def.sshCipher, hmac: def.sshHmac, serverHostKey: def.sshHostKey };
  for (const [key, value] of Object.entries(classes) as [keyof SshAlgorithms, string | undefined][]) {
    const list = algorithmChanges(value);
    if (list) algorithms[key] = list;
  }
  return {
    jump: nonEmpty(def.jump),
    algorithms: Object.keys(algorithms).length > 0 ? algorithms : undefined,
    netconfKeepalive:
      def.netconfKeepalive === undefined || def.netconfKeepalive === '' || !(keepalive >= 0)
        ? NETCONF_KEEPALIVE_DEFAULT
        : keepalive,
  };
}

/**
 * One algorithm field: comma- or space-separated names; a plain name is allowed in addition to
 * ssh2's defaults (after them, so a device that can do better still does), `-name` removes one.
 */
export function algorithmChanges(value: string | undefined): { append: string[]; remove: string[] } | undefined {
  const names = (value ?? '').split(/[\s,]+/).filter((n) => n !== '');
  if (names.length === 0) return undefined;
  return {
    append: names.filter((n) => !n.startsWith('-')),
    remove: names.filter((n) => n.startsWith('-')).map((n) => n.slice(1)),
  };
}

/** SSH options from the settings (also used for call home over SSH). */
export function sshOptions(s: DeviceSettings, logger: Logger): SshOptions {
  const c = s.credentials;
  return {
    host: s.host,
    port: s.port,
    username: nonEmpty(c.username),
    password: c.password || undefined,
    privateKey: nonEmpty(c.privateKey),
    passphrase: c.passphrase || undefined,
    hostFingerprint: s.hostFingerprint,
    verifyHostKey: s.verifyHostKey,
    knownHostsFile: s.knownHostsFile,
    trustOnFirstUse: s.trustOnFirstUse,
    timeout: s.connectTimeout,
    helloTimeout: s.connectTimeout,
    keepaliveInterval: s.keepalive,
    closeTimeout: 3,
    logger,
    algorithms: s.algorithms,
    netconfKeepalive: s.netconfKeepalive,
  };
}

/**
 * TLS: whatever the core tls-config node hands over goes to connectTls as it is:
 * key/cert/ca (files or env), or, with Node-RED 5's PKCS#12 mode, `pfx` + `passphrase` and no ca
 * (the CA inside the .p12 is trusted: see src/transport/tls.ts).
 */
export function tlsOptions(RED: NodeAPI, s: DeviceSettings, logger: Logger): TlsOptions {
  const tlsNode = s.tls ? (RED.nodes.getNode(s.tls) as TlsConfigNode | null) : null;
  if (s.tls && !tlsNode?.addTLSOptions)
    throw new ConnectError('the TLS configuration node is missing (deploy it first)');
  // netconfKeepalive here, so single devices, fleets and their subscriptions all probe (as over SSH).
  const base: TlsOptions = {
    host: s.host,
    port: s.port,
    timeout: s.connectTimeout,
    closeTimeout: 3,
    logger,
    netconfKeepalive: s.netconfKeepalive,
  };
  return tlsNode ? { ...base, ...(tlsNode.addTLSOptions({}) as Partial<TlsOptions>) } : base;
}

/** Opens sessions by dialling the device (SSH or TLS). */
export function directOpener(RED: NodeAPI, s: DeviceSettings, logger: Logger): SessionOpener {
  return {
    open: async () => {
      if (!s.host) throw new ConnectError('no host configured');
      if (s.transport === 'tls') return connectTls(tlsOptions(RED, s, logger));
      return connectSsh({ ...sshOptions(s, logger), jumpHosts: jumpChain(RED, s.jump) });
    },
  };
}

export function deviceLabel(def: DeviceDef, s: DeviceSettings): string {
  if (def.name) return def.name;
  if (isFleet(s)) return 'fleet';
  if (isCallhome(s)) return `call home ${s.identity ?? s.hostFingerprint ?? ''}`.trim();
  return `${s.host}:${s.port}`;
}
