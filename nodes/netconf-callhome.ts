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
import { toError } from './shared/connection';
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
/** Bound on closing the listener: Node-RED waits at most 15 s for a node to close. */
const CLOSE_BOUND_MS = 5000;

/** The listener of one netconf-callhome node: started by the first device, stopped after the last. */
class CallhomeListener {
  readonly transport: 'ssh' | 'tls';
  private readonly port: number;
  private readonly bindTo: string;
  private readonly logger: Logger;
  private readonly attached = new Map<() => void, CallhomeDevice>();
  private readonly refused = new Set<string>();
  private manager?: CallhomeManager;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: CallhomeDef,
  ) {
    this.transport = def.transport === 'tls' ? 'tls' : 'ssh';
    this.port = Number(def.port) || DEFAULT_PORT[this.transport];
    this.bindTo = def.bindTo?.trim() || '0.0.0.0';
    this.logger = { debug: (message) => node.debug(message) };
  }

  /** CallhomeApi.attach: waits for calls from `identity` until the returned function is called. */
  attach(identity: string, registration: CallhomeDevice): () => void {
    const m = this.start(registration);
    if (!m) return () => undefined;
    let unregister: () => void;
    try {
      unregister = m.register(identity, registration);
    } catch (err) {
      registration.onError?.(toError(err));
      return () => undefined;
    }
    const detach = (): void => {
      if (!this.attached.delete(detach)) return;
      unregister();
      if (this.attached.size === 0) this.stop();
    };
    this.attached.set(detach, registration);
    return detach;
  }

  /** For the node's close: stops listening, within CLOSE_BOUND_MS. */
  async close(): Promise<void> {
    this.attached.clear();
    const m = this.manager;
    this.manager = undefined;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_BOUND_MS)));
    const closing = Promise.resolve()
      .then(() => m?.close())
      .catch(() => undefined);
    await Promise.race([closing, bound]);
    clearTimeout(timer);
  }

  private start(registration: CallhomeDevice): CallhomeManager | undefined {
    if (this.manager) return this.manager;
    let created: CallhomeManager;
    try {
      created = new CallhomeManager({ bindTo: this.bindTo, port: this.port, logger: this.logger });
    } catch (err) {
      registration.onError?.(toError(err));
      return undefined;
    }
    this.manager = created;
    created.on('refused', (info) => this.reportRefused(info));
    const tlsOptions = this.transport === 'tls' ? this.tlsClientOptions() : undefined;
    const where = `${this.transport.toUpperCase()} on ${this.bindTo}:${this.port}`;
    Promise.resolve()
      .then(() => created.serve(this.transport, tlsOptions))
      .then(() => this.node.log(`listening for NETCONF call home over ${where}`))
      .catch((err: unknown) => this.listenFailed(created, toError(err)));
    return created;
  }

  /** Tells every waiting device, and starts afresh on the next attach (the port may be free by then). */
  private listenFailed(failed: CallhomeManager, err: Error): void {
    this.node.error(err.message);
    if (this.manager !== failed) return;
    const registrations = [...this.attached.values()];
    this.attached.clear();
    this.stop();
    for (const r of registrations) r.onError?.(err);
  }

  /** Call home over TLS: we are still the TLS client, so these are our certificate and the CA. */
  private tlsClientOptions(): TlsOptions | undefined {
    const tlsNode = this.def.tls ? (this.RED.nodes.getNode(this.def.tls) as TlsConfigNode | null) : null;
    return tlsNode?.addTLSOptions ? tlsNode.addTLSOptions({}) : undefined;
  }

  private reportRefused(info: RefusedInfo): void {
    const key = info.identity ?? info.remoteAddress;
    if (this.refused.has(key) || this.refused.size >= MAX_REFUSED_REPORTS) return;
    this.refused.add(key);
    this.node.warn(`refused a call home from ${info.remoteAddress}: ${info.reason}`);
  }

  private stop(): void {
    const m = this.manager;
    this.manager = undefined;
    if (m)
      Promise.resolve()
        .then(() => m.close())
        .catch((err: unknown) => this.node.debug(`close: ${toError(err).message}`));
  }
}

export = function register(RED: NodeAPI): void {
  function NetconfCallhomeNode(this: CallhomeNode, def: CallhomeDef): void {
    RED.nodes.createNode(this, def);
    const listener = new CallhomeListener(RED, this, def);
    Object.defineProperty(this, 'transport', { value: listener.transport });
    this.attach = (identity, registration) => listener.attach(identity, registration);
    this.on('close', (_removed: boolean, done: () => void) => {
      listener.close().then(done, done);
    });
  }

  RED.nodes.registerType('netconf-callhome', NetconfCallhomeNode);
};
