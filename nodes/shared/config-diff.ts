/**
 * msg.diff as the diff and edit-config nodes put it: `{ changes, text, warnings }` from the
 * library's diffConfig, without the canonical copies of both configurations (msg.payload or the
 * device already has them) and without the schema (which never goes into a message).
 */
import { diffConfig, type ConfigInput, type DiffChange, type DiffSchema } from '../../src/index';

export interface MessageDiff {
  changes: DiffChange[];
  text: string;
  warnings: string[];
  /** netconf-diff: true when there was no previous configuration to compare with. */
  first?: boolean;
  /** netconf-edit-config check mode: how the check was made. */
  mode?: 'candidate' | 'test-only';
}

export async function messageDiff(
  before: ConfigInput,
  after: ConfigInput,
  schema: DiffSchema | undefined,
  ignore: readonly string[] = [],
): Promise<{ changed: boolean; diff: MessageDiff }> {
  const result = await diffConfig(before, after, { schema, ignore });
  return { changed: result.changed, diff: { changes: result.changes, text: result.text, warnings: result.warnings } };
}

/** Ignore paths from a node setting: one per line, blanks dropped. */
export function ignoreList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (typeof value !== 'string') return [];
  return value
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
