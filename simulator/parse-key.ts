import { utils, type ParsedKey } from 'ssh2';

/**
 * ssh2's utils.parseKey, typed as it behaves: a text holding several keys gives an array (its
 * types say one key or an Error), of which the simulator uses the first.
 */
export function parseFirstKey(text: string | Buffer): ParsedKey | Error {
  return firstOf(utils.parseKey(text));
}

function firstOf(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(parsed) ? parsed[0] : parsed;
}
