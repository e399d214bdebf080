/**
 * Manager: one method per NETCONF operation (RFC 6241, RFC 5277, RFC 6022, RFC 8526), in the
 * shape of netconf_client's Manager with camelCase names. Every call returns a Promise; timeouts
 * are in seconds, as in the original, so migrated code keeps its numbers.
 *
 * Each request and reply is logged at debug level with the log id and the round-trip time.
 */
import type { Logger } from './logger';
import { defaultLogger } from './logger';
import * as ops from './operations/rpc';
import type { Filter } from './operations/filter';
import type { Notification } from './session/notification';
import { DataReply, type RpcReply } from './session/reply';
import type { Session } from './session/session';
import { childElement } from './xml/element';
import type { XmlObject } from './xml/object';
import { NS_MONITORING } from './namespaces';

export interface ManagerOptions {
  /** Seconds to wait for each reply (default 120, as netconf_client). */
  timeout?: number;
  /** Application-specific log id (default: the peer address). */
  logId?: string;
  logger?: Logger;
}

export interface CallOptions {
  /** Seconds for this call, overriding the Manager's timeout. */
  timeout?: number;
  signal?: AbortSignal;
}

export interface GetOptions extends CallOptions {
  filter?: Filter;
  withDefaults?: ops.WithDefaults;
}

export interface GetConfigOptions extends GetOptions {
  source?: string;
}

export class Manager {
  readonly session: Session;
  timeout: number;
  logId: string;
  private readonly logger: Logger;

  constructor(session: Session, options: ManagerOptions = {}) {
    this.session = session;
    this.timeout = options.timeout ?? 120;
    this.logId = options.logId ?? session.peer;
    this.logger = options.logger ?? defaultLogger;
  }

  /** The session id from the server's `<hello>`. */
  get sessionId(): number | undefined {
    return this.session.sessionId;
  }

  get serverCapabilities(): string[] {
    return this.session.serverCapabilities;
  }

  /** True when the server announced a capability starting with `uri` (ignoring `?params`). */
  hasCapability(uri: string): boolean {
    return this.session.serverCapabilities.some((c) => c === uri || c.startsWith(`${uri}?`));
  }

  private async call(funcname: string, operation: string, options: CallOptions = {}): Promise<RpcReply> {
    const timeout = options.timeout ?? this.timeout;
    this.logger.debug(`[${this.logId}] ${funcname} request: ${operation}`, { funcname });
    const started = performance.now();
    try {
      const reply = await this.session.sendRpc(operation, { timeout, signal: options.signal });
      this.logger.debug(`[${this.logId}] ${funcname} reply after ${reply.rttMs.toFixed(1)} ms: ${preview(reply.xml)}`, {
        funcname,
        rttMs: reply.rttMs,
      });
      return reply;
    } catch (err) {
      const ms = (performance.now() - started).toFixed(1);
      this.logger.debug(`[${this.logId}] ${funcname} failed after ${ms} ms: ${(err as Error).message}`, { funcname });
      throw err;
    }
  }

  async get(options: GetOptions = {}): Promise<DataReply> {
    return new DataReply(await this.call('get', ops.getRpc(options.filter, options.withDefaults), options));
  }

  async getConfig(options: GetConfigOptions = {}): Promise<DataReply> {
    const rpc = ops.getConfigRpc(options.source ?? 'running', options.filter, options.withDefaults);
    return new DataReply(await this.call('getConfig', rpc, options));
  }

  /** RFC 8526 `<get-data>` from an NMDA datastore (default `ds:operational`). */
  async getData(options: ops.GetDataOptions & CallOptions = {}): Promise<DataReply> {
    return new DataReply(await this.call('getData', ops.getDataRpc(options), options));
  }

  async editConfig(config: string | XmlObject, options: ops.EditConfigOptions & CallOptions = {}): Promise<RpcReply> {
    return this.call('editConfig', ops.editConfigRpc(config, options), options);
  }

  async copyConfig(
    target: string,
    source: string | XmlObject,
    options: { withDefaults?: ops.WithDefaults } & CallOptions = {},
  ): Promise<RpcReply> {
    return this.call('copyConfig', ops.copyConfigRpc(target, source, options.withDefaults), options);
  }

  async deleteConfig(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.call('deleteConfig', ops.deleteConfigRpc(target), options);
  }

  async lock(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.call('lock', ops.lockRpc(target), options);
  }

  async unlock(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.call('unlock', ops.unlockRpc(target), options);
  }

  async commit(options: ops.CommitOptions & CallOptions = {}): Promise<RpcReply> {
    return this.call('commit', ops.commitRpc(options), options);
  }

  async cancelCommit(options: { persistId?: string } & CallOptions = {}): Promise<RpcReply> {
    return this.call('cancelCommit', ops.cancelCommitRpc(options.persistId), options);
  }

  async discardChanges(options?: CallOptions): Promise<RpcReply> {
    return this.call('discardChanges', ops.discardChangesRpc(), options);
  }

  async validate(source: string | XmlObject = 'candidate', options?: CallOptions): Promise<RpcReply> {
    return this.call('validate', ops.validateRpc(source), options);
  }

  async killSession(sessionId: number | string, options?: CallOptions): Promise<RpcReply> {
    return this.call('killSession', ops.killSessionRpc(sessionId), options);
  }

  /** Sends `<close-session>` (the session then ends). Prefer close(). */
  async closeSession(options?: CallOptions): Promise<RpcReply> {
    return this.call('closeSession', ops.closeSessionRpc(), options);
  }

  /** RFC 5277 `<create-subscription>`; read events with takeNotification() or notifications(). */
  async createSubscription(options: ops.SubscriptionOptions & CallOptions = {}): Promise<RpcReply> {
    return this.call('createSubscription', ops.createSubscriptionRpc(options), options);
  }

  /**
   * The next notification. With `block` (default), waits up to `timeout` seconds (forever when
   * undefined) and resolves undefined on timeout; without, resolves undefined at once if none.
   */
  takeNotification(options: { block?: boolean; timeout?: number; signal?: AbortSignal } = {}): Promise<Notification | undefined> {
    return this.session.takeNotification(options);
  }

  /** Notifications as an async iterator (ends when the session closes). */
  notifications(signal?: AbortSignal): AsyncGenerator<Notification, void, undefined> {
    return this.session.notifications(signal);
  }

  /** RFC 6022 `<get-schema>`: the schema text (YANG by default). */
  async getSchema(identifier: string, options: { version?: string; format?: string } & CallOptions = {}): Promise<string> {
    const reply = new DataReply(await this.call('getSchema', ops.getSchemaRpc(identifier, options.version, options.format), options));
    // The schema is the text content of <data> (in the monitoring namespace; tolerate base too).
    const root = reply.element;
    const data = childElement(root, 'data', NS_MONITORING) ?? childElement(root, 'data');
    return data ? data.text : '';
  }

  /** Sends any operation (XML without the `<rpc>` element, or an object). */
  async dispatch(rpc: string | XmlObject, options?: CallOptions): Promise<RpcReply> {
    return this.call('dispatch', ops.customRpc(rpc), options);
  }

  /** Ends the session with `<close-session>` (bounded wait) and closes the transport. */
  close(): Promise<void> {
    return this.session.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function preview(xml: string): string {
  return xml.length > 2000 ? `${xml.slice(0, 2000)}... (${xml.length} characters)` : xml;
}
