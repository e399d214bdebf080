/**
 * Whether Node-RED would report a node's debug line anywhere. Node-RED's `node.debug()` builds an
 * Error (for its stack) on every call before the log level filters it out; a fleet logs a few debug
 * lines per session, so with the usual `info` level those Errors were a measurable share of a fleet
 * backup's CPU. The nodes therefore skip debug lines when no log handler reports them.
 */
import type { NodeAPI } from './red-types';

// @node-red/util's log levels (lib/log.js).
const LEVELS: Record<string, number> = { off: 1, fatal: 10, error: 20, warn: 30, info: 40, debug: 50, trace: 60 };
const DEBUG = 50;

/** True when a `logging` handler in the settings reports debug (or trace); Node-RED's default (console, info) does not. */
export function debugLogged(RED: NodeAPI): boolean {
  let logging: unknown;
  try {
    logging = RED.settings.logging;
  } catch {
    return true; // settings unreadable: keep every line
  }
  if (typeof logging !== 'object' || logging === null) return false;
  return Object.values(logging).some((handler: unknown) => {
    if (typeof handler !== 'object' || handler === null) return false;
    const level = (handler as { level?: unknown }).level;
    // a level Node-RED does not know (audit, metric) means it logs everything at or below debug too
    return (LEVELS[typeof level === 'string' ? level : 'info'] ?? DEBUG) >= DEBUG;
  });
}
