/**
 * Lexical scoping of YANG names (RFC 7950 5.5, 6.4): groupings and typedefs are visible in the
 * statement that defines them and all its descendants, top-level ones in the whole module and
 * its submodules, and other modules' top-level ones through an import prefix. A grouping's body
 * is resolved in the scope where the grouping was defined, not where it is used, so every
 * lookup returns the definition together with its own scope.
 */
import { children, type YangStatement } from './parser';

/** One module or submodule text, with the prefixes visible in it. */
export interface FileContext {
  /** The module the file belongs to (for a submodule: its belongs-to module). */
  moduleName: string;
  /** The module or submodule name of this file. */
  fileName: string;
  root: YangStatement;
  /** Prefix -> module name, the file's own prefix included. */
  prefixes: Map<string, string>;
}

export interface Scope {
  stmt: YangStatement;
  parent: Scope | undefined;
  file: FileContext;
}

export interface Definition {
  stmt: YangStatement;
  /** Scope for the definition's body. */
  scope: Scope;
}

type DefinitionKind = 'grouping' | 'typedef';

export function fileScope(file: FileContext): Scope {
  return { stmt: file.root, parent: undefined, file };
}

export function childScope(stmt: YangStatement, parent: Scope): Scope {
  return { stmt, parent, file: parent.file };
}

/** Splits `prefix:name` (prefix '' when absent). */
export function splitQName(qname: string): { prefix: string; name: string } {
  const colon = qname.indexOf(':');
  return colon < 0 ? { prefix: '', name: qname } : { prefix: qname.slice(0, colon), name: qname.slice(colon + 1) };
}

/** Resolves a prefix in a file to a module name (undefined when the prefix is unknown). */
export function prefixModule(file: FileContext, prefix: string): string | undefined {
  return prefix === '' ? file.moduleName : file.prefixes.get(prefix);
}

export class Definitions {
  /** Per statement: its directly defined groupings or typedefs by name (built on first use). */
  private readonly local: Record<DefinitionKind, Map<YangStatement, Map<string, YangStatement>>> = {
    grouping: new Map(),
    typedef: new Map(),
  };

  /** @param filesOfModule the files (module and submodules) of each module, by module name */
  constructor(private readonly filesOfModule: ReadonlyMap<string, FileContext[]>) {}

  find(kind: DefinitionKind, qname: string, scope: Scope): Definition | undefined {
    const { prefix, name } = splitQName(qname);
    const module = prefixModule(scope.file, prefix);
    if (module === undefined) return undefined;
    if (module === scope.file.moduleName) {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const found = this.defined(kind, s.stmt).get(name);
        if (found) return { stmt: found, scope: childScope(found, s) };
      }
    }
    // Top level of the (other, or same) module and all its submodules.
    for (const file of this.filesOfModule.get(module) ?? []) {
      const found = this.defined(kind, file.root).get(name);
      if (found) return { stmt: found, scope: childScope(found, fileScope(file)) };
    }
    return undefined;
  }

  private defined(kind: DefinitionKind, stmt: YangStatement): Map<string, YangStatement> {
    let map = this.local[kind].get(stmt);
    if (!map) {
      map = new Map();
      for (const d of children(stmt, kind)) if (d.arg !== undefined && !map.has(d.arg)) map.set(d.arg, d);
      this.local[kind].set(stmt, map);
    }
    return map;
  }
}
