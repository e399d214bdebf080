/** The command line of `npm run bench` (see run.ts), parsed once for every suite. */
import { parseArgs } from './common';

export const args = parseArgs();
export const smoke = args.smoke === 'true';
export const only = new Set((args.only ?? 'large,small,sessions,nodered,json,diff').split(','));
