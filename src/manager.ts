/**
 * Manager: one method per NETCONF operation (RFC 6241, RFC 5277, RFC 6022, RFC 8526), in the
 * shape of netconf_client's Manager with camelCase names. Every call returns a Promise; timeouts
 * are in seconds, as in the original, so migrated code keeps its numbers.
 *
 * Each request and reply is logged at debug level with the log id and the round-trip time.
 */
import type { Logger } from './logger';
import { defaultLogger } from './logger';
import type { CommitOptions, EditConfigOptions, WithDefaults } from './operations/rpc';
import {
  prepareCancelCommit,
  prepareCloseSession,
  prepareCommit,
  prepareCopyConfig,
  prepareCreateSubscription,
  prepareDeleteConfig,
  prepareDiscardChanges,
  prepareDispatch,
  prepareEditConfig,
  prepareGet,
  prepareGetConfig,
  prepareGetData,
  prepareGetSchema,
  prepareKillSession,
  prepareLock,
  prepareUnlock,
  prepareValidate,
  type GetConfigInput,
  type GetDataInput,
  type GetInput,
  type JsonToXml,
  type PreparedRpc,
  type SubscriptionInput,
  type XmlInput,
} from './operations/prepared';
import type { Notification } from './session/notification';
import { DataReply, type RpcReply } from './session/reply';
import type { Session } from './session/session';
import { childElement } from './xml/element';
import type { TextSource } from './xml/sax';
import { NS_BASE, NS_MONITORING, NS_NMDA } from './namespaces';
import { DeviceYang } from './device-yang';
import { InvalidInputError, NetconfClientError, RpcError } from './errors';
import { DEFAULT_TIMEOUT_SECONDS, timeoutSeconds } from './timeout';
import { loadDeviceSchema, type LoadYangOptions } from './schema-loader';
import type { JsonConversion } from './session/json-decoder';
import { candidateTransaction, type TransactionOptions } from './transaction';
import type { DeviceSchema } from './yang/device-schema';

export type { XmlInput } from './operations/prepared';

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

export interface GetOptions extends GetInput, CallOptions {}

export interface GetConfigOptions extends GetConfigInput, CallOptions {}

export class Manager {
  readonly session: Session;
  logId: string;
  private rpcTimeout = DEFAULT_TIMEOUT_SECONDS;
  private readonly logger: Logger;
  /** The device's YANG once loadYang() ran: the only place the schema is kept. */
  private deviceYang?: DeviceYang;

  constructor(session: Session, options: ManagerOptions = {}) {
    this.session = session;
    this.logId = options.logId ?? session.peer;
    this.logger = options.logger ?? defaultLogger;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  }

  /**
   * Seconds each RPC waits for its reply (default 120). A value that is not a finite number
   * above 0 (0, -1, NaN, Infinity) would mean waiting forever: it becomes 120, with a warning.
   */
  get timeout(): number {
    return this.rpcTimeout;
  }

  set timeout(seconds: number) {
    this.rpcTimeout = timeoutSeconds(seconds, DEFAULT_TIMEOUT_SECONDS, 'Manager timeout', this.logger);
  }

