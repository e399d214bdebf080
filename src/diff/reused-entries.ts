/**
 * The list entries of the second XML configuration that the pair conversion (xml-pair.ts)
 * copied from the first, so that the canonical pass of the second copies the first's canonical
 * form of each instead of making it again (that pass was a tenth of a large XML diff).
 *
 * Why the copy is the same as making it: canonicalObject is a function of the entry's content,
 * its list node, the path and the ignore state inside it alone. The content is the same (the
 * second's copy was taken before either pass ran); node and path are checked; the ignore state
 * follows from the content unless an ignore step selects entries by position (`port[3]`), and
 * then the entries are made as usual. Its warnings are the first's, word for word, which
 * diffConfig already has once.
 *
 * Entries are found by list array and position, not by object: the pass walks each list's
 * array in order, and a map keyed by every entry object cost most of what was saved.
 */
import type { JsonObject, JsonValue } from '../yang/json';
import type { SchemaNode } from '../yang/model';

/** Where entries of one list array of the second came from: per position, the first's array and position. */
interface Copied {
  from: (JsonValue[] | undefined)[];
  at: number[];
}

/** The canonical entries of one list array of the first, by their position before the pass. */
interface Made {
  node: SchemaNode | undefined;
  path: string;
  values: JsonObject[];
}

export class ReusedEntries {
  private readonly copied = new Map<JsonValue[], Copied>();
  private readonly made = new Map<JsonValue[], Made>();

  /** The pair conversion put a copy of entry `at` of the first's `from` at `index` of the second's `list`. */
  add(list: JsonValue[], index: number, from: JsonValue[], at: number): void {
    let copied = this.copied.get(list);
    if (!copied) this.copied.set(list, (copied = { from: [], at: [] }));
    // Dense arrays: positions in between are entries the conversion parsed.
    while (copied.at.length < index) {
      copied.from.push(undefined);
      copied.at.push(-1);
    }
    copied.from[index] = from;
    copied.at[index] = at;
    if (!this.made.has(from)) this.made.set(from, { node: undefined, path: '', values: [] });
  }

  /**
   * For the first's pass over `list` (of `node`, at `path`): where to put each entry's canonical
   * form by its position, when entries were copied from this list; else undefined.
   */
  recorder(list: JsonValue[], node: SchemaNode, path: string): JsonObject[] | undefined {
    const made = this.made.get(list);
    if (!made) return undefined;
    made.node = node;
    made.path = path;
    return made.values;
  }

  /** For the second's pass over `list`: the entries copied into it, else undefined. */
  copiesIn(list: JsonValue[]): Copied | undefined {
    return this.copied.get(list);
  }

  /** A copy of the canonical form of the first's entry copied to `index` (same node and path), or undefined. */
  canonicalCopy(copied: Copied, index: number, node: SchemaNode, path: string): JsonObject | undefined {
    const from = copied.from[index];
    const made = from && this.made.get(from);
    if (!made || made.node !== node || made.path !== path) return undefined;
    const value = made.values[copied.at[index]] as JsonObject | undefined;
    return value && (copyJson(value) as JsonObject);
  }
}

/** A deep copy (the diff's `before` and `after` share no object). */
export function copyJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: JsonObject = {};
  for (const k in value) out[k] = copyJson(value[k]);
  return out;
}
