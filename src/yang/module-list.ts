/**
 * Which YANG modules a device implements, from the two places it says so:
 *
 * - the <hello> capabilities (RFC 6020 5.6.4 / RFC 7950 5.6.4): one URI per YANG 1.0 module,
 *   `namespace?module=NAME&revision=DATE&features=a,b&deviations=m1,m2`;
 * - ietf-yang-library: `modules-state` (RFC 7895) or `yang-library` (RFC 8525). YANG 1.1
 *   modules are only listed there, announced by the yang-library capability.
 *
 * And which schemas <get-schema> can deliver: ietf-netconf-monitoring `netconf-state/schemas`.
 */
import { childElements, childText, type XmlElement } from '../xml/element';
import { NS_MONITORING } from '../namespaces';

export const NS_YANG_LIBRARY = 'urn:ietf:params:xml:ns:yang:ietf-yang-library';
const CAP_YANG_LIBRARY = 'urn:ietf:params:netconf:capability:yang-library:';

/** Subtree filters for <get> that fetch the module list. */
export const YANG_LIBRARY_FILTER = `<modules-state xmlns="${NS_YANG_LIBRARY}"/>`;
export const YANG_LIBRARY_11_FILTER = `<yang-library xmlns="${NS_YANG_LIBRARY}"/>`;
export const MONITORING_SCHEMAS_FILTER = `<netconf-state xmlns="${NS_MONITORING}"><schemas/></netconf-state>`;

export interface ModuleRef {
  name: string;
  revision: string | undefined;
  namespace: string | undefined;
  features: string[];
  /** Names of the modules that deviate this one. */
  deviations: string[];
  submodules: { name: string; revision: string | undefined }[];
  /** 'import': only its definitions are used (RFC 7895 conformance-type / RFC 8525 import-only). */
  conformance: 'implement' | 'import';
}

export interface YangLibraryCapability {
  /** '1.0' (RFC 7950 5.6.4, modules-state) or '1.1' (RFC 8526, yang-library). */
  version: string;
  revision: string | undefined;
  /** module-set-id (1.0) or content-id (1.1): unchanged id, unchanged module list. */
  id: string | undefined;
}

function parseQuery(uri: string): { base: string; params: Map<string, string> } {
  const q = uri.indexOf('?');
  const params = new Map<string, string>();
  if (q < 0) return { base: uri, params };
  // `&amp;` appears when a capability was copied out of XML source without unescaping.
  for (const pair of uri
    .slice(q + 1)
    .replace(/&amp;/g, '&')
    .split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep the raw value
    }
    params.set(key, value);
  }
  return { base: uri.slice(0, q).trim(), params };
}

function list(value: string | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
    : [];
}

/** Modules announced in hello capabilities (those with a `module=` parameter). */
export function modulesFromCapabilities(capabilities: readonly string[]): ModuleRef[] {
  const modules: ModuleRef[] = [];
  for (const uri of capabilities) {
    const { base, params } = parseQuery(uri);
    const name = params.get('module');
    if (!name) continue;
    modules.push({
      name,
      revision: params.get('revision') || undefined,
      namespace: base || undefined,
      features: list(params.get('features')),
      deviations: list(params.get('deviations')),
      submodules: [],
      conformance: 'implement',
    });
  }
  return modules;
}

/** The yang-library capability, when the device announces one. */
export function yangLibraryCapability(capabilities: readonly string[]): YangLibraryCapability | undefined {
  for (const uri of capabilities) {
    if (!uri.startsWith(CAP_YANG_LIBRARY)) continue;
    const { base, params } = parseQuery(uri);
    return {
      version: base.slice(CAP_YANG_LIBRARY.length),
      revision: params.get('revision'),
      id: params.get('module-set-id') ?? params.get('content-id'),
    };
  }
  return undefined;
}

/** All elements named `local` in the library namespace at or below `root` (the reply's <data>). */
function findAll(root: XmlElement, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.local === local && el.ns === NS_YANG_LIBRARY) found.push(el);
    else for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return found;
}

