/**
 * `diffConfig(before, after, options)`: the semantic diff of two configurations.
 * Both are brought to canonical RFC 7951 JSON (input.ts, canonical.ts), compared node by node
 * (compare.ts) and printed for people as a unified diff of their canonical text. Every phase
 * works in slices (slicer.ts), so large configurations do not freeze the event loop.
 */
import type { JsonObject } from '../yang/json';
import { canonicalObject } from './canonical';
import type { DiffChange } from './change';
import { compareObjects } from './compare';
import { EditBuilder, type EditConfigOptions } from './edit-config';
import { DiffError } from './errors';
import { compileIgnore } from './ignore';
import { inputJson, inputText, schemaView, type ConfigInput, type DiffSchema, type SchemaView } from './input';
import { jsonLines } from './json-lines';
import { alignLines } from './line-diff';
import { MemberResolver } from './members';
import { ReusedEntries } from './reused-entries';
import { Clock, runSliced } from './slicer';
import { changePaths, renderFolded, type TextItem } from './text-render';
import { runMarks } from './text-runs';
import { unifiedDiff } from './unified';
import { xmlConfigPairToJson, xmlConfigToJson } from './xml-input';

export interface DiffOptions {
  /** The device's schema (`mgr.yang`, or a YangSchemaSet). Without it: a plain structural diff. */
  schema?: DiffSchema;
  /** RFC 7951 paths of nodes to leave out, with or without list keys. */
  ignore?: readonly string[];
  /** Whether to build `text` (default true); false saves the time of the line diff. */
  text?: boolean;
  /** Names for the `---`/`+++` lines of `text` (default 'before' and 'after'). */
  labels?: { before?: string; after?: string };
  /** Unchanged lines around each change in `text` (default 3). */
  context?: number;
}

export const NO_SCHEMA_WARNING =
  'no schema given: plain structural diff (members by name, arrays by position, values as strings; ' +
  'module names guessed from XML namespaces); pass options.schema for a YANG-aware diff';

/** The result of diffConfig. */
export class ConfigDiff {
  /** True when the configurations differ (after leaving out the ignored nodes). */
  readonly changed: boolean;

  constructor(
    /** The differences in canonical order. */
    readonly changes: DiffChange[],
    /** Unified diff of the canonical texts; '' when nothing changed. */
    readonly text: string,
    /** Values that did not fit their type, subtrees outside the schema, no schema at all. */
    readonly warnings: string[],
    /** Both configurations in canonical RFC 7951 JSON. */
    readonly before: JsonObject,
    readonly after: JsonObject,
    private readonly view: SchemaView | undefined,
  ) {
    this.changed = changes.length > 0;
  }

  /**
   * The `<config>` content (top-level elements, namespaces and `xmlns:nc` declared) that turns
   * a datastore holding `before` into `after`; '' when nothing changed. Needs the schema.
   */
  async toEditConfig(options: EditConfigOptions = {}): Promise<string> {
    if (!this.view) throw new DiffError('toEditConfig needs the schema: pass options.schema to diffConfig');
    const clock = new Clock();
    const builder = new EditBuilder(this.view, new MemberResolver(this.view.schema), clock, options);
    return runSliced(builder.build(this.before, this.after), clock);
  }
}

/** Same as `diff.toEditConfig(options)`. */
export function diffToEditConfig(diff: ConfigDiff, options: EditConfigOptions = {}): Promise<string> {
  return diff.toEditConfig(options);
}

export interface CanonicalConfig {
  /** Canonical RFC 7951 JSON. */
  json: JsonObject;
  /** The same, pretty-printed: what diffConfig's `text` compares. */
  text: string;
  warnings: string[];
}

/** One configuration in the canonical form the diff compares (for storing or showing it). */
export async function canonicalConfig(
  config: ConfigInput,
  options: Pick<DiffOptions, 'schema' | 'ignore'> = {},
): Promise<CanonicalConfig> {
  const clock = new Clock();
  const warnings: string[] = options.schema ? [] : [NO_SCHEMA_WARNING];
  const view = options.schema ? schemaView(options.schema) : undefined;
  const json = await canonical(config, view, options.ignore, clock, warnings);
  const lines = await runSliced(jsonLines(json, clock), clock);
  return { json, text: `${lines.join('\n')}\n`, warnings };
}

