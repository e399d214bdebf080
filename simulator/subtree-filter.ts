/**
 * Subtree filtering (RFC 6241 section 6). Filtering first marks the data nodes to keep, then
 * copies the marked ones, so several filter nodes that select overlapping data (two list-entry
 * filters, a selection node beside a containment node) simply union.
 *
 * Namespaces: a filter element matches data with the same namespace. A filter element with no
 * namespace, or one left in the NETCONF base namespace by a default xmlns on <rpc>, matches any
 * namespace (data never lives in the base namespace, and RFC 6241 6.4.1 does not forbid it).
 */
import { NS_BASE } from '../src/namespaces';
import { cloneNode, value, type DataNode } from './tree';

type Mark = 'all' | 'partial';

/** Anything with a tag name and namespace that a filter element can be compared with. */
export interface FilterNodeLike {
  ns: string;
  local: string;
  text: string;
  children: readonly FilterNodeLike[];
}

export function filterMatchesName(f: { ns: string; local: string }, d: { ns: string; local: string }): boolean {
  // '*' cannot be an XML element name; only filters compiled from XPath steps use it.
  if (f.local === '*') return f.ns === '' || f.ns === d.ns;
  return f.local === d.local && (f.ns === d.ns || f.ns === '' || f.ns === NS_BASE);
}

function isContentMatch(f: FilterNodeLike): boolean {
  return f.children.length === 0 && f.text.trim() !== '';
}

/**
 * Applies `filterChildren` (the children of <filter>) to the top-level nodes under `root`.
 * An empty filter selects nothing (RFC 6241 6.4.2).
 */
export function applySubtreeFilter(root: DataNode, filterChildren: readonly FilterNodeLike[]): DataNode[] {
  if (filterChildren.length === 0) return [];
  const marks = new Map<DataNode, Mark>();
  select(root, filterChildren, marks);
  // The root itself is only a holder: its own mark does not select all of its children unless
  // every filter node was a content match, which is what select() reports by marking it 'all'.
  if (marks.get(root) === 'all') return root.children.map(cloneNode);
  return copyMarked(root, marks);
}

/** Marks what `filters` select under `parent`; false when a content match node fails. */
function select(parent: DataNode, filters: readonly FilterNodeLike[], marks: Map<DataNode, Mark>): boolean {
  const contentMatches = filters.filter(isContentMatch);
  for (const f of contentMatches) {
    const want = f.text.trim();
    if (!parent.children.some((d) => filterMatchesName(f, d) && d.children.length === 0 && value(d) === want))
      return false;
  }
  if (contentMatches.length === filters.length) {
    marks.set(parent, 'all');
    return true;
  }
  let selected = false;
  for (const d of parent.children) {
    for (const f of filters) {
      if (!filterMatchesName(f, d)) continue;
      if (isContentMatch(f)) {
        if (d.children.length === 0 && value(d) === f.text.trim()) {
          marks.set(d, 'all');
          selected = true;
        }
      } else if (f.children.length === 0) {
        // Selection node: the whole subtree.
        marks.set(d, 'all');
        selected = true;
      } else if (d.children.length > 0 && select(d, f.children, marks)) {
        if (marks.get(d) !== 'all') marks.set(d, 'partial');
        selected = true;
      }
    }
  }
  return selected;
}

function copyMarked(parent: DataNode, marks: Map<DataNode, Mark>): DataNode[] {
  const out: DataNode[] = [];
  for (const d of parent.children) {
    const mark = marks.get(d);
    if (mark === 'all') out.push(cloneNode(d));
    else if (mark === 'partial') {
      const copy: DataNode = { ns: d.ns, local: d.local, children: copyMarked(d, marks), text: '' };
      out.push(copy);
    }
  }
  return out;
}
