/** What a Session can be told: NETCONF-level settings only (no host, no credentials). */
import type { Logger } from '../logger';
import type { BaseVersion } from './hello';

export interface SessionOptions {
  /** Seconds to wait for the server's `<hello>` (default 30). */
  helloTimeout?: number;
  /** Bound on one received message in bytes (default 512 MiB). */
  maxMessageSize?: number;
  /**
   * Bound on the element nesting of a received message (default 512): deeper messages are refused
   * with NetconfProtocolError before they cost more than their first `maxDepth` elements.
   */
  maxDepth?: number;
  /** Base versions to offer (default both; `['1.0']` for servers that mishandle 1.1). */
  base?: BaseVersion[];
  /** Extra capabilities to announce in our hello. */
  capabilities?: string[];
  /** Notifications kept for takeNotification()/the iterator before the oldest is dropped (default 10000). */
  notificationQueueSize?: number;
  /** Seconds close() waits for the reply to `<close-session>` (default 5). */
  closeTimeout?: number;
  logger?: Logger;
  /** Tears down the transport below the stream (e.g. the SSH connection). */
  closeTransport?: () => void;
  /** Peer description for messages and logs (`10.0.0.1:830`). */
  peer?: string;
  /**
   * Seconds after which a first RPC that has had no byte of answer is followed by one harmless
   * `<get-config>` of nothing, whose reply is dropped (default 1; 0 = never). Some servers
   * (yuma123 netconfd) leave an RPC unanswered when it arrives in the same read as the client's
   * `<hello>` until more bytes come; this is those bytes.
   */
  firstRpcNudge?: number;
}

export interface RpcOptions {
  /** Seconds to wait for the reply (default 120; 0, negative or non-finite values also mean 120: see src/timeout.ts). */
  timeout?: number;
  signal?: AbortSignal;
}

/**
 * The session's share of an options object, picked by name: whatever else the object holds
 * (connectSsh's password, privateKey, passphrase; connectTls's key) is left behind, so a
 * Session never keeps a secret.
 */
export function sessionOptionsOf(options: SessionOptions): SessionOptions {
  const picked: SessionOptions = {
    helloTimeout: options.helloTimeout,
    maxMessageSize: options.maxMessageSize,
    maxDepth: options.maxDepth,
    base: options.base,
    capabilities: options.capabilities,
    notificationQueueSize: options.notificationQueueSize,
    closeTimeout: options.closeTimeout,
    logger: options.logger,
    closeTransport: options.closeTransport,
    peer: options.peer,
    firstRpcNudge: options.firstRpcNudge,
  };
  for (const key of Object.keys(picked) as (keyof SessionOptions)[]) if (picked[key] === undefined) delete picked[key];
  return picked;
}
