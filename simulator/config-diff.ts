/**
 * Differences between two configuration trees, as the edit list of a netconf-config-change
 * notification (RFC 6470). Commits copy whole trees, so the edits are recomputed from the trees
 * rather than remembered from the edit-config calls that built the candidate.
 */
import type { EditChange } from './edit-config';
import { findMatch } from './edit-config';
import type { ModelHints } from './model';
import { instancePath, type NodeLike } from './path';
import type { DataNode } from './tree';

export function diffConfig(before: DataNode, after: DataNode, hints: ModelHints): EditChange[] {
  const changes: EditChange[] = [];
  diffChildren(before, after, [], hints, changes);
  return changes;
}

function safeMatch(parent: DataNode, n: DataNode, chain: NodeLike[], hints: ModelHints): number {
  try {
    return findMatch(parent, n, chain, hints);
  } catch {
    // An entry without its key leaves (only possible in unvalidated data) matches nothing.
    return -1;
  }
}

function diffChildren(
  before: DataNode,
  after: DataNode,
  chain: NodeLike[],
  hints: ModelHints,
  out: EditChange[],
): void {
  for (const a of after.children) {
    const here = [...chain, a];
    const i = safeMatch(before, a, chain, hints);
    if (i < 0) {
      out.push({ operation: 'create', target: instancePath(here, hints) });
      continue;
    }
    const b = before.children[i];
    if (a.children.length === 0 && b.children.length === 0) {
      if (a.text.trim() !== b.text.trim()) out.push({ operation: 'replace', target: instancePath(here, hints) });
    } else {
      diffChildren(b, a, here, hints, out);
    }
  }
  for (const b of before.children) {
    if (safeMatch(after, b, chain, hints) < 0)
      out.push({ operation: 'delete', target: instancePath([...chain, b], hints) });
  }
}
