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
import type { Identity, MissingModule, SchemaNode, SchemaNodeKind, YangModule, YangType } from './model';
import { child, childArg, children, type YangStatement } from './parser';
import { childScope, Definitions, fileScope, prefixModule, splitQName, type FileContext, type Scope } from './scope';
import { TypeResolver } from './types';

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

/** Kinds that are not instance data themselves (RFC 7950 7.9: choice and case are invisible). */
export function isTransparent(node: SchemaNode): boolean {
  return node.kind === 'choice' || node.kind === 'case';
}

/** The nearest ancestor that appears in instance data. */
export function dataParent(node: SchemaNode): SchemaNode | undefined {
  let p = node.parent;
  while (p && isTransparent(p)) p = p.parent;
  return p;
}

export interface BuildResult {
  modules: Map<string, YangModule>;
  identities: Map<string, Identity>;
  /** Top-level data nodes, rpcs and notifications of every module, keyed `module:name`. */
  topLevel: Map<string, SchemaNode>;
  missing: MissingModule[];
  warnings: string[];
}

interface PendingAugment {
  stmt: YangStatement;
  scope: Scope;
  owner: YangModule;
}

export function buildSchema(statements: YangStatement[]): BuildResult {
  return new SchemaBuilder(statements).build();
}

class SchemaBuilder {
  private readonly modules = new Map<string, YangModule>();
  private readonly moduleStmts = new Map<string, YangStatement>();
  private readonly submoduleStmts = new Map<string, YangStatement>();
  private readonly filesOfModule = new Map<string, FileContext[]>();
  private readonly identities = new Map<string, Identity>();
  private readonly missing: MissingModule[] = [];
  private readonly warnings: string[] = [];
  private readonly definitions: Definitions;
  private readonly types: TypeResolver;
  /** Groupings being expanded, to stop on (invalid) recursive groupings. */
  private readonly expanding = new Set<YangStatement>();

  constructor(statements: YangStatement[]) {
    for (const stmt of statements) this.register(stmt);
    this.definitions = new Definitions(this.filesOfModule);
    this.types = new TypeResolver(this.definitions, (m) => this.warnings.push(m));
  }

  private register(stmt: YangStatement): void {
    const name = stmt.arg ?? '';
    const table = stmt.keyword === 'module' ? this.moduleStmts : this.submoduleStmts;
    const existing = table.get(name);
    // Several revisions of one module: the newest wins (a server implements one revision).
    if (!existing || revisionOf(stmt) > revisionOf(existing)) table.set(name, stmt);
  }

  build(): BuildResult {
    for (const [name, stmt] of this.moduleStmts) this.collectFiles(name, stmt);
    for (const files of this.filesOfModule.values()) for (const file of files) this.collectIdentities(file);
    const augments: PendingAugment[] = [];
    for (const [name, files] of this.filesOfModule) {
      const module = this.modules.get(name);
      if (!module) continue;
      for (const file of files) {
        const scope = fileScope(file);
        this.instantiate(file.root.children, scope, undefined, module.nodes, module, true);
        for (const aug of children(file.root, 'augment'))
          augments.push({ stmt: aug, scope: childScope(aug, scope), owner: module });
      }
    }
    this.applyAugments(augments);
    for (const files of this.filesOfModule.values()) for (const file of files) this.applyDeviations(file);
    const topLevel = new Map<string, SchemaNode>();
    for (const module of this.modules.values()) {
      for (const node of module.nodes) this.finish(node, topLevel);
    }
    this.resolveLeafrefs(topLevel);
    return {
      modules: this.modules,
      identities: this.identities,
      topLevel,
      missing: this.missing,
      warnings: this.warnings,
    };
  }

  // ---- phase 1: files and prefixes ----

