/**
 * XML instance data -> RFC 7951 JSON, driven by the schema:
 *
 * - member names are `module:name` at the top level and wherever the module changes (augments),
 *   plain `name` otherwise (RFC 7951 4);
 * - lists and leaf-lists are always arrays, whatever the number of entries (5.3, 5.4), and
 *   entries of one list need not be adjacent in the XML;
 * - leaf values follow their type (values.ts);
 * - XML attributes become RFC 7952 metadata: `"@": {...}` inside a container or list entry,
 *   `"@leaf": {...}` beside a leaf, `"@leaf-list": [...]` aligned with the leaf-list entries.
 *
 * A subtree the schema does not describe (module not loaded, or a node the schema lacks) is
 * converted plainly: text as strings, repeated elements as arrays; each such subtree is
 * reported once in `warnings`. anydata and anyxml content is converted with the schema when its
 * elements are top-level nodes of loaded modules, else the same plain way (anydata with a
 * warning).
 */
import type { XmlElement } from '../xml/element';
import { NS_NOTIFICATION } from '../namespaces';
import { annotationValue, moduleNameOf } from './annotations';
import type { ConversionResult, JsonObject, JsonValue } from './json';
import type { SchemaNode, YangType } from './model';
import type { YangSchemaSet } from './schema';
import { decodeValue } from './values';

export interface XmlToJsonOptions {
  /**
   * Schema node whose children the elements are (an rpc or its `output` for a reply, an
   * action's `input`...). Omitted: the elements are top-level data nodes, rpcs or notifications.
   */
  parent?: SchemaNode;
  /**
   * Namespace -> module name for modules the schema lacks (for example from the hello's
   * capabilities), so that unknown subtrees still get RFC 7951 member names.
   */
  moduleNames?: ReadonlyMap<string, string>;
}

/**
 * Converts the children of `container` (a `<data>`, `<config>`, `<rpc-reply>` or
 * `<notification>` element) to one RFC 7951 JSON object.
 */
export function xmlToJson(
  schema: YangSchemaSet,
  container: XmlElement,
  options: XmlToJsonOptions = {},
): ConversionResult<JsonObject> {
  return elementsToJson(schema, container.children, options);
}

/**
 * Converts a `<notification>` (RFC 5277): the event's content as RFC 7951 JSON, `eventTime`
 * apart (it belongs to the envelope, not to any YANG module).
 */
export function notificationToJson(
  schema: YangSchemaSet,
  notification: XmlElement,
  options: XmlToJsonOptions = {},
): ConversionResult<JsonObject> & { eventTime: string | undefined } {
  const eventTime = notification.children.find((c) => c.local === 'eventTime' && c.ns === NS_NOTIFICATION);
  const content = notification.children.filter((c) => c !== eventTime);
  return { ...elementsToJson(schema, content, options), eventTime: eventTime?.text.trim() };
}

/** Converts sibling elements to the members of one JSON object. */
export function elementsToJson(
  schema: YangSchemaSet,
  elements: XmlElement[],
  options: XmlToJsonOptions = {},
): ConversionResult<JsonObject> {
  const converter = new Converter(schema, options.moduleNames);
  const value: JsonObject = {};
  // Given an rpc or action, the elements are its reply: convert against its output.
  const parent =
    options.parent && (options.parent.kind === 'rpc' || options.parent.kind === 'action')
      ? (options.parent.children.find((c) => c.kind === 'output') ?? options.parent)
      : options.parent;
  converter.members(elements, parent, parent?.module, parent?.path ?? '', value);
  return { value, warnings: converter.warnings };
}

/** The conversion rules; src/yang/xml-stream-json.ts drives the same ones from SAX events. */
export class Converter {
  readonly warnings: string[] = [];
  private readonly childCache = new Map<
    SchemaNode | undefined,
    Map<string, { ns: string; node: SchemaNode | undefined }[]>
  >();

  /** identityref values of the last namespace scope seen (see identity()). */
  private identityScope: Record<string, string> | undefined;
  private identities = new Map<SchemaNode, Map<string, JsonValue | undefined>>();

