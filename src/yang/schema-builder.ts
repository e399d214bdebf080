/**
 * Builds the resolved schema tree from parsed module and submodule statements, in phases:
 *
 * 1. files: each module with the submodules it includes, and the prefixes visible in each file;
 * 2. identities of every module;
 * 3. every module's top-level body instantiated: groupings expanded at their `uses` (with
 *    `refine` and `augment` inside the uses), types resolved, config inherited;
 * 4. top-level `augment`s applied, in rounds, since one augment may target nodes another adds;
 * 5. `deviation`s (not-supported, replace/add of type and config);
 * 6. finishing: data children (choice and case made transparent), RFC 7951 paths, leafref targets.
 *
 * Nodes take the namespace of the module that instantiates them (RFC 7950 7.13: a grouping's
 * nodes belong to the using module; 7.17: augmenting nodes to the augmenting module), while
 * names inside a grouping resolve in the grouping's own lexical scope.
 */
import { applyDeviations } from './deviations';
import { FeatureEvaluator, type FeatureSet } from './features';
import { resolveLeafrefs } from './leafrefs';
import type { Identity, MissingModule, SchemaNode, SchemaNodeKind, YangModule, YangType } from './model';
import { collectModuleFiles } from './module-files';
import { child, childArg, children, type YangStatement } from './parser';
import { childScope, Definitions, fileScope, prefixModule, splitQName, type FileContext, type Scope } from './scope';
import { dataParent, isTransparent, makeNode, matchNode, revisionOf, setConfig } from './schema-tree';
import { TypeResolver } from './types';

export { dataParent, isTransparent };

/** The module whose `annotation` extension defines RFC 7952 metadata. */
const METADATA_MODULE = 'ietf-yang-metadata';

const NODE_KINDS: ReadonlySet<string> = new Set<SchemaNodeKind>([
  'container',
  'list',
  'leaf',
  'leaf-list',
  'anydata',
  'anyxml',
  'choice',
  'case',
  'rpc',
  'action',
  'input',
  'output',
  'notification',
]);

export interface BuildResult {
  modules: Map<string, YangModule>;
  identities: Map<string, Identity>;
  /** Top-level data nodes, rpcs and notifications of every module, keyed `module:name`. */
  topLevel: Map<string, SchemaNode>;
  /** RFC 7952 annotations (`md:annotation`) by `module:name`, with their value type. */
  annotations: Map<string, YangType>;
  missing: MissingModule[];
  warnings: string[];
}

export interface BuildOptions {
  /** Enabled features per module; omitted: all features of all modules are enabled. */
  features?: FeatureSet;
}

interface PendingAugment {
  stmt: YangStatement;
  scope: Scope;
  owner: YangModule;
}

export function buildSchema(statements: YangStatement[], options: BuildOptions = {}): BuildResult {
  return new SchemaBuilder(statements, options).build();
}

class SchemaBuilder {
  private readonly moduleStmts = new Map<string, YangStatement>();
  private readonly submoduleStmts = new Map<string, YangStatement>();
  private readonly modules: Map<string, YangModule>;
  private readonly filesOfModule: Map<string, FileContext[]>;
  private readonly missing: MissingModule[];
  private readonly identities = new Map<string, Identity>();
  private readonly annotations = new Map<string, YangType>();
  private readonly warnings: string[] = [];
  private readonly types: TypeResolver;
  private readonly features: FeatureEvaluator;
  private readonly definitions: Definitions;
  /** Groupings being expanded, to stop on (invalid) recursive groupings. */
  private readonly expanding = new Set<YangStatement>();

  constructor(statements: YangStatement[], options: BuildOptions) {
    for (const stmt of statements) this.register(stmt);
    ({
      modules: this.modules,
      filesOfModule: this.filesOfModule,
      missing: this.missing,
    } = collectModuleFiles(this.moduleStmts, this.submoduleStmts));
    this.features = new FeatureEvaluator(options.features);
    this.definitions = new Definitions(this.filesOfModule);
    this.types = new TypeResolver(
      this.definitions,
      (m) => this.warnings.push(m),
      (stmt, scope) => this.features.allows(stmt, scope.file),
    );
  }

  private register(stmt: YangStatement): void {
    const name = stmt.arg ?? '';
    const table = stmt.keyword === 'module' ? this.moduleStmts : this.submoduleStmts;
    const existing = table.get(name);
    // Several revisions of one module: the newest wins (a server implements one revision).
    if (!existing || revisionOf(stmt) > revisionOf(existing)) table.set(name, stmt);
  }