/** Compares two configurations. See docs/diff.md. */
export async function diffConfig(
  before: ConfigInput,
  after: ConfigInput,
  options: DiffOptions = {},
): Promise<ConfigDiff> {
  const clock = new Clock();
  const warnings: string[] = options.schema ? [] : [NO_SCHEMA_WARNING];
  const view = options.schema ? schemaView(options.schema) : undefined;
  const [a, b] = await canonicalPair(before, after, view, options.ignore, clock, warnings);
  const members = new MemberResolver(view?.schema);
  const changes: DiffChange[] = [];
  await runSliced(compareObjects({ members, clock, changes }, a, b, undefined, undefined, ''), clock);
  let text = '';
  if (changes.length > 0 && options.text !== false) {
    const paths = changePaths(changes);
    const context = options.context ?? 3;
    const marks = await runSliced(runMarks(a, b, members, paths, clock), clock);
    const reach = 2 * context + 1;
    const aLines = await runSliced(renderFolded(a, members, paths, marks, reach, clock), clock);
    const bLines = await runSliced(renderFolded(b, members, paths, marks, reach, clock), clock);
    const key = (item: TextItem): string => (typeof item === 'string' ? item : item.id);
    const match = await runSliced(alignLines(aLines.map(key), bLines.map(key), clock), clock);
    const unified = {
      beforeLabel: options.labels?.before ?? 'before',
      afterLabel: options.labels?.after ?? 'after',
      context,
    };
    text = await runSliced(unifiedDiff(aLines, bLines, match, unified, clock), clock);
  }
  return new ConfigDiff(changes, text, dedupe(warnings), a, b, view);
}

/** Both configurations in canonical form; two XML texts are converted as a pair (xml-pair.ts). */
async function canonicalPair(
  before: ConfigInput,
  after: ConfigInput,
  view: SchemaView | undefined,
  ignore: readonly string[] | undefined,
  clock: Clock,
  warnings: string[],
): Promise<[JsonObject, JsonObject]> {
  const x = inputText(before);
  const y = inputText(after);
  if (x === undefined || y === undefined)
    return [
      await canonical(before, view, ignore, clock, warnings),
      await canonical(after, view, ignore, clock, warnings),
    ];
  // Warnings in the order of converting and canonicalising each in turn.
  const converted = { before: [] as string[], after: [] as string[] };
  const reused = new ReusedEntries();
  const [jx, jy] = await xmlConfigPairToJson(x, y, view, converted, reused);
  const canonWarnings = { before: [] as string[], after: [] as string[] };
  // The second's reused entries copy the first's canonical form (their warnings are the first's).
  const a = await canonicalJson(jx, true, view, ignore, clock, canonWarnings.before, reused);
  const b = await canonicalJson(jy, true, view, ignore, clock, canonWarnings.after, reused);
  warnings.push(...converted.before, ...canonWarnings.before, ...converted.after, ...canonWarnings.after);
  return [a, b];
}

function canonicalJson(
  json: JsonObject,
  owned: boolean,
  view: SchemaView | undefined,
  ignore: readonly string[] | undefined,
  clock: Clock,
  warnings: string[],
  reused?: ReusedEntries,
): Promise<JsonObject> {
  const ctx = { members: new MemberResolver(view?.schema), clock, warnings, owned, reused };
  return runSliced(canonicalObject(ctx, json, undefined, undefined, compileIgnore(ignore), ''), clock);
}

async function canonical(
  input: ConfigInput,
  view: SchemaView | undefined,
  ignore: readonly string[] | undefined,
  clock: Clock,
  warnings: string[],
): Promise<JsonObject> {
  const text = inputText(input);
  // JSON converted here from XML belongs to the diff: its canonical form is made in place.
  const json = text === undefined ? inputJson(input) : await xmlConfigToJson(text, view, warnings);
  return canonicalJson(json, text !== undefined, view, ignore, clock, warnings);
}

function dedupe(warnings: string[]): string[] {
  return [...new Set(warnings)];
}
