/**
 * The resolved schema model: what remains of YANG once groupings are expanded, augments applied,
 * typedef chains followed to their built-in type and prefixes replaced by module names. Only
 * what shapes instance data is kept (node kinds, names, namespaces, keys, types, config).
 */

export type BuiltinType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'decimal64'
  | 'string'
  | 'boolean'
  | 'empty'
  | 'enumeration'
  | 'bits'
  | 'binary'
  | 'identityref'
  | 'instance-identifier'
  | 'leafref'
  | 'union';

export interface PatternRestriction {
  /** The pattern as written (XSD regular expression). */
  source: string;
  /** Anchored JavaScript translation; undefined when the pattern uses XSD-only syntax. */
  regex: RegExp | undefined;
  invert: boolean;
}

export interface LeafrefInfo {
  path: string;
  /** Prefix -> module name, as in scope where the path was written. */
  prefixes: ReadonlyMap<string, string>;
  /** Module whose unprefixed names the path uses. */
  module: string;
  /** The leaf or leaf-list the path points to; set once the whole schema is built. */
  target?: SchemaNode;
}

export interface YangType {
  base: BuiltinType;
  /** The type name as written at the node (`inet:ip-address`, `uint8`). */
  name: string;
  /** Typedefs crossed from the node's type to the built-in one, as `module:typedef`. */
  derivedFrom: string[];
  fractionDigits?: number;
  /** Enumeration names (most derived restriction wins). */
  enums?: string[];
  bits?: string[];
  /** Every pattern on the chain applies (RFC 7950 9.4.5: they are ANDed). */
  patterns?: PatternRestriction[];
  /** Member types of a union, in order. */
  union?: YangType[];
  /** Base identities of an identityref, as `module:identity`. */
  identityBases?: string[];
  leafref?: LeafrefInfo;
}

export type SchemaNodeKind =
  | 'container'
  | 'list'
  | 'leaf'
  | 'leaf-list'
  | 'anydata'
  | 'anyxml'
  | 'choice'
  | 'case'
  | 'rpc'
  | 'action'
  | 'input'
  | 'output'
  | 'notification';

export interface SchemaNode {
  kind: SchemaNodeKind;
  name: string;
  /** Module whose namespace the node is in (for nodes from groupings: the using module). */
  module: string;
  namespace: string;
  /** Schema parent (choice and case included); undefined at the top level. */
  parent: SchemaNode | undefined;
  /** Schema children in definition order (choice, case, input and output included). */
  children: SchemaNode[];
  /**
   * Children as they appear in instance data, keyed `module:name`: choice and case are
   * transparent, so their descendants are listed here directly. Filled when the schema is done.
   */
  dataChildren: Map<string, SchemaNode>;
  config: boolean;
  /** Whether `config` was written on this node (refine may change inherited values). */
  configExplicit: boolean;
  /** List keys in key order (local names). */
  keys: string[];
  orderedBy: 'system' | 'user';
  presence: boolean;
  type: YangType | undefined;
  /** Default value(s) as written. */
  defaults: string[];
  description: string | undefined;
  /** RFC 7951 path of the data node (`/ietf-interfaces:interfaces/interface`); choice/case omitted. */
  path: string;
}

export interface ModuleImport {
  prefix: string;
  module: string;
  revision: string | undefined;
}

export interface YangModule {
  name: string;
  revision: string | undefined;
  namespace: string;
  prefix: string;
  yangVersion: string;
  imports: ModuleImport[];
  /** Submodules included (directly or by other submodules) that were available. */
  submodules: { name: string; revision: string | undefined }[];
  features: string[];
  /** Top-level schema nodes defined by this module (data nodes, choices, rpcs, notifications). */
  nodes: SchemaNode[];
}

export interface Identity {
  module: string;
  name: string;
  /** Direct bases as `module:identity`. */
  bases: string[];
}

/** A module or submodule that was referred to but not supplied. */
export interface MissingModule {
  name: string;
  revision: string | undefined;
  kind: 'import' | 'include';
  /** The module or submodule that needs it. */
  neededBy: string;
}
