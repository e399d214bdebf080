/**
 * Schema trees as comparable entry lists, from our schema and from yanglint's output: one entry
 * per schema node of one module, `path kind[keys]`, where the path is the chain of schema node
 * names (choice and case included, prefixes dropped) from the top.
 *
 * The reference is libyang's compiled schema. `yanglint -f tree` prints it for a module's own
 * nodes; the rules below read every line form it prints, and where the printer does not show the
 * compiled schema they take it from elsewhere or normalise the printer's form, each touching only
 * the construct it names:
 * - node lines are `+--`, `x--` (status deprecated) or `o--` (obsolete), with flags rw, ro, -w,
 *   -x, -n, -u, `mp` (a schema-mount point, a container) or `--` (inside a notification or an
 *   rc:yang-data structure): none is dropped.
 * - augment sections are printed from the parsed module, not the compiled one: a grouping used
 *   in them stays unexpanded (`+---u name`), and a data node augmented straight into a choice is
 *   printed without the case RFC 7950 7.9.2 makes of it (shorthand case). `compiledAugments`
 *   reads such a module's augments from the tree of the module they augment (compiled there,
 *   prefixed with the augmenting module's prefix); `yanglintTree` puts the shorthand case back.
 * - no printer shows an empty input or output; "empty" counts only the modules yanglint loaded
 *   (`ourTree`).
 * - yanglint 2.1 crashes in the tree printer (SIGSEGV, a null function pointer inside libyang,
 *   seen with gdb) on ietf-netconf, ietf-netconf-with-defaults and ietf-origin; for them
 *   `infoTree` reads `yanglint -f info`, the compiled schema printed as YANG statements.
 */
import type { SchemaNode, YangSchemaSet } from '../../src/yang';
import { parseYang, type YangStatement } from '../../src/yang/parser';

export const WITHOUT_AUGMENTS = /^(module: |rpcs|notifications)/;
export const YANG_DATA = /^yang-data /;

export function hasUnexpandedUses(text: string): boolean {
  return /\+---u /.test(text);
}

type Kind = 'container' | 'list' | 'leaf-list' | 'terminal' | 'choice' | 'case' | 'operation' | 'io' | 'notification';

function ourKind(node: SchemaNode): Kind {
  switch (node.kind) {
    case 'leaf':
    case 'anydata':
    case 'anyxml':
      return 'terminal';
    case 'rpc':
    case 'action':
      return 'operation';
    case 'input':
    case 'output':
      return 'io';
    default:
      return node.kind;
  }
}

/** Config (rw/ro) is not compared: yanglint's augment sections into operations print it as rw. */
function entry(path: string[], kind: Kind, keys: string[]): string {
  return `${path.join('/')} ${kind}${keys.length ? `[${keys.join(' ')}]` : ''}`;
}

/** The module and every module it imports, directly or not: what yanglint loads to print it. */
function importClosure(schema: YangSchemaSet, module: string): Set<string> {
  const seen = new Set<string>();
  const walk = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const i of schema.modules.get(name)?.imports ?? []) walk(i.module);
  };
  walk(module);
  return seen;
}

/** Every node of `module` (wherever it sits: augments included). */
export function ourTree(schema: YangSchemaSet, module: string): string[] {
  const out: string[] = [];
  const loaded = importClosure(schema, module);
  const visit = (node: SchemaNode, path: string[]): void => {
    const here = [...path, node.name];
    const kind = ourKind(node);
    // No printer shows an empty input or output. Empty here means: nothing in it from a module
    // yanglint had loaded (ietf-routing's active-route input is filled only by
    // ietf-ipv4-unicast-routing, which is not among ietf-routing's imports).
    const empty = kind === 'io' && !node.children.some((c) => loaded.has(c.module));
    if (node.module === module && !empty) out.push(entry(here, kind, node.keys));
    for (const c of node.children) visit(c, here);
  };
  for (const m of schema.modules.values()) for (const n of m.nodes) visit(n, []);
  return out.sort();
}

