/**
 * netconf-callhome: a call-home listener (RFC 8071) shared by the netconf-device nodes that wait
 * for their device to dial in. It listens only while at least one device uses it, and hands each
 * incoming session to the device whose identity (SSH host key or TLS certificate fingerprint)
 * matches.
 */
import {
  CallhomeManager,
  CALLHOME_SSH_PORT,
  CALLHOME_TLS_PORT,
  type CallhomeDevice,
  type Logger,
  type RefusedInfo,
  type TlsOptions,
} from '../src/index';
import type { CallhomeApi } from './shared/callhome-api';
import type { Node, NodeAPI, NodeDef, TlsConfigNode } from './shared/red-types';

interface CallhomeDef extends NodeDef {
  bindTo?: string;
  port?: string | number;
  transport?: string;
  tls?: string;
}

type CallhomeNode = Node & CallhomeApi;

/** RFC 8071 ports: 4334 for NETCONF call home over SSH, 4335 over TLS. */
const DEFAULT_PORT = { ssh: CALLHOME_SSH_PORT, tls: CALLHOME_TLS_PORT } as const;
/** How many distinct refused identities are reported before going quiet (a scanner could send many). */
const MAX_REFUSED_REPORTS = 20;

export = function register(RED: NodeAPI): void {
  function NetconfCallhomeNode(this: CallhomeNode, def: CallhomeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const transport = def.transport === 'tls' ? 'tls' : 'ssh';
    const port = Number(def.port) || DEFAULT_PORT[transport];
    const bindTo = def.bindTo?.trim() || '0.0.0.0';
    const logger: Logger = { debug: (message) => node.debug(message) };
    const attached = new Map<() => void, CallhomeDevice>();
    const refused = new Set<string>();
    let manager: CallhomeManager | undefined;

    Object.defineProperty(node, 'transport', { value: transport });

    const start = (registration: CallhomeDevice): CallhomeManager | undefined => {
      if (manager) return manager;
      let created: CallhomeManager;
      try {
        created = new CallhomeManager({ bindTo, port, logger });
      } catch (err) {
        registration.onError?.(err as Error);
        return undefined;
      }
      manager = created;
      created.on('refused', (info) => reportRefused(info));
      const tlsOptions = transport === 'tls' ? tlsClientOptions() : undefined;
      Promise.resolve()
        .then(() => created.serve(transport, tlsOptions))
        .then(() => node.log(`listening for NETCONF call home over ${transport.toUpperCase()} on ${bindTo}:${port}`))
        .catch((err: unknown) => listenFailed(created, err instanceof Error ? err : new Error(String(err))));
      return created;
    };

    /** Tells every waiting device, and starts afresh on the next attach (the port may be free by then). */
    const listenFailed = (failed: CallhomeManager, err: Error): void => {
      node.error(err.message);
      if (manager !== failed) return;
      const registrations = [...attached.values()];
      attached.clear();
      stop();
      for (const r of registrations) r.onError?.(err);
    };

    /** Call home over TLS: we are still the TLS client, so these are our certificate and the CA. */
    const tlsClientOptions = (): TlsOptions | undefined => {
      const tlsNode = def.tls ? (RED.nodes.getNode(def.tls) as TlsConfigNode | null) : null;
      return tlsNode?.addTLSOptions ? (tlsNode.addTLSOptions({}) as TlsOptions) : undefined;
    };

    const reportRefused = (info: RefusedInfo): void => {
      const key = info.identity ?? info.remoteAddress;
      if (refused.has(key) || refused.size >= MAX_REFUSED_REPORTS) return;
      refused.add(key);
      node.warn(`refused a call home from ${info.remoteAddress}: ${info.reason}`);
    };

    const stop = (): void => {
      const m = manager;
      manager = undefined;
      if (m)
        Promise.resolve()
          .then(() => m.close())
          .catch((err: unknown) => node.debug(`close: ${(err as Error).message}`));
    };

    node.attach = (identity: string, registration: CallhomeDevice): (() => void) => {
      const m = start(registration);
      if (!m) return () => undefined;
      let unregister: () => void;
      try {
        unregister = m.register(identity, registration);
      } catch (err) {
        registration.onError?.(err as Error);
        return () => undefined;
      }
      const detach = (): void => {
        if (!attached.delete(detach)) return;
        unregister();
        if (attached.size === 0) stop();
      };
      attached.set(detach, registration);
      return detach;
    };

    node.on('close', (_removed: boolean, done: () => void) => {
      attached.clear();
      const m = manager;
      manager = undefined;
      // Bounded: Node-RED waits at most 15 s for a node to close.
      const timer = setTimeout(done, 5000);
      Promise.resolve()
        .then(() => m?.close())
        .catch(() => undefined)
        .then(() => {
          clearTimeout(timer);
          done();
        });
    });
  }

  RED.nodes.registerType('netconf-callhome', NetconfCallhomeNode);
};