  /** netconf_client's `set_rpc_timeout`: the same as assigning `timeout`. */
  setRpcTimeout(seconds: number): void {
    this.timeout = seconds;
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

  /** The device's YANG schema, once loadYang() has run on this session. */
  get yang(): DeviceSchema | undefined {
    return this.deviceYang?.device;
  }

  /** Any reply as a DataReply whose `json` uses this Manager's schema (e.g. a dispatch() answer with `<data>`). */
  dataReply(reply: RpcReply): DataReply {
    return new DataReply(reply, this.deviceYang);
  }

  /**
   * An RPC's output (a dispatch() reply without `<data>`) as RFC 7951 JSON, `{ "module:output":
   * {...} }` when `request` (what was dispatched) names an RPC of the schema. Needs loadYang().
   */
  rpcOutputJson(reply: RpcReply, request?: XmlInput): JsonConversion {
    if (!this.deviceYang)
      throw new NetconfClientError("RFC 7951 JSON needs the device's YANG schema: call loadYang() first");
    return this.deviceYang.rpcOutput(reply, request);
  }

  /** Same as rpcOutputJson, converted from the reply text in slices that yield to the event loop. */
  async getRpcOutputJson(reply: RpcReply, request?: XmlInput): Promise<JsonConversion> {
    if (!this.deviceYang)
      throw new NetconfClientError("RFC 7951 JSON needs the device's YANG schema: call loadYang() first");
    return this.deviceYang.rpcOutputAsync(reply, request);
  }

  /**
   * Fetches the device's YANG modules (hello capabilities and ietf-yang-library, then RFC 6022
   * get-schema for each, with imports and submodules; cached across sessions by name and
   * revision) and builds the schema. Afterwards `DataReply.json` and `Notification.json` give
   * RFC 7951 JSON, and configs, filters and RPCs may be given as RFC 7951 JSON.
   */
  async loadYang(options: LoadYangOptions = {}): Promise<DeviceSchema> {
    const schema = await loadDeviceSchema(
      {
        serverCapabilities: this.session.serverCapabilities,
        getYangLibrary: async (filter) => {
          const reply = await this.get({ filter });
          return reply.element.children.find((c) => c.local === 'data' && (c.ns === NS_BASE || c.ns === NS_NMDA));
        },
        getSchema: (identifier, o) => this.getSchema(identifier, o),
      },
      options,
    );
    this.deviceYang = new DeviceYang(schema);
    // Notifications are made by the session as they arrive: it carries the decoder for them.
    this.session.useJsonDecoder(this.deviceYang);
    return schema;
  }

  /** RFC 7951 JSON input of a prepared operation becomes XML through the device's schema. */
  private readonly jsonToXml: JsonToXml = (json, what) => {
    if (!this.deviceYang)
      throw new InvalidInputError(`${what} is RFC 7951 JSON (module-qualified members): call loadYang() first`);
    return this.deviceYang.toXml(json, what);
  };

  private async call(funcname: string, operation: string, options: CallOptions = {}): Promise<RpcReply> {
    const timeout = timeoutSeconds(options.timeout, this.timeout, `${funcname} timeout`, this.logger);
    // Log messages quote whole requests: only build them when someone reads them.
    const log = this.logger.enabled !== false;
    if (log) this.logger.debug(`[${this.logId}] ${funcname} request: ${operation}`, { funcname });
    const started = performance.now();
    try {
      const reply = await this.session.sendRpc(operation, { timeout, signal: options.signal });
      if (log) {
        this.logger.debug(
          `[${this.logId}] ${funcname} reply after ${reply.rttMs.toFixed(1)} ms: ${preview(reply.incoming.text)}`,
          {
            funcname,
            rttMs: reply.rttMs,
          },
        );
      }
      return reply;
    } catch (err) {
      if (log) {
        const ms = (performance.now() - started).toFixed(1);
        this.logger.debug(
          `[${this.logId}] ${funcname} failed after ${ms} ms: ${err instanceof RpcError ? err.detail : (err as Error).message}`,
          { funcname },
        );
      }
      throw err;
    }
  }

  /**
   * Sends a prepared operation (see prepareGet() and the other prepare functions): its input was
   * checked when it was prepared; RFC 7951 JSON input becomes XML now, through this Manager's schema.
   */
  execute(op: PreparedRpc<'data'>, options?: CallOptions): Promise<DataReply>;
  execute(op: PreparedRpc, options?: CallOptions): Promise<RpcReply>;
  async execute(op: PreparedRpc, options: CallOptions = {}): Promise<RpcReply> {
    const reply = await this.call(op.name, op.xml(this.jsonToXml), options);
    return op.reply === 'data' ? new DataReply(reply, this.deviceYang) : reply;
  }

  async get(options: GetOptions = {}): Promise<DataReply> {
    return this.execute(prepareGet(options), options);
  }

  async getConfig(options: GetConfigOptions = {}): Promise<DataReply> {
    return this.execute(prepareGetConfig(options), options);
  }

  /** RFC 8526 `<get-data>` from an NMDA datastore (default `ds:operational`). */
  async getData(options: GetDataInput & CallOptions = {}): Promise<DataReply> {
    return this.execute(prepareGetData(options), options);
  }

  async editConfig(config: XmlInput, options: EditConfigOptions & CallOptions = {}): Promise<RpcReply> {
    return this.execute(prepareEditConfig(config, options), options);
  }

  async copyConfig(
    target: string,
    source: XmlInput,
    options: { withDefaults?: WithDefaults } & CallOptions = {},
  ): Promise<RpcReply> {
    return this.execute(prepareCopyConfig(target, source, options), options);
  }

  async deleteConfig(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareDeleteConfig(target), options);
  }

