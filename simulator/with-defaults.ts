/**
 * with-defaults (RFC 6243) with basic-mode explicit: the datastore holds exactly what clients
 * set, and a retrieval may ask for report-all (add the model's defaults where absent),
 * report-all-tagged (the same, tagged wd:default="true") or trim (drop leaves equal to their
 * default). Works on copies, never on a datastore.
 */
import { NS_WITH_DEFAULTS } from '../src/namespaces';
import type { XmlElement } from '../src/xml/element';
import type { ModelHints } from './model';
import { invalidValue } from './rpc-error';
import { leaf, value, type DataNode } from './tree';

export type WithDefaultsMode = 'explicit' | 'report-all' | 'report-all-tagged' | 'trim';
const MODES: readonly string[] = ['explicit', 'report-all', 'report-all-tagged', 'trim'];

export function readWithDefaults(op: XmlElement): WithDefaultsMode {
  const el = op.children.find((c) => c.local === 'with-defaults' && c.ns === NS_WITH_DEFAULTS);
  if (!el) return 'explicit';
  const mode = el.text.trim();
  if (!MODES.includes(mode)) throw invalidValue(`unknown with-defaults mode "${mode}"`, 'with-defaults');
  return mode as WithDefaultsMode;
}

/** Rewrites `nodes` (copies) in place for `mode`. */
export function applyWithDefaults(nodes: DataNode[], mode: WithDefaultsMode, hints: ModelHints): void {
  if (mode === 'explicit') return;
  for (const n of nodes) visit(n, mode, hints);
}

function visit(n: DataNode, mode: WithDefaultsMode, hints: ModelHints): void {
  for (const c of n.children) if (c.children.length > 0) visit(c, mode, hints);
  for (const d of hints.defaults) {
    if (d.parent !== n.local || d.parentNs !== n.ns) continue;
    const i = n.children.findIndex((c) => c.local === d.leaf && c.ns === d.parentNs);
    if (mode === 'trim') {
      if (i >= 0 && value(n.children[i]) === d.value) n.children.splice(i, 1);
    } else if (i < 0) {
      const added = leaf(d.parentNs, d.leaf, d.value);
      if (mode === 'report-all-tagged') added.defaultTag = true;
      n.children.push(added);
    }
  }
}
