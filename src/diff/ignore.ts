/**
 * `ignore` paths: nodes left out of both configurations before they are compared (volatile
 * leaves such as counters or timestamps). A path has the form of the diff's own paths; a step
 * without predicates matches every entry of a list, a step with predicates only the entries
 * whose keys (or leaf-list value, `[.='x']`) have those values.
 */
import type { JsonValue } from '../yang/json';
import { parsePath, predicateText, type PathStep } from './path';

/** Patterns still being followed at some depth: which step each has reached. */
export interface IgnoreState {
  patterns: readonly PathStep[][];
  depth: number;
  /** Indexes into `patterns` of those matching every step so far. */
  active: readonly number[];
}

export const NOTHING_IGNORED: IgnoreState = { patterns: [], depth: 0, active: [] };

export function compileIgnore(paths: readonly string[] | undefined): IgnoreState {
  if (!paths || paths.length === 0) return NOTHING_IGNORED;
  const patterns = paths.map((p) => parsePath(p));
  return { patterns, depth: 0, active: patterns.map((_, i) => i) };
}

/**
 * The state for member `key` (`module:name`) of the current node, or 'drop' when a pattern
 * ends there and takes the whole member (no predicates on its last step).
 */
export function enterMember(state: IgnoreState, key: string): IgnoreState | 'drop' {
  if (state.active.length === 0) return state;
  const next: number[] = [];
  for (const i of state.active) {
    const steps = state.patterns[i];
    const step = steps[state.depth];
    if (step?.key !== key) continue;
    if (state.depth === steps.length - 1 && !step.predicates) return 'drop';
    next.push(i);
  }
  return next.length === 0 ? emptyState(state) : { patterns: state.patterns, depth: state.depth + 1, active: next };
}

/**
 * For one entry of a list (or one leaf-list value) whose member was entered: the state inside
 * it, or 'drop' when a pattern with matching predicates ends at this entry.
 */
export function enterEntry(state: IgnoreState, entry: JsonValue, position: number): IgnoreState | 'drop' {
  if (state.active.length === 0) return state;
  const next: number[] = [];
  for (const i of state.active) {
    const steps = state.patterns[i];
    const step = steps[state.depth - 1];
    if (step.predicates && !predicatesMatch(step.predicates, entry, position)) continue;
    if (state.depth === steps.length) return 'drop';
    next.push(i);
  }
  return next.length === 0 ? emptyState(state) : { ...state, active: next };
}

/**
 * True when an entry's position can decide what is ignored inside it (a step like `port[3]`
 * among the active patterns); otherwise enterEntry depends on the entry's content alone.
 */
export function positionMatters(state: IgnoreState): boolean {
  return state.active.some((i) => state.patterns[i][state.depth - 1]?.predicates?.has('#') === true);
}

function emptyState(state: IgnoreState): IgnoreState {
  return { patterns: state.patterns, depth: state.depth + 1, active: [] };
}

function predicatesMatch(predicates: Map<string, string>, entry: JsonValue, position: number): boolean {
  for (const [name, text] of predicates) {
    if (name === '#') {
      if (String(position) !== text) return false;
    } else if (name === '.') {
      if (predicateText(entry) !== text) return false;
    } else {
      const obj = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry : {};
      if (predicateText(obj[name]) !== text) return false;
    }
  }
  return true;
}
