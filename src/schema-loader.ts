/**
 * Loading a device's YANG schema (RFC 6022 get-schema, RFC 7895/8525 yang-library) for
 * `Manager.loadYang()`. Modules are cached by name and revision across sessions and devices, so
 * a reconnect, or a second device with the same modules, fetches nothing.
 */
import { loadSchema, describeMissing, YangModuleCache } from './yang/cache';
import type { DeviceSchema } from './yang/device-schema';
import {
  mergeModuleLists,
  modulesFromCapabilities,
  modulesFromYangLibrary,
  yangLibraryCapability,
  YANG_LIBRARY_11_FILTER,
  YANG_LIBRARY_FILTER,
  type ModuleRef,
} from './yang/module-list';
import type { XmlElement } from './xml/element';

/** What the loader needs of a Manager (kept narrow so the loader can be tested alone). */
export interface SchemaSource {
  readonly serverCapabilities: string[];
  getYangLibrary(filter: string): Promise<XmlElement | undefined>;
  getSchema(identifier: string, options: { version?: string }): Promise<string>;
}

export interface LoadYangOptions {
  /** A cache to use instead of the process-wide one (e.g. with a `directory`). */
  cache?: YangModuleCache;
  /** Load only these modules (and what they import) instead of all the device announces. */
  modules?: string[];
}

/** The process-wide module cache shared by every Manager. */
export const sharedYangCache = new YangModuleCache();

export async function loadDeviceSchema(source: SchemaSource, options: LoadYangOptions = {}): Promise<DeviceSchema> {
  const warnings: string[] = [];
  let modules: ModuleRef[] = modulesFromCapabilities(source.serverCapabilities);
  const library = yangLibraryCapability(source.serverCapabilities);
  if (library) {
    const filter = library.version.startsWith('1.1') ? YANG_LIBRARY_11_FILTER : YANG_LIBRARY_FILTER;
    try {
      const data = await source.getYangLibrary(filter);
      if (data) modules = mergeModuleLists(modules, modulesFromYangLibrary(data));
    } catch (err) {
      warnings.push(`could not read ietf-yang-library: ${(err as Error).message}`);
    }
  }
  if (options.modules) {
    const wanted = new Set(options.modules);
    modules = modules.filter((m) => wanted.has(m.name));
  }
  const result = await loadSchema(
    modules,
    (name, revision) => source.getSchema(name, { version: revision }),
    options.cache ?? sharedYangCache,
  );
  for (const f of result.failed)
    warnings.push(`module ${f.name}${f.revision ? `@${f.revision}` : ''} not available: ${f.error}`);
  for (const m of describeMissing(result.schema.missingModules)) warnings.push(`missing ${m}`);
  const moduleNamespaces = new Map<string, string>();
  for (const [ns, name] of result.moduleNames) moduleNamespaces.set(name, ns);
  for (const m of result.schema.modules.values()) {
    result.moduleNames.set(m.namespace, m.name);
    moduleNamespaces.set(m.name, m.namespace);
  }
  return {
    schema: result.schema,
    moduleNames: result.moduleNames,
    moduleNamespaces,
    fetched: result.fetched,
    failed: result.failed,
    warnings,
  };
}
