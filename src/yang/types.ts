/**
 * Type resolution: a `type` statement is followed through its typedef chain to a built-in type,
 * collecting the restrictions that matter for encoding values (enums, bits, patterns,
 * fraction-digits, identityref bases, leafref path, union members). Resolved typedefs are cached
 * per typedef statement, so each is resolved once however often it is used.
 */
import type { BuiltinType, PatternRestriction, YangType } from './model';
import { child, children, type YangStatement } from './parser';
import { prefixModule, splitQName, type Definitions, type Scope } from './scope';

const BUILTINS: ReadonlySet<string> = new Set<BuiltinType>([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'decimal64',
  'string',
  'boolean',
  'empty',
  'enumeration',
  'bits',
  'binary',
  'identityref',
  'instance-identifier',
  'leafref',
  'union',
]);

function isBuiltin(name: string): name is BuiltinType {
  return BUILTINS.has(name);
}

export class TypeResolver {
  private readonly typedefs = new Map<YangStatement, YangType>();
  private readonly resolving = new Set<YangStatement>();

  constructor(
    private readonly definitions: Definitions,
    private readonly warn: (message: string) => void,
    /** Whether an enum or bit's if-feature holds (those of unsupported features are left out). */
    private readonly enabled: (stmt: YangStatement, scope: Scope) => boolean = () => true,
  ) {}

  /** Resolves a `type` statement written in `scope`. Unknown types degrade to string. */
  resolve(typeStmt: YangStatement, scope: Scope): YangType {
    const name = typeStmt.arg ?? 'string';
    const { prefix, name: local } = splitQName(name);
    let type: YangType;
    if (prefix === '' && isBuiltin(local)) {
      type = { base: local, name, derivedFrom: [] };
    } else {
      const def = this.definitions.find('typedef', name, scope);
      const base = def ? this.typedef(def.stmt, def.scope) : undefined;
      if (!def || !base) {
        this.warn(`${scope.file.fileName}:${typeStmt.line}: unknown type '${name}', treated as string`);
        return { base: 'string', name, derivedFrom: [] };
      }
      type = { ...base, name, derivedFrom: [`${def.scope.file.moduleName}:${local}`, ...base.derivedFrom] };
    }
    this.restrict(type, typeStmt, scope);
    return type;
  }

  private typedef(stmt: YangStatement, scope: Scope): YangType | undefined {
    const cached = this.typedefs.get(stmt);
    if (cached) return cached;
    const typeStmt = child(stmt, 'type');
    if (!typeStmt || this.resolving.has(stmt)) return undefined; // malformed or circular
    this.resolving.add(stmt);
    const type = this.resolve(typeStmt, scope);
    this.resolving.delete(stmt);
    this.typedefs.set(stmt, type);
    return type;
  }

  /** Applies the restrictions written under a `type` statement (they refine the base type). */
  private restrict(type: YangType, typeStmt: YangStatement, scope: Scope): void {
    const patterns = children(typeStmt, 'pattern');
    if (patterns.length > 0) type.patterns = [...(type.patterns ?? []), ...patterns.map(toPattern)];
    const enums = children(typeStmt, 'enum').filter((e) => this.enabled(e, scope));
    if (enums.length > 0) type.enums = enums.map((e) => e.arg ?? '');
    const bits = children(typeStmt, 'bit').filter((b) => this.enabled(b, scope));
    if (bits.length > 0) type.bits = bits.map((b) => b.arg ?? '');
    const digits = child(typeStmt, 'fraction-digits');
    if (digits?.arg !== undefined) type.fractionDigits = Number(digits.arg);
    const bases = children(typeStmt, 'base');
    if (bases.length > 0) {
      type.identityBases = bases.map((b) => {
        const { prefix, name } = splitQName(b.arg ?? '');
        return `${prefixModule(scope.file, prefix) ?? prefix}:${name}`;
      });
    }
    const path = child(typeStmt, 'path');
    if (path?.arg !== undefined) {
      type.leafref = { path: path.arg, prefixes: scope.file.prefixes, module: scope.file.moduleName };
    }
    const members = children(typeStmt, 'type');
    if (members.length > 0) type.union = members.map((m) => this.resolve(m, scope));
  }
}

function toPattern(stmt: YangStatement): PatternRestriction {
  const source = stmt.arg ?? '';
  const modifier = child(stmt, 'modifier')?.arg;
  return { source, regex: xsdToRegExp(source), invert: modifier === 'invert-match' };
}

/**
 * Translates an XSD regular expression (YANG patterns, RFC 7950 9.4.5) to an anchored JavaScript
 * RegExp. XSD regexes are implicitly anchored and treat `^` and `$` outside character classes
 * as ordinary characters. Constructs without a faithful JavaScript equivalent (character class
 * subtraction, `\p{Is...}` block escapes) give undefined: such patterns are then not checked.
 */
export function xsdToRegExp(pattern: string): RegExp | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      if (next === 'i') out += inClass ? 'A-Za-z_:' : '[A-Za-z_:]';
      else if (next === 'c') out += inClass ? '\\w.:\\-' : '[\\w.:\\-]';
      else if (next === 'I') out += '[^A-Za-z_:]';
      else if (next === 'C') out += '[^\\w.:\\-]';
      else if ((next === 'p' || next === 'P') && pattern.startsWith('{Is', i + 1)) return undefined;
      else out += `\\${next}`;
    } else if (inClass) {
      if (c === '-' && pattern[i + 1] === '[') return undefined;
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      // A `]` right after `[` or `[^` is literal in both dialects; keep it inside the class.
      if (pattern[i + 1] === ']') out += `\\${pattern[++i]}`;
    } else if (c === '^' || c === '$') {
      out += `\\${c}`;
    } else out += c;
  }
  try {
    return new RegExp(`^(?:${out})$`, 'u');
  } catch {
    return undefined;
  }
}
