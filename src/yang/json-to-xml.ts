/**
 * RFC 7951 JSON -> XML for edit-config content, filters and rpc input:
 *
 * - namespaces come from the schema: an element declares `xmlns` where its module's namespace
 *   differs from its parent's;
 * - list entries start with their keys in key order (RFC 7950 7.8.5), the other members follow
 *   in schema order (which rpc input requires, RFC 7950 7.14.4);
 * - RFC 7952 metadata (`"@"` in an object, `"@leaf"` beside a leaf) becomes attributes; the
 *   attribute prefix is declared on the element (`ietf-netconf:operation` -> `nc:operation`);
 * - identityref and instance-identifier values get prefixes declared on their element.
 *
 * Members the schema does not know are written without schema in their parent's namespace and
 * reported in `warnings` (the device will say whether it knows them); a top-level member of an
 * unknown module cannot be given a namespace and is an error.
 */
import { escapeAttribute, escapeText } from '../xml/element';
import { annotationText, moduleNamespaceOf } from './annotations';
import { isJsonObject, YangJsonError, type ConversionResult, type JsonObject, type JsonValue } from './json';
import type { SchemaNode } from './model';
import type { YangSchemaSet } from './schema';
import { splitQName } from './scope';
import { encodeValue } from './value-encode';

export interface JsonToXmlOptions {
  /** Schema node whose children the members are (an rpc's `input`); omitted: top level. */
  parent?: SchemaNode;
  /** Module name -> namespace for modules the schema lacks. */
  moduleNamespaces?: ReadonlyMap<string, string>;
}

/** Converts the members of `json` to a sequence of XML elements (no wrapper element). */
export function jsonToXml(
  schema: YangSchemaSet,
  json: JsonObject,
  options: JsonToXmlOptions = {},
): ConversionResult<string> {
  const writer = new Writer(schema, options.moduleNamespaces);
  const parent = options.parent;
  const xml = writer.members(json, parent, parent?.module, parent?.namespace ?? '', new Map(), parent?.path ?? '');
  return { value: xml, warnings: writer.warnings };
}

/** Prefix -> namespace bindings in scope while writing. */
type Bindings = ReadonlyMap<string, string>;

/** Declarations being collected for one start tag. */
class StartTag {
  private readonly declarations: string[] = [];
  private readonly attributes: string[] = [];
  private scope: Map<string, string> | undefined;

  constructor(
    private readonly writer: Writer,
    private inherited: Bindings,
    readonly path: string,
  ) {}

  get bindings(): Bindings {
    return this.scope ?? this.inherited;
  }

  declareDefault(namespace: string): void {
    this.declarations.push(` xmlns="${escapeAttribute(namespace)}"`);
  }

  /** A prefix bound to the module's namespace, declaring one on this element if needed. */
  prefixFor(module: string): string | undefined {
    const namespace = this.writer.namespaceOf(module);
    if (namespace === undefined) return undefined;
    const bindings = this.bindings;
    for (const [prefix, ns] of bindings) if (ns === namespace && prefix !== '') return prefix;
    const preferred = this.writer.preferredPrefix(module);
    let prefix = preferred;
    for (let n = 1; bindings.has(prefix); n++) prefix = `${preferred}${n}`;
    this.scope = new Map(bindings);
    this.scope.set(prefix, namespace);
    this.declarations.push(` xmlns:${prefix}="${escapeAttribute(namespace)}"`);
    return prefix;
  }

  attribute(member: string, value: JsonValue): void {
    const { prefix: module, name } = splitQName(member);
    if (typeof value === 'object' && value !== null)
      throw new YangJsonError(`annotation '${member}' must have a scalar value`, this.path);
    if (module === '') {
      this.attributes.push(` ${name}="${escapeAttribute(value === null ? '' : String(value))}"`);
      return;
    }
    const prefix = this.prefixFor(module);
    if (prefix === undefined) throw new YangJsonError(`annotation '${member}': unknown module '${module}'`, this.path);
    const text = annotationText(member, value, {
      schema: this.writer.schema,
      module,
      prefixFor: (m) => this.prefixFor(m),
    });
    if (text === undefined)
      throw new YangJsonError(`annotation '${member}': ${JSON.stringify(value)} does not fit its type`, this.path);
    this.attributes.push(` ${prefix}:${name}="${escapeAttribute(text)}"`);
  }