  private collectFiles(name: string, stmt: YangStatement): void {
    const root = this.fileContext(stmt, name, childArg(stmt, 'prefix') ?? name);
    const module: YangModule = {
      name,
      revision: revisionOf(stmt) || undefined,
      namespace: childArg(stmt, 'namespace') ?? '',
      prefix: childArg(stmt, 'prefix') ?? name,
      yangVersion: childArg(stmt, 'yang-version') ?? '1',
      imports: children(stmt, 'import').map((i) => ({
        prefix: childArg(i, 'prefix') ?? '',
        module: i.arg ?? '',
        revision: childArg(i, 'revision-date'),
      })),
      submodules: [],
      features: children(stmt, 'feature').map((f) => f.arg ?? ''),
      nodes: [],
    };
    const files = [root];
    // Includes, transitively (YANG 1.0 submodules may include each other).
    const seen = new Set<string>();
    for (let i = 0; i < files.length; i++) {
      for (const inc of children(files[i].root, 'include')) {
        const subName = inc.arg ?? '';
        if (seen.has(subName)) continue;
        seen.add(subName);
        const sub = this.submoduleStmts.get(subName);
        if (!sub) {
          this.missing.push({
            name: subName,
            revision: childArg(inc, 'revision-date'),
            kind: 'include',
            neededBy: files[i].fileName,
          });
          continue;
        }
        const belongs = child(sub, 'belongs-to');
        files.push(this.fileContext(sub, name, childArg(belongs ?? sub, 'prefix') ?? module.prefix));
        module.submodules.push({ name: subName, revision: revisionOf(sub) || undefined });
        module.features.push(...children(sub, 'feature').map((f) => f.arg ?? ''));
      }
    }
    this.modules.set(name, module);
    this.filesOfModule.set(name, files);
  }

  private fileContext(stmt: YangStatement, moduleName: string, ownPrefix: string): FileContext {
    const prefixes = new Map<string, string>([[ownPrefix, moduleName]]);
    for (const imp of children(stmt, 'import')) {
      const target = imp.arg ?? '';
      prefixes.set(childArg(imp, 'prefix') ?? target, target);
      if (!this.moduleStmts.has(target)) {
        this.missing.push({
          name: target,
          revision: childArg(imp, 'revision-date'),
          kind: 'import',
          neededBy: stmt.arg ?? '',
        });
      }
    }
    return { moduleName, fileName: stmt.arg ?? moduleName, root: stmt, prefixes };
  }

  // ---- phase 2: identities ----

  private collectIdentities(file: FileContext): void {
    for (const id of children(file.root, 'identity')) {
      const bases = children(id, 'base').map((b) => {
        const { prefix, name } = splitQName(b.arg ?? '');
        return `${prefixModule(file, prefix) ?? prefix}:${name}`;
      });
      const name = id.arg ?? '';
      this.identities.set(`${file.moduleName}:${name}`, { module: file.moduleName, name, bases });
    }
  }

  // ---- phase 3: instantiation ----

  /**
   * Instantiates the schema-node statements among `stmts` (written in `scope`) as children of
   * `parent`, appending them to `target`.
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
      if (stmt.keyword === 'uses') {
        this.expandUses(stmt, scope, parent, target, owner, config);
        continue;
      }
      if (!NODE_KINDS.has(stmt.keyword)) continue;
      let holder = parent;
      let list = target;
      if (parent?.kind === 'choice' && stmt.keyword !== 'case') {
        // Shorthand case (RFC 7950 7.9.2): a node directly in a choice is its own case.
        const implicitCase = this.makeNode('case', stmt.arg ?? '', parent, owner, config);
        target.push(implicitCase);
        holder = implicitCase;
        list = implicitCase.children;
      }
      const node = this.makeNode(stmt.keyword as SchemaNodeKind, stmt.arg ?? stmt.keyword, holder, owner, config);
      this.describe(node, stmt, scope);
      list.push(node);
      this.instantiate(stmt.children, childScope(stmt, scope), node, node.children, owner, node.config);
      if (node.kind === 'rpc' || node.kind === 'action') this.ensureInputOutput(node, owner);
    }
  }

  private makeNode(
    kind: SchemaNodeKind,
    name: string,
    parent: SchemaNode | undefined,
    owner: YangModule,
    config: boolean,
  ): SchemaNode {
    return {
      kind,
      name,
      module: owner.name,
      namespace: owner.namespace,
      parent,
      children: [],
      dataChildren: new Map(),
      config,
      configExplicit: false,
      keys: [],
      orderedBy: 'system',
      presence: false,
      type: undefined,
      defaults: [],
      description: undefined,
      path: '',
    };
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
      if (!node.children.some((c) => c.kind === kind))
        node.children.push(this.makeNode(kind, kind, node, owner, false));
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

  // ---- phase 5: deviations ----

  private applyDeviations(file: FileContext): void {
    for (const deviation of children(file.root, 'deviation')) {
      const node = this.absolute(deviation.arg ?? '', file);
      if (!node) {
        this.warnings.push(`${file.fileName}:${deviation.line}: deviation target '${deviation.arg}' not found`);
        continue;
      }
      for (const deviate of children(deviation, 'deviate')) {
        if (deviate.arg === 'not-supported') {
          const siblings = node.parent ? node.parent.children : this.modules.get(node.module)?.nodes;
          const at = siblings?.indexOf(node) ?? -1;
          if (siblings && at >= 0) siblings.splice(at, 1);
          continue;
        }
        const typeStmt = child(deviate, 'type');
        if (typeStmt && (deviate.arg === 'replace' || deviate.arg === 'add')) {
          node.type = this.types.resolve(typeStmt, childScope(deviate, childScope(deviation, fileScope(file))));
        }
        const config = childArg(deviate, 'config');
        if (config !== undefined && deviate.arg !== 'delete') setConfig(node, config !== 'false');
      }
    }
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

  private resolveLeafrefs(topLevel: Map<string, SchemaNode>): void {
    const visit = (node: SchemaNode): void => {
      if (node.type) node.type = this.bindLeafrefs(node.type, node, topLevel);
      for (const c of node.children) visit(c);
    };
    for (const module of this.modules.values()) for (const node of module.nodes) visit(node);
  }

  /**
   * Returns the type with its leafref targets set for this leaf. Types are shared between
   * leaves (typedefs), and a relative path points elsewhere from each leaf, so a type with a
   * leafref is copied rather than changed.
   */
  private bindLeafrefs(type: YangType, leaf: SchemaNode, topLevel: Map<string, SchemaNode>): YangType {
    if (type.leafref) {
      const target = followLeafref(type.leafref.path, type.leafref.prefixes, type.leafref.module, leaf, topLevel);
      if (!target)
        this.warnings.push(`${leaf.path}: leafref path '${type.leafref.path}' not resolved, values kept as strings`);
      return { ...type, leafref: { ...type.leafref, target } };
    }
    if (type.union) {
      const members = type.union.map((m) => this.bindLeafrefs(m, leaf, topLevel));
      if (members.some((m, i) => m !== type.union?.[i])) return { ...type, union: members };
    }
    return type;
  }
}

