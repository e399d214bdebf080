/**
 * Module texts cached by module name and revision, in memory and optionally in a directory, and
 * the loader that turns a device's module list into a schema, fetching only what the cache
 * lacks. A module revision never changes (RFC 7950 7.1.9: a changed module gets a new
 * revision), so name + revision is a safe key across devices and reconnects.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { MissingModule } from './model';
import type { ModuleRef } from './module-list';
import { childArg, children, parseYang, type YangStatement } from './parser';
import type { FeatureSet } from './features';
import { YangSchemaSet } from './schema';

/** Fetches one module or submodule text (the Manager plugs in <get-schema>). */
export type SchemaFetcher = (name: string, revision: string | undefined) => Promise<string>;

export interface CachedModule {
  name: string;
  revision: string | undefined;
  text: string;
  /** Parsed once, reused by every schema built from the cache. */
  statement: YangStatement;
}

export interface ModuleCacheOptions {
  /** Directory for `name@revision.yang` files, read on misses and written on puts. */
  directory?: string;
}

function latestRevision(stmt: YangStatement): string | undefined {
  let latest: string | undefined;
  for (const r of children(stmt, 'revision'))
    if (r.arg !== undefined && (latest === undefined || r.arg > latest)) latest = r.arg;
  return latest;
}

function fileName(name: string, revision: string | undefined): string {
  return revision ? `${name}@${revision}.yang` : `${name}.yang`;
}

/** RFC 7950 6.2 identifiers and 7.1.9 revision dates: nothing else names a cache file. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const REVISION_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The file a module may be written to, or undefined. The name and revision come from the text a
 * device sent: "../../x" as a module name would otherwise write outside the cache directory.
 */
function safeFileName(name: string, revision: string | undefined): string | undefined {
  if (!IDENTIFIER.test(name) || (revision !== undefined && !REVISION_DATE.test(revision))) return undefined;
  return fileName(name, revision);
}

const MAX_SCHEMAS = 16;

function schemaKey(modules: readonly CachedModule[], features: FeatureSet): string {
  const names = modules.map((m) => `${m.name}@${m.revision ?? ''}`).sort();
  const enabled = [...features].map(([m, f]) => `${m}:${[...f].sort().join(',')}`).sort();
  return `${names.join(' ')}|${enabled.join(' ')}`;
}

export class YangModuleCache {
  private readonly byKey = new Map<string, CachedModule>();
  /** Name -> cached revisions, for lookups without a revision. */
  private readonly byName = new Map<string, CachedModule[]>();
  private directoryFiles: Promise<string[]> | undefined;
  /** Built schemas by module set and feature set (the same modules with other features differ). */
  private readonly schemas = new Map<string, YangSchemaSet>();

  constructor(private readonly options: ModuleCacheOptions = {}) {}

  get size(): number {
    return this.byKey.size;
  }

  /**
   * A cached module. Without a revision, the newest cached one (an import without
   * revision-date accepts any revision).
   */
  async get(name: string, revision?: string): Promise<CachedModule | undefined> {
    const hit = this.memory(name, revision);
    if (hit) return hit;
    return this.fromDirectory(name, revision);
  }

  /**
   * Adds a module text (parsed here; throws YangSyntaxError when broken). With a directory it is
   * also written there, unless its name or revision is not a YANG identifier or date (then it is
   * kept in memory only).
   */
  async put(text: string): Promise<CachedModule> {
    const module = this.remember(text);
    const dir = this.options.directory;
    const name = safeFileName(module.name, module.revision);
    if (dir && name) {
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      // Write then rename: a concurrent reader never sees half a module.
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, file);
      this.directoryFiles = undefined;
    }
    return module;
  }

  /**
   * The schema of these modules with these features, built once: devices of one model share it.
   * Keyed by every module's name and revision and by the enabled features of each module.
   */
  schemaFor(modules: readonly CachedModule[], features: FeatureSet): YangSchemaSet {
    const key = schemaKey(modules, features);
    let schema = this.schemas.get(key);
    if (!schema) {
      schema = YangSchemaSet.fromStatements(
        modules.map((m) => m.statement),
        { features },
      );
      // A handful of device models at a time is the norm; forget the oldest beyond that.
      if (this.schemas.size >= MAX_SCHEMAS) this.schemas.delete(this.schemas.keys().next().value as string);
      this.schemas.set(key, schema);
    }
    return schema;
  }

  private remember(text: string): CachedModule {
    const statement = parseYang(text);
    const name = statement.arg ?? '';
    const revision = latestRevision(statement);
    const module: CachedModule = { name, revision, text, statement };
    const key = `${name}@${revision ?? ''}`;
    if (!this.byKey.has(key)) {
      this.byKey.set(key, module);
      const revisions = this.byName.get(name) ?? [];
      revisions.push(module);
      this.byName.set(name, revisions);
    }
    return this.byKey.get(key) as CachedModule;
  }

  private memory(name: string, revision: string | undefined): CachedModule | undefined {
    if (revision !== undefined) return this.byKey.get(`${name}@${revision}`);
    let newest: CachedModule | undefined;
    for (const m of this.byName.get(name) ?? [])
      if (!newest || (m.revision ?? '') > (newest.revision ?? '')) newest = m;
    return newest;
  }

  private async fromDirectory(name: string, revision: string | undefined): Promise<CachedModule | undefined> {
    const dir = this.options.directory;
    if (!dir) return undefined;
    this.directoryFiles ??= readdir(dir).catch(() => []);
    const files = await this.directoryFiles;
    let file: string | undefined;
    if (revision !== undefined) file = files.find((f) => f === fileName(name, revision));
    else
      file = files
        .filter((f) => f === `${name}.yang` || (f.startsWith(`${name}@`) && f.endsWith('.yang')))
        .sort()
        .pop();
    if (!file) return undefined;
    try {
      const module = this.remember(await readFile(path.join(dir, file), 'utf8'));
      return module.name === name ? module : undefined;
    } catch {
      return undefined; // a broken cache file is a miss; the fetch will replace it
    }
  }
}