  async lock(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareLock(target), options);
  }

  async unlock(target: string, options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareUnlock(target), options);
  }

  async commit(options: CommitOptions & CallOptions = {}): Promise<RpcReply> {
    return this.execute(prepareCommit(options), options);
  }

  async cancelCommit(options: { persistId?: string } & CallOptions = {}): Promise<RpcReply> {
    return this.execute(prepareCancelCommit(options), options);
  }

  async discardChanges(options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareDiscardChanges(), options);
  }

  async validate(source: XmlInput = 'candidate', options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareValidate(source), options);
  }

  async killSession(sessionId: number | string, options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareKillSession(sessionId), options);
  }

  /**
   * Lock the candidate, edit it, commit (optionally confirmed), unlock; on any failure discard
   * the changes and unlock, then reject with the error of the step that failed.
   */
  async candidateTransaction(config: XmlInput, options: TransactionOptions = {}): Promise<RpcReply> {
    return candidateTransaction(this, config, options);
  }

  /** Sends `<close-session>` (the session then ends). Prefer close(). */
  async closeSession(options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareCloseSession(), options);
  }

  /** RFC 5277 `<create-subscription>`; read events with takeNotification() or notifications(). */
  async createSubscription(options: SubscriptionInput & CallOptions = {}): Promise<RpcReply> {
    return this.execute(prepareCreateSubscription(options), options);
  }

  /**
   * The next notification. With `block` (default), waits up to `timeout` seconds (forever when
   * undefined) and resolves undefined on timeout; without, resolves undefined at once if none.
   */
  takeNotification(
    options: { block?: boolean; timeout?: number; signal?: AbortSignal } = {},
  ): Promise<Notification | undefined> {
    return this.session.takeNotification(options);
  }

  /** Notifications as an async iterator (ends when the session closes). */
  notifications(signal?: AbortSignal): AsyncGenerator<Notification, void, undefined> {
    return this.session.notifications(signal);
  }

  /** RFC 6022 `<get-schema>`: the schema text (YANG by default). */
  async getSchema(
    identifier: string,
    options: { version?: string; format?: string } & CallOptions = {},
  ): Promise<string> {
    const reply = new DataReply(await this.execute(prepareGetSchema(identifier, options), options));
    // The schema is the text content of <data> (in the monitoring namespace; tolerate base too).
    const root = reply.element;
    const data = childElement(root, 'data', NS_MONITORING) ?? childElement(root, 'data');
    return data ? data.text : '';
  }

  /** Sends any operation (XML without the `<rpc>` element, or an object). */
  async dispatch(rpc: XmlInput, options?: CallOptions): Promise<RpcReply> {
    return this.execute(prepareDispatch(rpc), options);
  }

  /** Ends the session with `<close-session>` (bounded wait) and closes the transport. */
  close(): Promise<void> {
    return this.session.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** The start of a reply for the log, without joining a large reply's text. */
function preview(xml: TextSource): string {
  return xml.length > 2000 ? `${xml.slice(0, 2000)}... (${xml.length} characters)` : xml.slice(0, xml.length);
}