  metadata(meta: JsonValue | undefined): void {
    if (meta === undefined || meta === null) return;
    if (!isJsonObject(meta)) throw new YangJsonError('metadata must be an object of annotations', this.path);
    for (const [member, value] of Object.entries(meta)) this.attribute(member, value);
  }

  element(name: string, content: string): string {
    const open = `${name}${this.declarations.join('')}${this.attributes.join('')}`;
    return content === '' ? `<${open}/>` : `<${open}>${content}</${name}>`;
  }
}

class Writer {
  readonly warnings: string[] = [];
  /** Member order per schema node: keys first, then definition order. */
  private readonly orders = new Map<SchemaNode, Map<string, number>>();

  constructor(
    readonly schema: YangSchemaSet,
    private readonly moduleNamespaces: ReadonlyMap<string, string> | undefined,
  ) {}

  namespaceOf(module: string): string | undefined {
    return moduleNamespaceOf(this.schema, module)?.namespace ?? this.moduleNamespaces?.get(module);
  }

  preferredPrefix(module: string): string {
    return moduleNamespaceOf(this.schema, module)?.prefix ?? module;
  }

  /** Writes the members of `obj`, children of schema node `parent` (undefined: top level). */
  members(
    obj: JsonObject,
    parent: SchemaNode | undefined,
    parentModule: string | undefined,
    parentNs: string,
    scope: Bindings,
    path: string,
  ): string {
    const entries = Object.entries(obj).filter(([member]) => !member.startsWith('@') && member !== '#text');
    const resolved = entries.map(([member, value]) => ({
      member,
      value,
      ...this.resolve(member, parent, parentModule, path),
    }));
    if (parent) {
      const order = this.order(parent);
      const rank = (key: string): number => order.get(key) ?? Number.MAX_SAFE_INTEGER;
      resolved.sort((a, b) => rank(a.key) - rank(b.key)); // stable: unknown members keep JSON order
    }
    let xml = '';
    for (const { member, value, node, module } of resolved) {
      const childPath = `${path}/${member}`;
      if (node) xml += this.node(node, value, obj[`@${member}`], parentNs, scope, childPath);
      else {
        const namespace = module === parentModule ? parentNs : this.namespaceOf(module);
        if (namespace === undefined) throw new YangJsonError(`unknown module '${module}'`, childPath);
        this.warnings.push(`${childPath}: not in the schema; written without schema`);
        xml += this.plain(splitQName(member).name, value, namespace, parentNs, scope, childPath);
      }
    }
    return xml;
  }

  private resolve(
    member: string,
    parent: SchemaNode | undefined,
    parentModule: string | undefined,
    path: string,
  ): { key: string; module: string; node: SchemaNode | undefined } {
    const { prefix, name } = splitQName(member);
    const module = prefix || parentModule;
    if (!module)
      throw new YangJsonError(
        `top-level member '${member}' must be qualified with its module name`,
        `${path}/${member}`,
      );
    const key = `${module}:${name}`;
    const node = parent ? this.dataChildren(parent).get(key) : this.schema.findTopLevelMember(key);
    return { key, module, node };
  }

  /** An rpc or action is written as its input. */
  private dataChildren(node: SchemaNode): Map<string, SchemaNode> {
    if (node.kind === 'rpc' || node.kind === 'action') {
      const input = node.children.find((c) => c.kind === 'input');
      if (input) return input.dataChildren;
    }
    return node.dataChildren;
  }

  private order(node: SchemaNode): Map<string, number> {
    let order = this.orders.get(node);
    if (!order) {
      order = new Map();
      for (const key of node.keys) order.set(`${node.module}:${key}`, order.size);
      for (const key of this.dataChildren(node).keys()) if (!order.has(key)) order.set(key, order.size);
      this.orders.set(node, order);
    }
    return order;
  }

  private node(
    node: SchemaNode,
    value: JsonValue,
    meta: JsonValue | undefined,
    parentNs: string,
    scope: Bindings,
    path: string,
  ): string {
    switch (node.kind) {
      case 'leaf':
        return this.leaf(node, value, meta, parentNs, scope, path);
      case 'leaf-list': {
        if (!Array.isArray(value)) throw new YangJsonError('a leaf-list must be an array', path);
        const metas = Array.isArray(meta) ? meta : [];
        return value.map((v, i) => this.leaf(node, v, metas[i], parentNs, scope, `${path}[${i}]`)).join('');
      }
      case 'list': {
        // One entry given as an object is accepted: flow authors do write that.
        const items = Array.isArray(value) ? value : [value];
        return items.map((v, i) => this.container(node, v, parentNs, scope, `${path}[${i}]`)).join('');
      }
      case 'anydata':
      case 'anyxml':
        return this.anyContent(node, value, parentNs, scope, path);
      default:
        return this.container(node, value, parentNs, scope, path);
    }
  }