function moduleRef(el: XmlElement, conformance: ModuleRef['conformance']): ModuleRef {
  const ns = NS_YANG_LIBRARY;
  const deviations = childElements(el, 'deviation', ns).map((d) =>
    d.children.length > 0 ? (childText(d, 'name', ns) ?? '') : d.text.trim(),
  );
  return {
    name: childText(el, 'name', ns) ?? '',
    revision: childText(el, 'revision', ns) || undefined,
    namespace: childText(el, 'namespace', ns) || undefined,
    features: childElements(el, 'feature', ns).map((f) => f.text.trim()),
    deviations: deviations.filter((d) => d !== ''),
    submodules: childElements(el, 'submodule', ns).map((s) => ({
      name: childText(s, 'name', ns) ?? '',
      revision: childText(s, 'revision', ns) || undefined,
    })),
    conformance,
  };
}

/**
 * Modules listed by ietf-yang-library in a <get> reply: `modules-state/module` (RFC 7895) and
 * `yang-library/module-set/module` and `import-only-module` (RFC 8525).
 */
export function modulesFromYangLibrary(data: XmlElement): ModuleRef[] {
  const modules: ModuleRef[] = [];
  for (const state of findAll(data, 'modules-state')) {
    for (const m of childElements(state, 'module', NS_YANG_LIBRARY)) {
      const conformance = childText(m, 'conformance-type', NS_YANG_LIBRARY) === 'import' ? 'import' : 'implement';
      modules.push(moduleRef(m, conformance));
    }
  }
  for (const library of findAll(data, 'yang-library')) {
    for (const set of childElements(library, 'module-set', NS_YANG_LIBRARY)) {
      for (const m of childElements(set, 'module', NS_YANG_LIBRARY)) modules.push(moduleRef(m, 'implement'));
      for (const m of childElements(set, 'import-only-module', NS_YANG_LIBRARY)) modules.push(moduleRef(m, 'import'));
    }
  }
  return modules.filter((m) => m.name !== '');
}

/**
 * Merges module lists (hello first, then yang-library): one entry per module name and revision;
 * later lists fill in what earlier ones lacked (namespace, submodules).
 */
export function mergeModuleLists(...lists: ModuleRef[][]): ModuleRef[] {
  const merged = new Map<string, ModuleRef>();
  for (const refs of lists) {
    for (const ref of refs) {
      const key = `${ref.name}@${ref.revision ?? ''}`;
      const existing = merged.get(key);
      if (!existing) merged.set(key, { ...ref, submodules: [...ref.submodules] });
      else {
        existing.namespace ??= ref.namespace;
        if (existing.submodules.length === 0) existing.submodules = [...ref.submodules];
        if (existing.features.length === 0) existing.features = [...ref.features];
        if (ref.conformance === 'implement') existing.conformance = 'implement';
      }
    }
  }
  return [...merged.values()];
}

export interface SchemaEntry {
  identifier: string;
  version: string;
  format: string;
  namespace: string;
}

/** Schemas a device offers through <get-schema> (ietf-netconf-monitoring netconf-state/schemas). */
export function schemasFromMonitoring(data: XmlElement): SchemaEntry[] {
  const entries: SchemaEntry[] = [];
  const stack = [data];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.local === 'schemas' && el.ns === NS_MONITORING) {
      for (const s of childElements(el, 'schema', NS_MONITORING)) {
        const format = childText(s, 'format', NS_MONITORING) ?? '';
        entries.push({
          identifier: childText(s, 'identifier', NS_MONITORING) ?? '',
          version: childText(s, 'version', NS_MONITORING) ?? '',
          // The format is an identityref (`ncm:yang`); only its local name matters.
          format: format.slice(format.indexOf(':') + 1),
          namespace: childText(s, 'namespace', NS_MONITORING) ?? '',
        });
      }
    } else stack.push(...el.children);
  }
  return entries;
}