  constructor(
    private readonly schema: YangSchemaSet,
    private readonly moduleNames: ReadonlyMap<string, string> | undefined,
  ) {}

  /** Adds the members for `elements` (children of schema node `parent`) to `out`. */
  members(
    elements: XmlElement[],
    parent: SchemaNode | undefined,
    parentModule: string | undefined,
    path: string,
    out: JsonObject,
  ): void {
    for (const el of elements) this.member(el, this.schemaChild(parent, el), parentModule, path, out);
  }

  /** Adds the member for `el`, whose schema node (undefined: none) is `node`, to `out`. */
  member(
    el: XmlElement,
    node: SchemaNode | undefined,
    parentModule: string | undefined,
    path: string,
    out: JsonObject,
  ): void {
    if (!node) {
      this.plainMember(el, parentModule, path, out, true);
      return;
    }
    const member = node.module === parentModule ? node.name : `${node.module}:${node.name}`;
    switch (node.kind) {
      case 'leaf': {
        out[member] = this.leafValue(node, el.text, el.scope);
        const meta = this.metadata(el);
        if (meta) out[`@${member}`] = meta;
        break;
      }
      case 'leaf-list': {
        const entries = arrayMember(out, member);
        entries.push(this.leafValue(node, el.text, el.scope));
        const meta = this.metadata(el);
        if (meta) {
          // Metadata entries are aligned with the values; entries without any are null.
          const metas = arrayMember(out, `@${member}`);
          while (metas.length < entries.length - 1) metas.push(null);
          metas.push(meta);
        }
        break;
      }
      case 'list':
        arrayMember(out, member).push(this.object(node, el));
        break;
      case 'anydata':
      case 'anyxml':
        out[member] = this.anyContent(node, el);
        break;
      default:
        out[member] = this.object(node, el);
    }
  }

  /** A container, list entry, rpc, notification, input or output as an object. */
  private object(node: SchemaNode, el: XmlElement): JsonObject {
    const obj: JsonObject = {};
    const meta = this.metadata(el);
    if (meta) obj['@'] = meta;
    this.members(el.children, node, node.module, node.path, obj);
    return obj;
  }

  /**
   * anydata / anyxml content: YANG gives it no schema, but when its elements are top-level
   * nodes of loaded modules (a YANG-Push update carries datastore contents) they are converted
   * with theirs; otherwise plainly.
   */
  private anyContent(node: SchemaNode, el: XmlElement): JsonValue {
    const described = el.children.length > 0 && el.children.every((c) => this.schema.findTopLevel(c.ns, c.local));
    if (!described) {
      if (node.kind === 'anydata' && el.children.length > 0)
        this.warnings.push(`${node.path}: anydata content not described by loaded modules; converted without schema`);
      return this.plainValue(el, node.module);
    }
    const obj: JsonObject = {};
    const meta = this.metadata(el);
    if (meta) obj['@'] = meta;
    this.members(el.children, undefined, undefined, node.path, obj);
    return obj;
  }

  /**
   * The schema node of `el` under `parent` (undefined parent: top level). Memoised per parent,
   * local name and namespace: a large reply asks the same few questions a million times, and
   * building the `module:name` key for every element was the largest single cost.
   */
  schemaChild(parent: SchemaNode | undefined, el: Pick<XmlElement, 'ns' | 'local'>): SchemaNode | undefined {
    let byLocal = this.childCache.get(parent);
    if (!byLocal) {
      byLocal = new Map<string, { ns: string; node: SchemaNode | undefined }[]>();
      this.childCache.set(parent, byLocal);
    }
    let known = byLocal.get(el.local);
    if (known) for (const k of known) if (k.ns === el.ns) return k.node;
    const node = this.lookupChild(parent, el);
    if (!known) byLocal.set(el.local, (known = []));
    known.push({ ns: el.ns, node });
    return node;
  }

  private lookupChild(parent: SchemaNode | undefined, el: Pick<XmlElement, 'ns' | 'local'>): SchemaNode | undefined {
    if (!parent) return this.schema.findTopLevel(el.ns, el.local);
    const module = this.schema.moduleByNamespace(el.ns);
    return module ? parent.dataChildren.get(`${module.name}:${el.local}`) : undefined;
  }

