/**
 * Schema building, phase 1: each module with the submodules it includes (transitively), the
 * prefixes visible in each file, and the imports and includes that were not supplied.
 */
import type { MissingModule, YangModule } from './model';
import { child, childArg, children, type YangStatement } from './parser';
import type { FileContext } from './scope';
import { revisionOf } from './schema-tree';

export interface ModuleFiles {
  modules: Map<string, YangModule>;
  filesOfModule: Map<string, FileContext[]>;
  missing: MissingModule[];
}

export function collectModuleFiles(
  moduleStmts: ReadonlyMap<string, YangStatement>,
  submoduleStmts: ReadonlyMap<string, YangStatement>,
): ModuleFiles {
  const result: ModuleFiles = { modules: new Map(), filesOfModule: new Map(), missing: [] };
  for (const [name, stmt] of moduleStmts) collectModule(name, stmt, moduleStmts, submoduleStmts, result);
  return result;
}

function collectModule(
  name: string,
  stmt: YangStatement,
  moduleStmts: ReadonlyMap<string, YangStatement>,
  submoduleStmts: ReadonlyMap<string, YangStatement>,
  result: ModuleFiles,
): void {
  const prefix = childArg(stmt, 'prefix') ?? name;
  const module: YangModule = {
    name,
    revision: revisionOf(stmt) || undefined,
    namespace: childArg(stmt, 'namespace') ?? '',
    prefix,
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
  const files = [fileContext(stmt, name, prefix, moduleStmts, result.missing)];
  // Includes, transitively (YANG 1.0 submodules may include each other).
  const seen = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    for (const inc of children(files[i].root, 'include')) {
      const subName = inc.arg ?? '';
      if (seen.has(subName)) continue;
      seen.add(subName);
      const sub = submoduleStmts.get(subName);
      if (!sub) {
        const revision = childArg(inc, 'revision-date');
        result.missing.push({ name: subName, revision, kind: 'include', neededBy: files[i].fileName });
        continue;
      }
      const belongs = child(sub, 'belongs-to');
      files.push(fileContext(sub, name, childArg(belongs ?? sub, 'prefix') ?? prefix, moduleStmts, result.missing));
      module.submodules.push({ name: subName, revision: revisionOf(sub) || undefined });
      module.features.push(...children(sub, 'feature').map((f) => f.arg ?? ''));
    }
  }
  result.modules.set(name, module);
  result.filesOfModule.set(name, files);
}

function fileContext(
  stmt: YangStatement,
  moduleName: string,
  ownPrefix: string,
  moduleStmts: ReadonlyMap<string, YangStatement>,
  missing: MissingModule[],
): FileContext {
  const prefixes = new Map<string, string>([[ownPrefix, moduleName]]);
  for (const imp of children(stmt, 'import')) {
    const target = imp.arg ?? '';
    prefixes.set(childArg(imp, 'prefix') ?? target, target);
    if (!moduleStmts.has(target)) {
      missing.push({
        name: target,
        revision: childArg(imp, 'revision-date'),
        kind: 'import',
        neededBy: stmt.arg ?? '',
      });
    }
  }
  return { moduleName, fileName: stmt.arg ?? moduleName, root: stmt, prefixes };
}
