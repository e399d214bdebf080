/** YANG-aware configuration diff: semantic changes, unified text, edit-config. */
export {
  diffConfig,
  diffToEditConfig,
  canonicalConfig,
  ConfigDiff,
  NO_SCHEMA_WARNING,
  type DiffOptions,
  type CanonicalConfig,
} from './diff-config';
export type { DiffChange, ChangeOp } from './change';
export type { EditConfigOptions } from './edit-config';
export type { ConfigInput, DiffSchema } from './input';
export { DiffError } from './errors';