  /** anydata / anyxml: with the schema when every member is a top-level node of a loaded module. */
  private anyContent(node: SchemaNode, value: JsonValue, parentNs: string, scope: Bindings, path: string): string {
    const members = isJsonObject(value) ? Object.keys(value).filter((k) => !k.startsWith('@')) : [];
    if (!isJsonObject(value) || members.length === 0 || !members.every((k) => this.schema.findTopLevelMember(k))) {
      if (node.kind === 'anydata' && members.length > 0)
        this.warnings.push(`${path}: anydata content not described by loaded modules; written without schema`);
      return this.plain(node.name, value, node.namespace, parentNs, scope, path);
    }
    const tag = new StartTag(this, scope, path);
    if (node.namespace !== parentNs) tag.declareDefault(node.namespace);
    tag.metadata(value['@']);
    return tag.element(node.name, this.members(value, undefined, undefined, node.namespace, tag.bindings, path));
  }

  private container(node: SchemaNode, value: JsonValue, parentNs: string, scope: Bindings, path: string): string {
    // A presence container or an rpc without input may be given as null / [null].
    const obj = value === null || (Array.isArray(value) && value.length === 1 && value[0] === null) ? {} : value;
    if (!isJsonObject(obj)) throw new YangJsonError(`a ${node.kind} must be an object`, path);
    const tag = new StartTag(this, scope, path);
    if (node.namespace !== parentNs) tag.declareDefault(node.namespace);
    tag.metadata(obj['@']);
    const content = this.members(obj, node, node.module, node.namespace, tag.bindings, path);
    return tag.element(node.name, content);
  }

  private leaf(
    node: SchemaNode,
    value: JsonValue,
    meta: JsonValue | undefined,
    parentNs: string,
    scope: Bindings,
    path: string,
  ): string {
    const tag = new StartTag(this, scope, path);
    if (node.namespace !== parentNs) tag.declareDefault(node.namespace);
    tag.metadata(meta);
    let text: string | undefined;
    if (node.type) {
      text = encodeValue(node.type, value, {
        schema: this.schema,
        module: node.module,
        prefixFor: (m) => tag.prefixFor(m),
      });
    } else if (typeof value !== 'object' || value === null) text = value === null ? '' : String(value);
    if (text === undefined)
      throw new YangJsonError(`${JSON.stringify(value)} is not a valid ${node.type?.name ?? 'value'}`, path);
    return tag.element(node.name, escapeText(text));
  }

  /** Schema-less: objects are elements, arrays repeat, scalars are text, `@` are attributes. */
  private plain(
    name: string,
    value: JsonValue,
    namespace: string,
    parentNs: string,
    scope: Bindings,
    path: string,
  ): string {
    if (Array.isArray(value) && !(value.length === 1 && value[0] === null)) {
      return value.map((v, i) => this.plain(name, v, namespace, parentNs, scope, `${path}[${i}]`)).join('');
    }
    const tag = new StartTag(this, scope, path);
    if (namespace !== parentNs) tag.declareDefault(namespace);
    if (!isJsonObject(value)) {
      const text = value === null || Array.isArray(value) ? '' : String(value);
      return tag.element(name, escapeText(text));
    }
    tag.metadata(value['@']);
    let content = '';
    for (const [member, v] of Object.entries(value)) {
      if (member.startsWith('@')) continue;
      if (member === '#text') {
        content += escapeText(typeof v === 'object' ? '' : String(v));
        continue;
      }
      const { prefix, name: local } = splitQName(member);
      const ns = prefix ? this.namespaceOf(prefix) : namespace;
      if (ns === undefined) throw new YangJsonError(`unknown module '${prefix}'`, `${path}/${member}`);
      content += this.plain(local, v, ns, namespace, tag.bindings, `${path}/${member}`);
    }
    return tag.element(name, content);
  }
}
