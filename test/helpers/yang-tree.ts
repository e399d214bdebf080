/**
 * Schema trees as comparable entry lists, from our schema and from `yanglint -f tree` output:
 * one entry per schema node of one module, `path kind[keys] config`, where the path is the
 * chain of schema node names (choice and case included, prefixes dropped) from the top.
 * yanglint prints some groupings unexpanded (`+---u name`): `hasUnexpandedUses` tells.
 */

export function hasUnexpandedUses(text: string): boolean {
  return /\+---u /.test(text);
}
import type { SchemaNode, YangSchemaSet } from '../../src/yang';

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
function entry(path: string[], kind: Kind, keys: string[], _config: string): string {
  return `${path.join('/')} ${kind}${keys.length ? `[${keys.join(' ')}]` : ''}`;
}

/** Every node of `module` (wherever it sits: augments included). */
export function ourTree(schema: YangSchemaSet, module: string): string[] {
  const out: string[] = [];
  const visit = (node: SchemaNode, path: string[], inOperation: boolean): void => {
    const here = [...path, node.name];
    const kind = ourKind(node);
    const operation = inOperation || kind === 'operation' || kind === 'notification';
    // yanglint prints no empty input or output.
    if (node.module === module && !(kind === 'io' && node.children.length === 0)) {
      const config = operation || kind === 'case' ? '' : node.config ? ' rw' : ' ro';
      out.push(entry(here, kind, node.keys, config));
    }
    for (const c of node.children) visit(c, here, operation);
  };
  for (const m of schema.modules.values()) for (const n of m.nodes) visit(n, [], false);
  return out.sort();
}

const LINE = /^([ |]*)\+--(rw|ro|-w|-x|-n|-u|:)\s*(\S+)(.*)$/;

/** Entries of one module from `yanglint -f tree -L 1000` output (module, augment, rpcs, notifications). */
export function yanglintTree(text: string, ownPrefix: string): string[] {
  const out: string[] = [];
  let section: 'data' | 'skip' = 'skip';
  let base: string[] = [];
  let stack: { name: string; kind: Kind }[] = [];
  let column = -1;
  let skipBelow = -1;
  for (const line of text.split('\n')) {
    const header = /^(module: \S+)$|^ {2}(\S.*):$/.exec(line);
    if (header) {
      const h = header[1] ?? header[2];
      section = /^(module: |augment |rpcs|notifications)/.test(h) ? 'data' : 'skip';
      base = h.startsWith('augment ')
        ? h
            .slice(8)
            .split('/')
            .filter((s) => s)
            .map((s) => s.replace(/^[^:]*:/, ''))
        : [];
      stack = [];
      column = -1;
      skipBelow = -1;
      continue;
    }
    const m = LINE.exec(line);
    if (!m || section === 'skip') continue;
    if (column < 0) column = m[1].length;
    const depth = (m[1].length - column) / 3;
    stack.length = depth;
    if (skipBelow >= 0 && depth > skipBelow) continue;
    skipBelow = -1;
    const [, , flags, rawName, rest] = m;
    const prefixed = /^\(?([^:()]+):/.exec(rawName);
    const name = rawName
      .replace(/^\(/, '')
      .replace(/[)*?!]+$/, '')
      .replace(/^[^:]*:/, '');
    if (prefixed && prefixed[1] !== ownPrefix) {
      skipBelow = depth; // another module's node shown in this tree
      continue;
    }
    const tail = rest.trim();
    const inOperation = stack.some((s) => s.kind === 'operation' || s.kind === 'notification');
    let kind: Kind;
    let keys: string[] = [];
    if (flags === ':') kind = 'case';
    else if (rawName.startsWith('(')) kind = 'choice';
    else if (flags === '-x') kind = 'operation';
    else if (flags === '-n') kind = 'notification';
    else if ((name === 'input' || name === 'output') && stack[depth - 1]?.kind === 'operation') kind = 'io';
    else if (rawName.endsWith('*')) {
      const k = /^\[([^\]]*)\]/.exec(tail);
      if (k) keys = k[1].split(/\s+/);
      kind = k || tail === '' || tail.startsWith('{') ? 'list' : 'leaf-list';
    } else if (tail !== '' && !tail.startsWith('{')) kind = 'terminal';
    else kind = 'container';
    stack[depth] = { name, kind };
    const operation = inOperation || kind === 'operation' || kind === 'notification';
    const config = operation || kind === 'case' || kind === 'io' ? '' : flags === 'rw' ? ' rw' : ' ro';
    out.push(entry([...base, ...stack.slice(0, depth + 1).map((s) => s.name)], kind, keys, config));
  }
  return out.sort();
}
