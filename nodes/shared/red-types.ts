/**
 * The small part of Node-RED's runtime API these nodes use, typed locally so the package needs no
 * @types/node-red (whose versions lag behind Node-RED's). Only what we call is declared.
 */

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type SendFn = (msg: NodeMessage | (NodeMessage | null)[] | null) => void;
export type DoneFn = (err?: Error) => void;

/** What every node definition (the flow JSON of one node) carries. */
export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
}

/** A runtime node instance (Node-RED's Node class), as far as we use it. */
export interface Node<Credentials = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  z?: string;
  credentials?: Credentials;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | (NodeMessage | null)[] | null): void;
  status(status: NodeStatus): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
  trace(message: unknown): void;
}

/** The credentials declaration of registerType: which fields, and which are secret. */
export type CredentialsSpec = Record<string, { type: 'text' | 'password' }>;

/** Express-style request and response, reduced to what the admin endpoints use. */
export interface AdminRequest {
  params: Record<string, string>;
  body?: unknown;
}
export interface AdminResponse {
  json(body: unknown): void;
  status(code: number): AdminResponse;
}
export type AdminHandler = (req: AdminRequest, res: AdminResponse, next?: () => void) => void;

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType<N extends object, D extends NodeDef>(
      type: string,
      ctor: (this: N, def: D) => void,
      options?: { credentials?: CredentialsSpec; settings?: Record<string, { value: unknown; exportable?: boolean }> },
    ): void;
    getNode(id: string): unknown;
    getCredentials(id: string): Record<string, string | undefined> | undefined;
  };
  httpAdmin: {
    get(path: string, ...handlers: AdminHandler[]): void;
    post(path: string, ...handlers: AdminHandler[]): void;
  };
  auth: { needsPermission(permission: string): AdminHandler };
  util: {
    evaluateNodeProperty(
      value: string,
      type: string,
      node: object,
      msg: NodeMessage | undefined,
      cb: (err: Error | null, result: unknown) => void,
    ): void;
  };
  settings: Record<string, unknown>;
  _(key: string, substitutions?: Record<string, string | number>): string;
  log: { debug(message: unknown): void; warn(message: unknown): void; info(message: unknown): void };
}

/** The core tls-config node (as the MQTT node uses it). */
export interface TlsConfigNode {
  valid?: boolean;
  addTLSOptions(options: Record<string, unknown>): Record<string, unknown>;
}
