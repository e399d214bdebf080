/**
 * The canonical text of a configuration for the line diff, with unchanged subtrees folded: a
 * member or keyed list entry that no change touches (its path is not on any change's path) is
 * one Block item standing for all its lines. Both sides fold the same subtrees under the same
 * path, so the line diff aligns a few thousand items instead of hundreds of thousands of lines,
 * and only the blocks next to a change are ever printed (unified.ts unfolds them).
 *
 * Entries of keyless lists and schema-less arrays are identified by position only, which does
 * not tell whether two entries are the same: they are never folded.
 */
import type { JsonObject, JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';
import type { DiffChange } from './change';
import { emit, lineCount } from './json-lines';
import type { MemberResolver } from './members';
import { keyPredicates } from './path';
import type { Clock, Sliced } from './slicer';

export interface Block {
  /** Same on both sides for the same unchanged subtree: path and trailing comma. */
  id: string;
  lines: number;
  value: JsonValue;
  indent: string;
  label: string;
  comma: string;
}

export type TextItem = string | Block;

/** Lines of the folded block. */
export function* unfold(block: Block, clock: Clock): Sliced<string[]> {
  const out: string[] = [];
  yield* emit(block.value, block.indent, block.label, block.comma, out, clock);
  return out;
}

/** Every path that leads to a change (ancestors included), and the changed paths themselves. */
export function changePaths(changes: readonly DiffChange[]): { onPath: Set<string>; changed: Set<string> } {
  const onPath = new Set<string>();
  const changed = new Set<string>();
  for (const { path } of changes) {
    changed.add(path);
    let quote = '';
    for (let i = 1; i < path.length; i++) {
      const c = path[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '/' || c === '[') onPath.add(path.slice(0, i));
    }
    onPath.add(path);
  }
  return { onPath, changed };
}

interface RenderContext {
  members: MemberResolver;
  onPath: Set<string>;
  changed: Set<string>;
  clock: Clock;
  out: TextItem[];
}

export function* renderFolded(
  config: JsonObject,
  members: MemberResolver,
  paths: { onPath: Set<string>; changed: Set<string> },
  clock: Clock,
): Sliced<TextItem[]> {
  const ctx: RenderContext = { members, ...paths, clock, out: [] };
  yield* object(ctx, config, undefined, undefined, '', '', '', '');
  return ctx.out;
}

function fold(ctx: RenderContext, path: string, value: JsonValue, indent: string, label: string, comma: string): void {
  ctx.out.push({ id: `\u0000${path}\u0000${comma}`, lines: lineCount(value), value, indent, label, comma });
}

function* object(
  ctx: RenderContext,
  obj: JsonObject,
  parent: SchemaNode | undefined,
  parentModule: string | undefined,
  path: string,
  indent: string,
  label: string,
  comma: string,
): Sliced<void> {
  const keys = Object.keys(obj);
  if (keys.length === 0) {
    ctx.out.push(`${indent}${label}{}${comma}`);
    return;
  }
  ctx.out.push(`${indent}${label}{`);
  const inner = `${indent}  `;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    const p = `${path}/${k}`;
    const c = i < keys.length - 1 ? ',' : '';
    const l = `${JSON.stringify(k)}: `;
    const resolved = ctx.members.resolve(k, parent, parentModule);
    const module = resolved.module || parentModule;
    if (typeof v !== 'object' || v === null || ctx.changed.has(p)) yield* emitLines(ctx, v, inner, l, c);
    else if (!ctx.onPath.has(p)) fold(ctx, p, v, inner, l, c);
    else if (Array.isArray(v)) yield* array(ctx, v, resolved.node, p, inner, l, c);
    else yield* object(ctx, v, resolved.node, module, p, inner, l, c);
  }
  ctx.out.push(`${indent}}${comma}`);
}

function* array(
  ctx: RenderContext,
  items: JsonValue[],
  node: SchemaNode | undefined,
  path: string,
  indent: string,
  label: string,
  comma: string,
): Sliced<void> {
  if (!node || node.kind !== 'list' || node.keys.length === 0) {
    yield* emitLines(ctx, items, indent, label, comma);
    return;
  }
  ctx.out.push(`${indent}${label}[`);
  const inner = `${indent}  `;
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    const c = i < items.length - 1 ? ',' : '';
    if (typeof e !== 'object' || e === null || Array.isArray(e)) {
      yield* emitLines(ctx, e, inner, '', c);
      continue;
    }
    const p = `${path}${keyPredicates(node, e)}`;
    if (ctx.changed.has(p)) yield* emitLines(ctx, e, inner, '', c);
    else if (!ctx.onPath.has(p)) fold(ctx, p, e, inner, '', c);
    else yield* object(ctx, e, node, node.module, p, inner, '', c);
    if (ctx.clock.due()) yield;
  }
  ctx.out.push(`${indent}]${comma}`);
}

function* emitLines(ctx: RenderContext, value: JsonValue, indent: string, label: string, comma: string): Sliced<void> {
  const lines: string[] = [];
  yield* emit(value, indent, label, comma, lines, ctx.clock);
  for (const line of lines) ctx.out.push(line);
}