export interface FailedModule {
  name: string;
  revision: string | undefined;
  error: string;
}

export interface LoadResult {
  schema: YangSchemaSet;
  /** `name@revision` of the texts fetched from the device (the rest came from the cache). */
  fetched: string[];
  /** Modules the fetcher could not deliver; their data is converted without schema. */
  failed: FailedModule[];
  /** Namespace -> module name from the module list, for modules not in the schema. */
  moduleNames: Map<string, string>;
}

export interface LoadOptions {
  /** Fetches in flight at once (default 4). */
  concurrency?: number;
}

interface Wanted {
  name: string;
  revision: string | undefined;
}

/**
 * Loads the modules of a module list with everything they import and include, from the cache
 * or through `fetch`, and builds the schema. Modules that cannot be had are reported, not fatal.
 */
export async function loadSchema(
  modules: readonly ModuleRef[],
  fetch: SchemaFetcher,
  cache: YangModuleCache,
  options: LoadOptions = {},
): Promise<LoadResult> {
  // The device's own revision of a module wins for imports that do not pin one.
  const advertised = new Map<string, string | undefined>();
  const moduleNames = new Map<string, string>();
  // Only what the device announces is enabled (RFC 7950 5.6.2); other modules have no features.
  const features = new Map<string, string[]>();
  for (const m of modules) {
    if (!advertised.has(m.name) || m.conformance === 'implement') advertised.set(m.name, m.revision);
    if (m.namespace) moduleNames.set(m.namespace, m.name);
    features.set(m.name, [...(features.get(m.name) ?? []), ...m.features]);
  }
  const queue: Wanted[] = [];
  const queued = new Set<string>();
  const want = (name: string, revision: string | undefined): void => {
    if (queued.has(name)) return;
    queued.add(name);
    queue.push({ name, revision: revision ?? advertised.get(name) });
  };
  for (const m of modules) {
    want(m.name, m.revision);
    for (const s of m.submodules) want(s.name, s.revision);
  }

  const loaded: CachedModule[] = [];
  const fetched: string[] = [];
  const failed: FailedModule[] = [];
  const loadOne = async (w: Wanted): Promise<void> => {
    let module = await cache.get(w.name, w.revision);
    if (!module) {
      try {
        module = await cache.put(await fetch(w.name, w.revision));
        fetched.push(`${module.name}@${module.revision ?? ''}`);
      } catch (err) {
        failed.push({ name: w.name, revision: w.revision, error: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
    loaded.push(module);
    for (const dep of [...children(module.statement, 'import'), ...children(module.statement, 'include')]) {
      if (dep.arg !== undefined) want(dep.arg, childArg(dep, 'revision-date'));
    }
  };

  // A small worker pool over a growing queue: dependencies are discovered while loading.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) await loadOne(queue[next++]);
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  // Workers stop when the queue is drained; one still loading may append more, hence the loop.
  while (next < queue.length) await Promise.all(Array.from({ length: concurrency }, worker));

  const schema = cache.schemaFor(loaded, features);
  return { schema, fetched, failed, moduleNames };
}

/** Missing modules of a schema as `name@revision` strings, for messages. */
export function describeMissing(missing: readonly MissingModule[]): string[] {
  return missing.map((m) => `${m.kind} ${m.name}${m.revision ? `@${m.revision}` : ''} (needed by ${m.neededBy})`);
}