function setConfig(node: SchemaNode, config: boolean): void {
  node.config = config;
  node.configExplicit = true;
  const inherit = (n: SchemaNode): void => {
    for (const c of n.children) {
      if (c.configExplicit) continue;
      c.config = config;
      inherit(c);
    }
  };
  inherit(node);
}

function matchNode(candidates: SchemaNode[], module: string | undefined, name: string): SchemaNode | undefined {
  const exact = candidates.find((c) => c.name === name && c.module === module);
  if (exact) return exact;
  const byName = candidates.filter((c) => c.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** Removes `[...]` predicates (which may contain paths and quoted strings) from a path. */
function stripPredicates(path: string): string {
  let out = '';
  let depth = 0;
  let quote = '';
  for (const c of path) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (depth > 0 && (c === '"' || c === "'")) quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** Follows a leafref path (RFC 7950 9.9.2) over data nodes; undefined when it cannot. */
function followLeafref(
  path: string,
  prefixes: ReadonlyMap<string, string>,
  defaultModule: string,
  leaf: SchemaNode,
  topLevel: Map<string, SchemaNode>,
): SchemaNode | undefined {
  const clean = stripPredicates(path).replace(/\s+/g, '');
  if (clean.includes('(')) return undefined; // deref() and other functions: not followed
  let current: SchemaNode | undefined = clean.startsWith('/') ? undefined : leaf;
  for (const step of clean.split('/')) {
    if (step === '' || step === '.') continue;
    if (step === '..') {
      if (!current) return undefined;
      current = dataParent(current);
      continue;
    }
    const { prefix, name } = splitQName(step);
    const module = prefix === '' ? defaultModule : prefixes.get(prefix);
    const pool = current ? current.dataChildren : topLevel;
    let next = pool.get(`${module}:${name}`);
    if (!next) {
      const byName = [...pool.values()].filter((n) => n.name === name);
      next = byName.length === 1 ? byName[0] : undefined;
    }
    if (!next) return undefined;
    current = next;
  }
  return current && (current.kind === 'leaf' || current.kind === 'leaf-list') ? current : undefined;
}

function revisionOf(stmt: YangStatement): string {
  let latest = '';
  for (const r of children(stmt, 'revision')) if ((r.arg ?? '') > latest) latest = r.arg ?? '';
  return latest;
}
