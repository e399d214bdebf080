/**
 * netconf-device: the config node that owns a device's NETCONF session (SSH, TLS, or call home
 * over either), shared by every node that uses it. Where sessions come from is a SessionOpener
 * (device-settings.ts dials, callhome-source.ts waits for the device); the editor's endpoints are
 * in device-admin.ts.
 */
import type { Logger } from '../src/index';
import { callhomeOpener } from './shared/callhome-source';
import { describeConnectError } from './shared/connect-text';
import { DeviceConnection, toError } from './shared/connection';
import type { DeviceApi } from './shared/device-api';
import { registerAdminEndpoints } from './shared/device-admin';
import {
  deviceLabel,
  directOpener,
  isCallhome,
  readSettings,
  type DeviceCredentials,
  type DeviceDef,
  type DeviceSettings,
} from './shared/device-settings';
import type { Node, NodeAPI } from './shared/red-types';
import type { SessionOpener } from './shared/session-source';

type DeviceNode = Node<DeviceCredentials> & DeviceApi & { label: string; connection: DeviceConnection };

/** One device node's connections: the shared one, and those dedicated to notification subscriptions. */
class DeviceConnections {
  readonly shared: DeviceConnection;
  private readonly dedicated = new Set<DeviceConnection>();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: DeviceNode,
    private readonly settings: DeviceSettings,
    private readonly opener: SessionOpener,
  ) {
    this.shared = this.create(node.label);
  }

  /** A call-home device dials one session: everything shares it. */
  dedicatedConnection(purpose: string): ReturnType<DeviceApi['dedicatedConnection']> {
    if (isCallhome(this.settings)) return { connection: this.shared, release: () => Promise.resolve() };
    const connection = this.create(`${this.node.label} (${purpose})`);
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

  private create(label: string): DeviceConnection {
    const s = this.settings;
    return new DeviceConnection({
      open: (signal) => this.opener.open(signal),
      label,
      connectingText: isCallhome(s) ? this.RED._('netconf-device.status.waiting-callhome') : undefined,
      rpcTimeout: s.rpcTimeout,
      reconnectMinMs: 1000,
      reconnectMaxMs: s.reconnectMax * 1000,
      queueSize: s.queueSize,
      queueTimeoutMs: s.queueTimeout * 1000,
      closeBoundMs: 8000,
      debug: (message) => this.node.debug(message),
      // Issue 15: errors in the dialog's words, and the log told once per change of state.
      describe: (err) => describeConnectError(this.RED, err, s),
      log: (level, message) => (level === 'warn' ? this.node.warn(message) : this.node.log(message)),
    });
  }
}

function setupDevice(RED: NodeAPI, node: DeviceNode, def: DeviceDef): void {
  const settings = readSettings(def, node.credentials ?? {});
  const logger: Logger = { debug: (message) => node.debug(message) };
  const opener = isCallhome(settings) ? callhomeOpener(RED, settings, logger) : directOpener(RED, settings, logger);
  node.label = deviceLabel(def, settings);
  const connections = new DeviceConnections(RED, node, settings, opener);
  node.connection = connections.shared;
  node.dedicatedConnection = (purpose) => connections.dedicatedConnection(purpose);
  node.on('close', (_removed: boolean, done: () => void) => {
    connections
      .close()
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
