/**
 * The XPath filter subset the simulator understands (:xpath capability): unions of absolute
 * location paths whose steps are `prefix:name`, `name` (any namespace) or `*`, each with optional
 * equality predicates `[prefix:key='value']` or `[.='value']`. Such a path means the same as a
 * subtree filter (containment nodes plus content-match nodes), so it is compiled into one and
 * evaluated by the subtree filter. Anything else is refused with a clear invalid-value error.
 */
import { invalidValue } from './rpc-error';
import type { FilterNodeLike } from './subtree-filter';

interface CompiledNode {
  ns: string;
  local: string;
  text: string;
  children: CompiledNode[];
}

const NAME = String.raw`(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*|\*)`;
const STEP = new RegExp(String.raw`^${NAME}((?:\[[^\]]*\])*)$`);
const PREDICATE = new RegExp(String.raw`\[\s*(\.|${NAME})\s*=\s*(?:'([^']*)'|"([^"]*)")\s*\]`, 'g');

function unsupported(select: string, why: string): Error {
  return invalidValue(
    `XPath "${select}" is not supported by the simulator (${why}); use absolute paths with name steps and [key='value'] predicates, or a subtree filter`,
  );
}

/** Splits on `sep` outside quotes and brackets. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function resolve(prefix: string | undefined, scope: Record<string, string>, select: string): string {
  if (prefix === undefined) return '';
  const ns = scope[prefix];
  if (ns === undefined) throw unsupported(select, `prefix "${prefix}" is not declared`);
  return ns;
}

/** Compiles `select` into subtree filter nodes; `scope` is the namespace scope of <filter>. */
export function compileXpath(select: string, scope: Record<string, string>): FilterNodeLike[] {
  const roots: CompiledNode[] = [];
  for (const raw of splitTop(select, '|')) {
    const path = raw.trim();
    if (path === '/') return [{ ns: '', local: '*', text: '', children: [] }];
    if (!path.startsWith('/') || path.startsWith('//') || path.includes('//')) {
      throw unsupported(select, 'only absolute paths without "//"');
    }
    let level = roots;
    const steps = splitTop(path.slice(1), '/');
    steps.forEach((step, i) => {
      const m = STEP.exec(step.trim());
      if (!m) throw unsupported(select, `step "${step}"`);
      const [, prefix, local, predicates] = m;
      const n: CompiledNode = { ns: resolve(prefix, scope, select), local, text: '', children: [] };
      let consumed = '';
      for (const p of predicates.matchAll(PREDICATE)) {
        consumed += p[0];
        const [, self, kPrefix, kLocal, v1, v2] = p;
        const v = v1 ?? v2 ?? '';
        if (self === '.') n.text = v;
        else n.children.push({ ns: resolve(kPrefix, scope, select), local: kLocal, text: v, children: [] });
      }
      if (consumed.replace(/\s/g, '') !== predicates.replace(/\s/g, ''))
        throw unsupported(select, `predicate in "${step}"`);
      // A last step with only key predicates selects the whole entry; make that explicit so the
      // key predicates are not mistaken for "select only the keys".
      if (i === steps.length - 1 && n.children.length > 0)
        n.children.push({ ns: '', local: '*', text: '', children: [] });
      level.push(n);
      level = n.children;
    });
  }
  return roots;
}
