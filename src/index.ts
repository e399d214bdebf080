/**
 * node-red-contrib-netconf's NETCONF client library (no Node-RED imports): a TypeScript port of
 * Python's netconf_client. `require('node-red-contrib-netconf')` gives this module.
 */
export { connectSsh, type SshOptions } from './transport/ssh';
export { sshFingerprint } from './transport/host-key';
export { connectTls, tlsFingerprint, TLS_PORT, type TlsOptions } from './transport/tls';
export {
  CallhomeManager,
  CALLHOME_SSH_PORT,
  CALLHOME_TLS_PORT,
  type CallhomeManagerOptions,
  type CallhomeDevice,
  type CallhomeEvents,
  type AcceptOptions,
  type RefusedInfo,
} from './transport/callhome';
export { Session, type SessionOptions, type RpcOptions } from './session/session';
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
export { InvalidInputError } from './operations/validate';
export { candidateTransaction, type TransactionOptions } from './transaction';
export {
  NetconfClientError,
  NetconfProtocolError,
  RpcError,
  RpcTimeoutError,
  SessionClosedError,
  ConnectError,
  type RpcErrorInfo,
} from './errors';
export { xmlToObject, objectToXml, type XmlObject, type XmlValue } from './xml/object';
export { parseTree, type XmlElement } from './xml/element';
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
  type JsonObject,
  type JsonValue,
  type SchemaNode,
} from './yang';
export * as namespaces from './namespaces';
export {
  diffConfig,
  diffToEditConfig,
  canonicalConfig,
  ConfigDiff,
  DiffError,
  type DiffOptions,
  type DiffChange,
  type ChangeOp,
  type CanonicalConfig,
  type ConfigInput,
  type DiffSchema,
  type EditConfigOptions as DiffEditConfigOptions,
} from './diff';
