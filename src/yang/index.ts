/** YANG layer: schema from module texts, RFC 7951 JSON <-> XML, module lists and cache. */
export { parseYang, YangSyntaxError, type YangStatement } from './parser';
export type {
  BuiltinType,
  Identity,
  LeafrefInfo,
  MissingModule,
  ModuleImport,
  PatternRestriction,
  SchemaNode,
  SchemaNodeKind,
  YangModule,
  YangType,
} from './model';
export { YangSchemaSet, effectiveType } from './schema';
export { isJsonObject, YangJsonError, type ConversionResult, type JsonObject, type JsonValue } from './json';
export { xmlToJson, elementsToJson, notificationToJson, type XmlToJsonOptions } from './xml-to-json';
export { jsonToXml, type JsonToXmlOptions } from './json-to-xml';
export {
  modulesFromCapabilities,
  modulesFromYangLibrary,
  mergeModuleLists,
  schemasFromMonitoring,
  yangLibraryCapability,
  NS_YANG_LIBRARY,
  YANG_LIBRARY_FILTER,
  YANG_LIBRARY_11_FILTER,
  MONITORING_SCHEMAS_FILTER,
  type ModuleRef,
  type SchemaEntry,
  type YangLibraryCapability,
} from './module-list';
export {
  YangModuleCache,
  loadSchema,
  describeMissing,
  type CachedModule,
  type FailedModule,
  type LoadOptions,
  type LoadResult,
  type ModuleCacheOptions,
  type SchemaFetcher,
} from './cache';
