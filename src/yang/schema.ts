/**
 * A set of YANG modules resolved into one schema: the object the JSON <-> XML converters and
 * users query (`mgr.yang`). Built once from module texts; immutable afterwards.
 */
import type { Identity, MissingModule, SchemaNode, YangModule, YangType } from './model';
import { parseYang, type YangStatement } from './parser';
import type { FeatureSet } from './features';
import { buildSchema } from './schema-builder';
import { splitQName } from './scope';

export interface SchemaOptions {
  /**
   * Enabled features per module name (what the device announces); nodes whose if-feature does
   * not hold are left out, and a module absent from the map has no feature enabled. Omitted:
   * every feature is enabled.
   */
  features?: FeatureSet;
}

export class YangSchemaSet {
  /** Modules by name (submodules are folded into their module). */
  readonly modules: ReadonlyMap<string, YangModule>;
  readonly identities: ReadonlyMap<string, Identity>;
  /** Imports and includes that were not among the texts. */
  readonly missingModules: readonly MissingModule[];
  /** Problems met while building (unknown types, unresolved augment targets, ...). */
  readonly warnings: readonly string[];
  /** Enabled features per module as given; undefined: all features are enabled. */
  readonly features: FeatureSet | undefined;
  private readonly topLevel: ReadonlyMap<string, SchemaNode>;
  private readonly annotations: ReadonlyMap<string, YangType>;
  private readonly byNamespace: Map<string, YangModule>;

  private constructor(statements: YangStatement[], options: SchemaOptions) {
    const result = buildSchema(statements, options);
    this.features = options.features;
    this.annotations = result.annotations;
    this.modules = result.modules;
    this.identities = result.identities;
    this.topLevel = result.topLevel;
    this.warnings = result.warnings;
    const seen = new Set<string>();
    this.missingModules = result.missing.filter((m) => {
      const key = `${m.kind} ${m.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    this.byNamespace = new Map([...result.modules.values()].map((m) => [m.namespace, m]));
  }

  /** Parses and resolves module and submodule texts. Throws YangSyntaxError on a broken text. */
  static fromTexts(texts: string[], options: SchemaOptions = {}): YangSchemaSet {
    return new YangSchemaSet(
      texts.map((t) => parseYang(t)),
      options,
    );
  }

  /** From already parsed statements (the module cache keeps them parsed). */
  static fromStatements(statements: YangStatement[], options: SchemaOptions = {}): YangSchemaSet {
    return new YangSchemaSet(statements, options);
  }

  /** The value type of an RFC 7952 annotation (`ietf-origin:origin`), when its module is loaded. */
  annotationType(qualifiedName: string): YangType | undefined {
    return this.annotations.get(qualifiedName);
  }

  module(name: string): YangModule | undefined {
    return this.modules.get(name);
  }

  moduleByNamespace(namespace: string): YangModule | undefined {
    return this.byNamespace.get(namespace);
  }

  /** A top-level data node, rpc or notification by XML namespace and local name. */
  findTopLevel(namespace: string, localName: string): SchemaNode | undefined {
    const module = this.byNamespace.get(namespace);
    return module ? this.topLevel.get(`${module.name}:${localName}`) : undefined;
  }

  /** A top-level node by RFC 7951 member name (`ietf-interfaces:interfaces`). */
  findTopLevelMember(qualifiedName: string): SchemaNode | undefined {
    return this.topLevel.get(qualifiedName);
  }

  /** All top-level data nodes, rpcs and notifications, keyed `module:name`. */
  topLevelNodes(): ReadonlyMap<string, SchemaNode> {
    return this.topLevel;
  }

  /**
   * The node at an RFC 7951 path: `/ietf-interfaces:interfaces/interface/ietf-ip:ipv4`.
   * Names without a module inherit their parent's; list predicates (`[name='eth0']`) are ignored.
   * Rpc and action input and output are steps of their own (`/m:rpc/input/x`).
   */
  lookup(path: string): SchemaNode | undefined {
    let node: SchemaNode | undefined;
    for (const step of splitPath(path)) {
      const { prefix, name } = splitQName(step);
      const module = prefix || node?.module;
      if (!module) return undefined;
      const key = `${module}:${name}`;
      node = node ? node.dataChildren.get(key) : this.topLevel.get(key);
      if (!node) return undefined;
    }
    return node;
  }

  /** True when `identity` (`module:name`) is `base` or derived from it, directly or not. */
  isDerivedFrom(identity: string, base: string): boolean {
    const seen = new Set<string>();
    const stack = [identity];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      if (current === base) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(this.identities.get(current)?.bases ?? []));
    }
    return false;
  }
}

/** Path steps without predicates; `/` inside quoted predicate values does not split. */
function splitPath(path: string): string[] {
  const steps: string[] = [];
  let step = '';
  let depth = 0;
  let quote = '';
  for (const c of path) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (depth > 0) {
      if (c === '"' || c === "'") quote = c;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
    } else if (c === '[') depth++;
    else if (c === '/') {
      if (step) steps.push(step);
      step = '';
    } else step += c;
  }
  if (step) steps.push(step);
  return steps;
}

/**
 * The type values are encoded with: a leafref is followed to its target's type (chains too);
 * an unresolved leafref is a string.
 */
export function effectiveType(type: YangType): YangType {
  let current = type;
  for (let hops = 0; current.base === 'leafref' && hops < 32; hops++) {
    const targetType = current.leafref?.target?.type;
    if (!targetType) return { base: 'string', name: current.name, derivedFrom: current.derivedFrom };
    current = targetType;
  }
  return current;
}
