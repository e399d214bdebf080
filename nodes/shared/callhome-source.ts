/**
 * Call home as a SessionOpener: sessions come when the device dials the netconf-callhome
 * listener. open() hands out the session the device opened (or waits for one); a session offered
 * while none is wanted is kept for the next open(), replacing an older one.
 */
import { ConnectError, type Logger, type Session, type SshOptions } from '../../src/index';
import { isCallhomeApi, type CallhomeApi } from './callhome-api';
import { toError } from './connection';
import { sshOptions, type DeviceSettings } from './device-settings';
import type { NodeAPI } from './red-types';
import type { SessionOpener } from './session-source';

export class CallhomeSource implements SessionOpener {
  private detach?: () => void;
  private ready?: Session;
  private waiter?: { resolve(session: Session): void; reject(err: Error): void };

  constructor(
    private readonly listener: CallhomeApi,
    private readonly identity: string,
    private readonly ssh: SshOptions,
    private readonly logger: Logger,
  ) {}

  open(signal: AbortSignal): Promise<Session> {
    this.attach();
    const ready = this.ready;
    this.ready = undefined;
    if (ready && !ready.closed) return Promise.resolve(ready);
    this.waiter?.reject(new ConnectError('superseded by a newer wait for call home'));
    return new Promise<Session>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiter = undefined;
        reject(toError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (session) => {
          signal.removeEventListener('abort', onAbort);
          resolve(session);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
    });
  }

  private attach(): void {
    if (this.detach) return;
    const { host: _host, port: _port, ...ssh } = this.ssh;
    const { netconfKeepalive, helloTimeout, closeTimeout } = ssh;
    this.detach = this.listener.attach(this.identity, {
      sshOptions: ssh,
      sessionOptions: { netconfKeepalive, helloTimeout, closeTimeout },
      onSession: (session) => this.offer(session),
      onError: (err) => this.onError(err),
    });
  }

  private offer(session: Session): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) return waiter.resolve(session);
    const old = this.ready;
    this.ready = session;
    if (old) void old.close().catch(() => undefined);
  }

  private onError(err: Error): void {
    this.logger.debug(`call home from ${this.identity}: ${err.message}`);
    // Attach afresh on the next open(): the listener may have failed and been reset.
    this.detach?.();
    this.detach = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(err);
  }

  close(): void {
    this.detach?.();
    this.detach = undefined;
    this.waiter?.reject(new ConnectError('call home wait cancelled'));
    this.waiter = undefined;
    if (this.ready) void this.ready.close().catch(() => undefined);
    this.ready = undefined;
  }
}

/** An opener that fails every attempt with the configuration problem, shown on the nodes' status. */
function failing(message: string): SessionOpener {
  return { open: () => Promise.reject(new ConnectError(message)) };
}

/** The call-home opener for a device's settings, or one that reports why it cannot work. */
export function callhomeOpener(RED: NodeAPI, settings: DeviceSettings, logger: Logger): SessionOpener {
  const listener = settings.callhome ? RED.nodes.getNode(settings.callhome) : undefined;
  // For call home over SSH the device's identity is its host key fingerprint.
  const identity = settings.transport === 'callhome-ssh' ? settings.hostFingerprint : settings.identity;
  const wanted = settings.transport === 'callhome-ssh' ? 'ssh' : 'tls';
  // The messages name the fields as the device dialog labels them (Listener, Host key, Device cert).
  if (!isCallhomeApi(listener)) return failing('no call-home Listener is configured for this device');
  if (listener.transport !== wanted) {
    return failing(
      `the call-home listener accepts ${listener.transport.toUpperCase()}, but this device calls home over ${wanted.toUpperCase()}`,
    );
  }
  if (!identity) {
    const field = wanted === 'ssh' ? 'Host key' : 'Device cert';
    return failing(`call home over ${wanted.toUpperCase()} needs the device's ${field} (its fingerprint)`);
  }
  return new CallhomeSource(listener, identity, sshOptions(settings, logger), logger);
}