  /**
   * What member() adds for a leaf or leaf-list element without attributes, from its text alone
   * (`scope`: the bindings in scope at the element), so the stream converter need not build it.
   */
  leafMember(
    node: SchemaNode,
    text: string,
    scope: Record<string, string>,
    parentModule: string | undefined,
    out: JsonObject,
  ): void {
    const member = node.module === parentModule ? node.name : `${node.module}:${node.name}`;
    const value = this.leafValue(node, text, scope);
    if (node.kind === 'leaf-list') arrayMember(out, member).push(value);
    else out[member] = value;
  }

  private leafValue(node: SchemaNode, text: string, scope: Record<string, string>): JsonValue {
    if (!node.type) return text;
    const value =
      node.type.base === 'identityref'
        ? this.identity(node, text, scope)
        : decodeValue(node.type, text, { schema: this.schema, scope, module: node.module });
    if (value !== undefined) return value;
    this.warnings.push(`${node.path}: '${text}' is not a valid ${node.type.name}; kept as a string`);
    return text;
  }

  /**
   * An identityref value, memoised per namespace scope, leaf and text: a large configuration repeats
   * the same few identities (interface types) in one scope, and sharing one string for each
   * also spares the garbage collector copying thousands of equal ones.
   */
  private identity(node: SchemaNode, text: string, scope: Record<string, string>): JsonValue | undefined {
    // Only the current scope's values are kept: documents where every element declares its own
    // bindings cost one small map per scope, never a map of all of them.
    if (scope !== this.identityScope) {
      this.identityScope = scope;
      this.identities = new Map();
    }
    let byText = this.identities.get(node);
    if (!byText) this.identities.set(node, (byText = new Map<string, JsonValue | undefined>()));
    if (byText.has(text)) return byText.get(text);
    const value = decodeValue(node.type as YangType, text, { schema: this.schema, scope, module: node.module });
    // Identities are few; a document of distinct (invalid) ones is not worth remembering.
    if (byText.size < 256) byText.set(text, value);
    return value;
  }

  metadata(el: XmlElement): JsonObject | undefined {
    if (el.attributeList.length === 0) return undefined;
    const meta: JsonObject = {};
    for (const attr of el.attributeList) {
      const module = attr.ns ? moduleNameOf(this.schema, attr.ns, this.moduleNames) : undefined;
      // RFC 7952 annotations are always namespace-qualified; anything else keeps its local name.
      const member = module ? `${module}:${attr.local}` : attr.local;
      meta[member] = module
        ? annotationValue(member, attr.value, { schema: this.schema, scope: el.scope, module })
        : attr.value;
    }
    return meta;
  }

  // ---- schema-less conversion ----

  private plainMember(
    el: XmlElement,
    parentModule: string | undefined,
    path: string,
    out: JsonObject,
    warn: boolean,
  ): void {
    const module = moduleNameOf(this.schema, el.ns, this.moduleNames);
    const member = module === undefined || module === parentModule ? el.local : `${module}:${el.local}`;
    if (warn) {
      const why = this.schema.moduleByNamespace(el.ns)
        ? 'is not in the schema'
        : `has no loaded module (namespace '${el.ns}')`;
      this.warnings.push(`${path}/${member}: ${why}; converted without schema (strings, repeated elements as arrays)`);
    }
    const value = this.plainValue(el, module ?? parentModule);
    const existing = out[member];
    // Without a schema only repetition shows that something is a list.
    if (existing === undefined) out[member] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[member] = [existing, value];
  }

  private plainValue(el: XmlElement, module: string | undefined): JsonValue {
    const meta = this.metadata(el);
    if (el.children.length === 0 && !meta) return el.text;
    const obj: JsonObject = {};
    if (meta) obj['@'] = meta;
    for (const c of el.children) this.plainMember(c, module, '', obj, false);
    if (el.children.length === 0 && el.text !== '') obj['#text'] = el.text;
    return obj;
  }
}

export function arrayMember(out: JsonObject, member: string): JsonValue[] {
  const existing = out[member];
  if (Array.isArray(existing)) return existing;
  const created: JsonValue[] = [];
  out[member] = created;
  return created;
}