  build(): BuildResult {
    for (const files of this.filesOfModule.values()) for (const file of files) this.collectIdentities(file);
    const augments: PendingAugment[] = [];
    for (const [name, files] of this.filesOfModule) {
      const module = this.modules.get(name);
      if (!module) continue;
      for (const file of files) {
        const scope = fileScope(file);
        this.collectAnnotations(file, scope);
        this.instantiate(file.root.children, scope, undefined, module.nodes, module, true);
        for (const aug of children(file.root, 'augment'))
          if (this.features.allows(aug, file))
            augments.push({ stmt: aug, scope: childScope(aug, scope), owner: module });
      }
    }
    this.applyAugments(augments);
    const warn = (m: string): number => this.warnings.push(m);
    const absolute = (path: string, file: FileContext): SchemaNode | undefined => this.absolute(path, file);
    for (const files of this.filesOfModule.values())
      for (const file of files) applyDeviations(file, absolute, this.modules, this.types, warn);
    const topLevel = new Map<string, SchemaNode>();
    for (const module of this.modules.values()) for (const node of module.nodes) this.finish(node, topLevel);
    resolveLeafrefs(this.modules.values(), topLevel, warn);
    return {
      modules: this.modules,
      identities: this.identities,
      topLevel,
      annotations: this.annotations,
      missing: this.missing,
      warnings: this.warnings,
    };
  }

  // ---- phase 2: identities and annotations ----

  private collectIdentities(file: FileContext): void {
    for (const id of children(file.root, 'identity')) {
      if (!this.features.allows(id, file)) continue;
      const bases = children(id, 'base').map((b) => {
        const { prefix, name } = splitQName(b.arg ?? '');
        return `${prefixModule(file, prefix) ?? prefix}:${name}`;
      });
      const name = id.arg ?? '';
      this.identities.set(`${file.moduleName}:${name}`, { module: file.moduleName, name, bases });
    }
  }

  /** `md:annotation` statements (RFC 7952 3): an extension, so found by its module, not keyword. */
  private collectAnnotations(file: FileContext, scope: Scope): void {
    for (const stmt of file.root.children) {
      if (stmt.keyword !== 'annotation' || file.prefixes.get(stmt.prefix) !== METADATA_MODULE) continue;
      const typeStmt = child(stmt, 'type');
      if (!typeStmt || !this.features.allows(stmt, file)) continue;
      this.annotations.set(
        `${file.moduleName}:${stmt.arg ?? ''}`,
        this.types.resolve(typeStmt, childScope(stmt, scope)),
      );
    }
  }

  // ---- phase 3: instantiation ----

  /**
   * Instantiates the schema-node statements among `stmts` (written in `scope`) as children of
   * `parent`, appending them to `target`. Statements whose if-feature fails are left out.
   */
  private instantiate(
    stmts: YangStatement[],
    scope: Scope,
    parent: SchemaNode | undefined,
    target: SchemaNode[],
    owner: YangModule,
    config: boolean,
  ): void {
    for (const stmt of stmts) {
      if (stmt.prefix !== '') continue;
      const isUses = stmt.keyword === 'uses';
      if (!isUses && !NODE_KINDS.has(stmt.keyword)) continue;
      const shorthand = parent?.kind === 'choice' && stmt.keyword !== 'case';
      const allowed = this.features.allows(stmt, scope.file);
      if (!allowed && !shorthand) continue;
      if (isUses) {
        this.expandUses(stmt, scope, parent, target, owner, config);
        continue;
      }
      let holder = parent;
      let list = target;
      if (shorthand) {
        // Shorthand case (RFC 7950 7.9.2): a node directly in a choice is its own case. The case
        // "still exists in the schema tree" and the node's if-feature is the node's, so a
        // disabled node leaves its case empty (as libyang compiles it).
        const implicitCase = makeNode('case', stmt.arg ?? '', parent, owner, config);
        target.push(implicitCase);
        holder = implicitCase;
        list = implicitCase.children;
      }
      if (!allowed) continue;
      const node = makeNode(stmt.keyword as SchemaNodeKind, stmt.arg ?? stmt.keyword, holder, owner, config);
      this.describe(node, stmt, scope);
      list.push(node);
      this.instantiate(stmt.children, childScope(stmt, scope), node, node.children, owner, node.config);
      if (node.kind === 'rpc' || node.kind === 'action') this.ensureInputOutput(node, owner);
    }
  }
  /** Fills the node's properties from its statement. */
  private describe(node: SchemaNode, stmt: YangStatement, scope: Scope): void {
    const config = childArg(stmt, 'config');
    if (config !== undefined) {
      node.config = config !== 'false';
      node.configExplicit = true;
    }
    if (node.kind === 'rpc' || node.kind === 'action' || node.kind === 'notification') node.config = false;
    const key = childArg(stmt, 'key');
    if (key)
      node.keys = key
        .split(/\s+/)
        .filter((k) => k !== '')
        .map((k) => splitQName(k).name);
    if (childArg(stmt, 'ordered-by') === 'user') node.orderedBy = 'user';
    node.presence = child(stmt, 'presence') !== undefined;
    node.defaults = children(stmt, 'default').map((d) => d.arg ?? '');
    node.description = childArg(stmt, 'description');
    const typeStmt = child(stmt, 'type');
    if (typeStmt && (node.kind === 'leaf' || node.kind === 'leaf-list'))
      node.type = this.types.resolve(typeStmt, childScope(stmt, scope));
  }

