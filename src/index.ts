/**
 * node-red-contrib-netconf's NETCONF client library (no Node-RED imports): a TypeScript port of
 * Python's netconf_client. `require('node-red-contrib-netconf')` gives this module.
 */
export { connectSsh, connectTls, startSession, startTlsSession, type SshOptions, type TlsOptions } from './connect';
export { openSshStream, type SshTransportOptions, type SshCredentials, type SshIdentify } from './transport/ssh';
export { sshFingerprint } from './transport/host-key';
export { failedJumpHost, type SshJumpHost } from './transport/ssh-jump';
export type { SshAlgorithmList, SshAlgorithms } from './transport/ssh-algorithms';
export type { KeepaliveOptions } from './session/keepalive';
export { openTlsStream, tlsFingerprint, TLS_PORT, type TlsTransportOptions, type TlsStream } from './transport/tls';
export type { TransportStream } from './transport/stream';
export {
  CallhomeManager,
  CALLHOME_SSH_PORT,
  CALLHOME_TLS_PORT,
  type CallhomeManagerOptions,
  type CallhomeDevice,
  type CallhomeEvents,
  type AcceptOptions,
  type RefusedInfo,
} from './callhome';
export { Session, type SessionOptions, type RpcOptions } from './session/session';
export { sessionOptionsOf } from './session/options';
export type { JsonDecoder, JsonConversion } from './session/json-decoder';
export { DeviceYang } from './device-yang';
export { RpcReply, DataReply } from './session/reply';
export { Notification } from './session/notification';
export { Manager, type ManagerOptions, type CallOptions, type GetOptions, type GetConfigOptions } from './manager';
export type {
  CommitOptions,
  EditConfigOptions,
  GetDataOptions,
  SubscriptionOptions,
  WithDefaults,
} from './operations/rpc';
export type { Filter, XpathFilter, SubtreeFilter } from './operations/filter';
export {
  prepareGet,
  prepareGetConfig,
  prepareGetData,
  prepareEditConfig,
  prepareCopyConfig,
  prepareDeleteConfig,
  prepareLock,
  prepareUnlock,
  prepareCommit,
  prepareCancelCommit,
  prepareDiscardChanges,
  prepareValidate,
  prepareKillSession,
  prepareCloseSession,
  prepareCreateSubscription,
  prepareGetSchema,
  prepareDispatch,
  type PreparedRpc,
  type ReplyKind,
  type JsonToXml,
  type GetInput,
  type GetConfigInput,
  type GetDataInput,
  type SubscriptionInput,
} from './operations/prepared';
export {
  candidateTransaction,
  editTransaction,
  resolveTarget,
  type TransactionOptions,
  type EditTransactionOptions,
  type TransactionResult,
  type TransactionDatastore,
} from './transaction';
export { checkTransaction, type CheckResult } from './check-transaction';
export { LockDeniedError, LOCK_POLICIES, type LockPolicy, type LockOptions } from './transaction-lock';
export {
  NetconfClientError,
  NetconfProtocolError,
  RpcError,
  RpcTimeoutError,
  SessionClosedError,
  ConnectError,
  type ConnectFailure,
  InvalidInputError,
  type RpcErrorInfo,
} from './errors';
export { xmlToObject, xmlToObjectAsync, objectToXml, type XmlObject, type XmlValue } from './xml/object';
export { parseTree, type XmlElement } from './xml/element';
export { prettyXml } from './xml/pretty';
export type { Logger } from './logger';
export { sharedYangCache, type LoadYangOptions } from './schema-loader';
export type { XmlInput } from './manager';
export { isRfc7951, type DeviceSchema } from './yang/device-schema';
export {
  YangSchemaSet,
  YangModuleCache,
  parseYang,
  xmlToJson,
  jsonToXml,
  YangJsonError,
  YangSyntaxError,
  type JsonObject,
  type JsonValue,
  type SchemaNode,
} from './yang';
export * as namespaces from './namespaces';
export {
  SessionPool,
  sshPoolFactory,
  tlsPoolFactory,
  targetKey,
  PoolFullError,
  PoolTimeoutError,
  PoolClosedError,
  type PoolFactory,
  type SessionPoolOptions,
  type UseOptions,
  type PoolTarget,
  type PooledManager,
  type BackoffOptions,
  type DeviceState,
  type DeviceStateEvent,
  type PoolCounts,
  type SessionPoolEvents,
  type DeviceFailingInfo,
} from './pool';
export {
  diffConfig,
  diffToEditConfig,
  canonicalConfig,
  ConfigDiff,
  DiffError,
  NO_SCHEMA_WARNING,
  type DiffOptions,
  type DiffChange,
  type ChangeOp,
  type CanonicalConfig,
  type ConfigInput,
  type DiffSchema,
  type EditConfigOptions as DiffEditConfigOptions,
} from './diff';
