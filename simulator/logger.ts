/**
 * The simulator's default logger: silent. The simulator takes the library's public `Logger`
 * type (so a caller can pass the same logger to both sides) but not the library's logger module,
 * because it may import only the public entry and the wire-format modules (see README).
 */
import type { Logger } from '../src/index';

export const silentLogger: Logger = { debug: () => undefined, enabled: false };