const LINE = /^([ |]*)[+xo]--(rw|ro|-w|-x|-n|-u|--|mp|:)\s*(\S+)(.*)$/;

interface Line {
  depth: number;
  flags: string;
  prefix: string | undefined;
  name: string;
  tail: string;
  rawName: string;
}

/** One node line of the tree format (RFC 8340: `+--`, `x--` deprecated, `o--` obsolete). */
function parseLine(line: string, column: number): Line | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, indent, flags, rawName, rest] = m;
  const name = rawName
    .replace(/^\(/, '')
    .replace(/[)*?!]+$/, '')
    .replace(/^[^:]*:/, '');
  const prefix = /^\(?([^:()]+):/.exec(rawName)?.[1];
  return { depth: (indent.length - column) / 3, flags, prefix, name, tail: rest.trim(), rawName };
}

function lineKind(l: Line, parent: Kind | undefined): { kind: Kind; keys: string[] } {
  let keys: string[] = [];
  let kind: Kind;
  if (l.flags === ':') kind = 'case';
  else if (l.rawName.startsWith('(')) kind = 'choice';
  else if (l.flags === '-x') kind = 'operation';
  else if (l.flags === '-n') kind = 'notification';
  else if ((l.name === 'input' || l.name === 'output') && parent === 'operation') kind = 'io';
  else if (l.rawName.endsWith('*')) {
    const k = /^\[([^\]]*)\]/.exec(l.tail);
    if (k) keys = k[1].split(/\s+/);
    kind = k || l.tail === '' || l.tail.startsWith('{') ? 'list' : 'leaf-list';
  } else if (l.tail !== '' && !l.tail.startsWith('{')) kind = 'terminal';
  else kind = 'container'; // also `mp` (a schema-mount point is a container)
  return { kind, keys };
}

function augmentTarget(header: string): string[] {
  return header
    .slice(8)
    .split('/')
    .filter((s) => s);
}

/**
 * Entries of one module from `yanglint -f tree -L 1000` output (module, augment, rpcs,
 * notifications). `isChoice(path)` (prefixed names) tells whether an augment's target is a
 * choice: a node other than a case at the top of such an augment is a shorthand case (RFC 7950
 * 7.17, 7.9.2), which the compiled schema has and the printer's augment section leaves out, so
 * the case is added.
 * `sections` says which sections are read (without augments: taken from `compiledAugments`
 * then; `yang-data`: the RFC 8040 structures, which are not data).
 */
export function yanglintTree(
  text: string,
  ownPrefix: string,
  isChoice: (path: string[]) => boolean,
  sections = /^(module: |augment |rpcs|notifications)/,
): string[] {
  const out: string[] = [];
  let section: 'data' | 'skip' = 'skip';
  let base: string[] = [];
  let choiceTarget = false;
  let shorthand: string[] = [];
  let stack: { name: string; kind: Kind }[] = [];
  let column = -1;
  let skipBelow = -1;
  for (const text0 of text.split('\n')) {
    const header = /^(module: \S+)$|^ {2}(\S.*):$/.exec(text0);
    if (header) {
      const h = header[1] ?? header[2];
      section = sections.test(h) ? 'data' : 'skip';
      base = h.startsWith('augment ') ? augmentTarget(h).map((q) => q.replace(/^[^:]*:/, '')) : [];
      choiceTarget = h.startsWith('augment ') && isChoice(augmentTarget(h));
      [stack, column, skipBelow] = [[], -1, -1];
      continue;
    }
    if (section === 'skip' || !LINE.test(text0)) continue;
    if (column < 0) column = /^[ |]*/.exec(text0)![0].length;
    const l = parseLine(text0, column)!;
    stack.length = l.depth;
    if (skipBelow >= 0 && l.depth > skipBelow) continue;
    skipBelow = -1;
    if (l.prefix && l.prefix !== ownPrefix) {
      skipBelow = l.depth; // another module's node shown in this tree
      continue;
    }
    const { kind, keys } = lineKind(l, stack[l.depth - 1]?.kind);
    if (l.depth === 0) {
      shorthand = choiceTarget && kind !== 'case' ? [l.name] : [];
      if (shorthand.length) out.push(entry([...base, l.name], 'case', []));
    }
    stack[l.depth] = { name: l.name, kind };
    out.push(entry([...base, ...shorthand, ...stack.map((s) => s.name)], kind, keys));
  }
  return out.sort();
}

