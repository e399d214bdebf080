/**
 * Error classes of the library. They mirror netconf_client's (NetconfClientException,
 * NetconfProtocolError, RpcError, SessionClosedException) with JavaScript names, and add the
 * transport/timeout cases a long-running Node-RED flow has to tell apart.
 */

/** Base class of every error this library throws or rejects with. */
export class NetconfClientError extends Error {
  /**
   * A stable, machine-readable kind (`NETCONF_*`, or an RpcError's error-tag): what flows and
   * callers route on, so they never depend on class identity or message wording.
   */
  readonly code: string = 'NETCONF_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The peer broke RFC 6241/6242 (bad framing, bad hello, unparseable or forbidden XML). */
export class NetconfProtocolError extends NetconfClientError {
  override readonly code: string = 'NETCONF_PROTOCOL';
}

/** The session ended (transport lost, closed by us or the server) while an RPC was waiting. */
export class SessionClosedError extends NetconfClientError {
  override readonly code: string = 'NETCONF_SESSION_CLOSED';
}

/** An RPC did not get its reply in time. The session stays usable. */
export class RpcTimeoutError extends NetconfClientError {
  override readonly code: string = 'NETCONF_TIMEOUT';
}

/** Bad input from the caller (a config, filter, option): nothing was sent. */
export class InvalidInputError extends NetconfClientError {
  override readonly code: string = 'NETCONF_INVALID_INPUT';
}

/**
 * Why connecting failed, where the transport can tell: `auth` (credentials refused) and
 * `host-key` (the server's key is not the pinned one) will not go away by retrying; `network`
 * (refused, unreachable, reset) and `timeout` may.
 */
export type ConnectFailure = 'auth' | 'host-key' | 'network' | 'timeout';

/** Connecting failed: TCP, SSH/TLS handshake, authentication or host key verification. */
export class ConnectError extends NetconfClientError {
  override readonly code: string = 'NETCONF_CONNECT';
  /** For a host key problem: the fingerprint the server presented (`SHA256:...`). */
  readonly fingerprint?: string;
  /** Why, when known (code stays NETCONF_CONNECT for every reason). */
  readonly reason?: ConnectFailure;
  constructor(message: string, options?: { cause?: unknown; fingerprint?: string; reason?: ConnectFailure }) {
    super(message, options);
    this.fingerprint = options?.fingerprint;
    this.reason = options?.reason;
  }
}

/** One `<rpc-error>` element (RFC 6241 section 4.3), every field as the server sent it. */
export interface RpcErrorInfo {
  type?: string;
  tag?: string;
  severity?: string;
  appTag?: string;
  path?: string;
  /** The error-message text (white space around it trimmed). */
  message?: string;
  /** The `xml:lang` of error-message, when given. */
  messageLang?: string;
  /** The error-info children as an XML string (namespaces declared), or undefined. */
  infoXml?: string;
  /** error-info children by local name, text values (e.g. `{ 'session-id': '7' }` for lock-denied). */
  info?: Record<string, string>;
}

/**
 * A reply held at least one `<rpc-error>` of severity "error" (anywhere in it outside `<data>`).
 * `errors` lists all of them, warnings included; the top-level fields are those of the first
 * error of severity "error". As in netconf_client, `message` is that error's `<error-message>`
 * text and nothing else ('' when it has none; white space around it trimmed); `toString()` and
 * `detail` add tag, type and path.
 */
export class RpcError extends NetconfClientError {
  /** The error-tag of the first error (`lock-denied`, `data-missing`, ...), or `rpc-error` without one. */
  override readonly code: string;
  readonly errors: RpcErrorInfo[];
  readonly type?: string;
  readonly tag?: string;
  readonly severity?: string;
  readonly appTag?: string;
  readonly path?: string;
  readonly info?: Record<string, string>;
  readonly infoXml?: string;
  /** The raw `<rpc-reply>` text. */
  readonly replyXml: string;
  readonly messageId?: string;

  /** The message with tag, type, path and how many more errors: what logs and Node-RED show. */
  readonly detail: string;

  constructor(errors: RpcErrorInfo[], replyXml: string, messageId?: string) {
    const first = errors.find((e) => e.severity !== 'warning') ?? errors[0] ?? {};
    super(first.message ?? '');
    this.detail = RpcError.describe(first, errors.length);
    this.code = first.tag || 'rpc-error';
    this.errors = errors;
    this.type = first.type;
    this.tag = first.tag;
    this.severity = first.severity;
    this.appTag = first.appTag;
    this.path = first.path;
    this.info = first.info;
    this.infoXml = first.infoXml;
    this.replyXml = replyXml;
    this.messageId = messageId;
  }

  /** netconf_client's `reply_raw`: the raw `<rpc-reply>` text (same as replyXml). */
  get replyRaw(): string {
    return this.replyXml;
  }

  override toString(): string {
    return `${this.name}: ${this.detail}`;
  }

  private static describe(e: RpcErrorInfo, count: number): string {
    const head = e.message?.trim() || e.tag || 'rpc-error';
    const detail = [e.tag && `tag ${e.tag}`, e.type && `type ${e.type}`, e.path && `path ${e.path}`]
      .filter(Boolean)
      .join(', ');
    const more = count > 1 ? ` (+${count - 1} more)` : '';
    return detail ? `${head} (${detail})${more}` : `${head}${more}`;
  }
}