  /** RFC 7950 7.14: an rpc or action has input and output even when the module omits them. */
  private ensureInputOutput(node: SchemaNode, owner: YangModule): void {
    for (const kind of ['input', 'output'] as const) {
      if (!node.children.some((c) => c.kind === kind)) node.children.push(makeNode(kind, kind, node, owner, false));
    }
  }

  private expandUses(
    uses: YangStatement,
    scope: Scope,
    parent: SchemaNode | undefined,
    target: SchemaNode[],
    owner: YangModule,
    config: boolean,
  ): void {
    const name = uses.arg ?? '';
    const def = this.definitions.find('grouping', name, scope);
    if (!def) {
      this.warnings.push(`${scope.file.fileName}:${uses.line}: unknown grouping '${name}'`);
      return;
    }
    if (this.expanding.has(def.stmt)) {
      this.warnings.push(`${scope.file.fileName}:${uses.line}: grouping '${name}' uses itself`);
      return;
    }
    this.expanding.add(def.stmt);
    const start = target.length;
    this.instantiate(def.stmt.children, def.scope, parent, target, owner, config);
    this.expanding.delete(def.stmt);
    const added = target.slice(start);
    for (const refine of children(uses, 'refine')) {
      const node = this.descendant(added, refine.arg ?? '', scope.file);
      if (node) this.applyRefine(node, refine);
      else this.warnings.push(`${scope.file.fileName}:${refine.line}: refine target '${refine.arg}' not found`);
    }
    for (const aug of children(uses, 'augment')) {
      if (!this.features.allows(aug, scope.file)) continue;
      const node = this.descendant(added, aug.arg ?? '', scope.file);
      if (node) this.instantiate(aug.children, childScope(aug, scope), node, node.children, owner, node.config);
      else this.warnings.push(`${scope.file.fileName}:${aug.line}: uses augment target '${aug.arg}' not found`);
    }
  }

  private applyRefine(node: SchemaNode, refine: YangStatement): void {
    const config = childArg(refine, 'config');
    if (config !== undefined) setConfig(node, config !== 'false');
    if (child(refine, 'presence')) node.presence = true;
    const defaults = children(refine, 'default');
    if (defaults.length > 0) node.defaults = defaults.map((d) => d.arg ?? '');
    const description = childArg(refine, 'description');
    if (description !== undefined) node.description = description;
  }

  /**
   * Follows a descendant schema node identifier (`a/b:c`) from a set of sibling nodes. Names
   * match by module and local name; when the module differs (a grouping from one module used
   * in another binds its nodes to the user's namespace) a unique local-name match is accepted.
   */
  private descendant(roots: SchemaNode[], path: string, file: FileContext): SchemaNode | undefined {
    let candidates = roots;
    let found: SchemaNode | undefined;
    for (const step of path.split('/')) {
      if (step === '') continue;
      const { prefix, name } = splitQName(step.trim());
      found = matchNode(candidates, prefixModule(file, prefix), name);
      if (!found) return undefined;
      candidates = found.children;
    }
    return found;
  }

  // ---- phase 4: augments ----

  private applyAugments(pending: PendingAugment[]): void {
    let remaining = pending;
    for (;;) {
      const next: PendingAugment[] = [];
      for (const aug of remaining) {
        const target = this.absolute(aug.stmt.arg ?? '', aug.scope.file);
        if (target) this.instantiate(aug.stmt.children, aug.scope, target, target.children, aug.owner, target.config);
        else next.push(aug);
      }
      if (next.length === remaining.length) break;
      remaining = next;
    }
    for (const aug of remaining) {
      this.warnings.push(`${aug.scope.file.fileName}:${aug.stmt.line}: augment target '${aug.stmt.arg}' not found`);
    }
  }

  /** Follows an absolute schema node identifier (`/a:b/a:c`). */
  private absolute(path: string, file: FileContext): SchemaNode | undefined {
    const steps = path.split('/').filter((s) => s.trim() !== '');
    if (steps.length === 0) return undefined;
    const first = splitQName(steps[0].trim());
    const module = this.modules.get(prefixModule(file, first.prefix) ?? '');
    if (!module) return undefined;
    const top = matchNode(module.nodes, module.name, first.name);
    return top && steps.length > 1 ? this.descendant(top.children, steps.slice(1).join('/'), file) : top;
  }

  // ---- phase 6: finishing ----

  /** Sets path and data children of `node` and its subtree; registers top-level data nodes. */
  private finish(node: SchemaNode, topLevel: Map<string, SchemaNode>): void {
    const parent = dataParent(node);
    if (isTransparent(node)) node.path = parent ? parent.path : '';
    else {
      const qualified = !parent || parent.module !== node.module;
      node.path = `${parent ? parent.path : ''}/${qualified ? `${node.module}:` : ''}${node.name}`;
      if (parent) parent.dataChildren.set(`${node.module}:${node.name}`, node);
      else topLevel.set(`${node.module}:${node.name}`, node);
    }
    for (const c of node.children) this.finish(c, topLevel);
  }
}