/**
 * The nodes an augmenting module (prefix `prefix`) adds to another module, from the compiled
 * tree of that other module printed with the augmenting one loaded: there they are expanded
 * and shown with their own prefix. Only the target's own sections are read.
 */
export function compiledAugments(text: string, target: string, prefix: string): string[] {
  const out: string[] = [];
  let section: 'data' | 'skip' = 'skip';
  let stack: { name: string; kind: Kind }[] = [];
  let column = -1;
  let skipBelow = -1;
  const owned: boolean[] = [];
  let inTarget = false;
  for (const text0 of text.split('\n')) {
    const header = /^(module: \S+)$|^ {2}(\S.*):$/.exec(text0);
    if (header) {
      if (header[1]) inTarget = header[1] === `module: ${target}`;
      section = inTarget && /^(module: |rpcs|notifications)/.test(header[1] ?? header[2]) ? 'data' : 'skip';
      [stack, column, skipBelow] = [[], -1, -1];
      continue;
    }
    if (section === 'skip' || !LINE.test(text0)) continue;
    if (column < 0) column = /^[ |]*/.exec(text0)![0].length;
    const l = parseLine(text0, column)!;
    stack.length = l.depth;
    if (skipBelow >= 0 && l.depth > skipBelow) continue;
    skipBelow = -1;
    const { kind, keys } = lineKind(l, stack[l.depth - 1]?.kind);
    stack[l.depth] = { name: l.name, kind };
    const ours = l.prefix === prefix;
    owned.length = l.depth;
    owned[l.depth] = ours;
    // A node of a third module inside one of ours is not ours, nor is anything below it.
    if (!ours && owned[l.depth - 1]) skipBelow = l.depth;
    else if (ours)
      out.push(
        entry(
          stack.map((s) => s.name),
          kind,
          keys,
        ),
      );
  }
  return out.sort();
}

const NODE_KEYWORDS: Record<string, Kind> = {
  container: 'container',
  list: 'list',
  'leaf-list': 'leaf-list',
  leaf: 'terminal',
  anydata: 'terminal',
  anyxml: 'terminal',
  choice: 'choice',
  case: 'case',
  rpc: 'operation',
  action: 'operation',
  input: 'io',
  output: 'io',
  notification: 'notification',
};

/** The `module NAME { ... }` blocks of `yanglint -f info` output, by module name. */
export function infoModules(text: string): Map<string, YangStatement> {
  const blocks = new Map<string, YangStatement>();
  for (const block of text.split(/^(?=module )/m).filter((b) => b.trim() !== '')) {
    const stmt = parseYang(block, 'yanglint -f info');
    blocks.set(stmt.arg ?? '', stmt);
  }
  return blocks;
}

/** Entries of the schema nodes in one module block of `yanglint -f info` (the compiled schema). */
export function infoTree(module: YangStatement): string[] {
  const out: string[] = [];
  const visit = (stmt: YangStatement, path: string[]): void => {
    const kind = stmt.prefix === '' ? NODE_KEYWORDS[stmt.keyword] : undefined;
    if (!kind) return;
    const here = [...path, stmt.arg ?? stmt.keyword];
    const hasNodes = stmt.children.some((c) => c.prefix === '' && NODE_KEYWORDS[c.keyword]);
    const keys = (stmt.children.find((c) => c.keyword === 'key')?.arg ?? '').split(/\s+/).filter((k) => k);
    if (kind !== 'io' || hasNodes) out.push(entry(here, kind, keys));
    for (const c of stmt.children) visit(c, here);
  };
  for (const c of module.children) visit(c, []);
  return out.sort();
}
