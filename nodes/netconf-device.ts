/**
 * netconf-device: the config node that owns a device's NETCONF session (SSH, TLS, or call home
 * over either), shared by every node that uses it. Where sessions come from is a SessionOpener
 * (device-settings.ts dials, callhome-source.ts waits for the device); the editor's endpoints are
 * in device-admin.ts.
 */
import { connectSsh, connectTls, type Logger } from '../src/index';
import { callhomeOpener } from './shared/callhome-source';
import { jumpChain } from './shared/jump-hosts';
import { describeConnectError } from './shared/connect-text';
import { DeviceConnection, toError } from './shared/connection';
import type { DedicatedConnection, DeviceApi } from './shared/device-api';
import { registerAdminEndpoints } from './shared/device-admin';
import {
  deviceLabel,
  directOpener,
  isCallhome,
  isFleet,
  readSettings,
  sshOptions,
  tlsOptions,
  type DeviceCredentials,
  type DeviceDef,
  type DeviceSettings,
} from './shared/device-settings';
import type { FleetTarget } from './shared/fleet-target';
import { PoolSource } from './shared/pool-source';
import { debugLogged } from './shared/log-level';
import type { Node, NodeAPI } from './shared/red-types';
import type { SessionOpener } from './shared/session-source';

type DeviceNode = Node<DeviceCredentials> &
  DeviceApi & { label: string; host: string; connection: DeviceConnection; fleet?: PoolSource };

/** Fleet mode: dials one device of the fleet (its host, port and pinned key from msg.device). */
function targetOpener(RED: NodeAPI, s: DeviceSettings, target: FleetTarget, logger: Logger): SessionOpener {
  const one: DeviceSettings = { ...s, host: target.host, port: target.port, hostFingerprint: undefined };
  return {
    open: () =>
      s.transport === 'tls'
        ? connectTls(tlsOptions(RED, one, logger))
        : connectSsh({
            ...sshOptions(one, logger),
            hostFingerprint: target.hostFingerprint,
            jumpHosts: jumpChain(RED, s.jump),
          }),
  };
}

/** One device node's connections: the shared one, and those dedicated to notification subscriptions. */
class DeviceConnections {
  readonly shared: DeviceConnection;
  private readonly dedicated = new Set<DeviceConnection>();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: DeviceNode,
    private readonly settings: DeviceSettings,
    private readonly opener: SessionOpener,
    private readonly logger: Logger,
  ) {
    this.shared = this.create(node.label);
  }

  /** A call-home device dials one session: everything shares it. */
  dedicatedConnection(purpose: string, target?: FleetTarget): DedicatedConnection {
    if (isCallhome(this.settings)) return { connection: this.shared, release: () => Promise.resolve() };
    const connection = target
      ? this.create(`${target.name} (${purpose})`, targetOpener(this.RED, this.settings, target, this.logger))
      : this.create(`${this.node.label} (${purpose})`);
    this.dedicated.add(connection);
    return {
      connection,
      release: () => {
        this.dedicated.delete(connection);
        return connection.close();
      },
    };
  }

  async close(): Promise<void> {
    const all = [this.shared, ...this.dedicated].map((c) => c.close());
    this.dedicated.clear();
    await Promise.all(all);
    this.opener.close?.();
  }

  private create(label: string, opener = this.opener): DeviceConnection {
    const s = this.settings;
    return new DeviceConnection({
      open: (signal) => opener.open(signal),
      label,
      connectingText: isCallhome(s) ? this.RED._('netconf-device.status.waiting-callhome') : undefined,
      rpcTimeout: s.rpcTimeout,
      reconnectMinMs: 1000,
      reconnectMaxMs: s.reconnectMax * 1000,
      queueSize: s.queueSize,
      queueTimeoutMs: s.queueTimeout * 1000,
      closeBoundMs: 8000,
      debug: (message) => this.logger.debug(message),
      // Issue 15: errors in the dialog's words, and the log told once per change of state.
      describe: (err) => describeConnectError(this.RED, err, s),
      log: (level, message) => (level === 'warn' ? this.node.warn(message) : this.node.log(message)),
    });
  }
}

function setupDevice(RED: NodeAPI, node: DeviceNode, def: DeviceDef): void {
  const settings = readSettings(def, node.credentials ?? {});
  // A host key recorded by trust on first use goes to the log (info), not only to debug; other
  // debug lines only when a log handler reports them (node.debug costs an Error each: log-level.ts).
  const debug = debugLogged(RED);
  const logger: Logger = {
    debug: (message) => {
      if (message.startsWith('trust on first use:')) node.log(message);
      else if (debug) node.debug(message);
    },
  };
  const opener = isCallhome(settings) ? callhomeOpener(RED, settings, logger) : directOpener(RED, settings, logger);
  node.label = deviceLabel(def, settings);
  const connections = new DeviceConnections(RED, node, settings, opener, logger);
  node.connection = connections.shared;
  node.host = settings.host;
  node.dedicatedConnection = (purpose) => connections.dedicatedConnection(purpose);
  // fleet mode: one pool for the operation nodes, a connection per subscribed device
  const fleet = isFleet(settings) ? new PoolSource(RED, settings, logger) : undefined;
  if (fleet) {
    node.fleet = fleet;
    node.fleetConnection = (target, purpose) => connections.dedicatedConnection(purpose, target);
  }
  node.on('close', (_removed: boolean, done: () => void) => {
    Promise.all([connections.close(), fleet?.close()])
      .catch((err: unknown) => node.debug(`close: ${toError(err).message}`))
      .then(() => done(), done);
  });
}

export = function register(RED: NodeAPI): void {
  function NetconfDeviceNode(this: DeviceNode, def: DeviceDef): void {
    RED.nodes.createNode(this, def);
    setupDevice(RED, this, def);
  }

  RED.nodes.registerType('netconf-device', NetconfDeviceNode, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      privateKey: { type: 'password' },
      passphrase: { type: 'password' },
    },
  });

  registerAdminEndpoints(RED);
};
