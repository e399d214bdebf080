/**
 * Debug logging. By default messages go to Node's util.debuglog, section "netconf"
 * (`NODE_DEBUG=netconf node app.js` shows them); pass any object with a `debug` method
 * (console, pino, a Node-RED node) to send them elsewhere.
 */
import { debuglog } from 'node:util';

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  /** false when debug output goes nowhere, so callers can skip building the message. */
  readonly enabled?: boolean;
}

const nodeDebug = debuglog('netconf');

export const defaultLogger: Logger = {
  debug: (message, meta) => (meta ? nodeDebug('%s %j', message, meta) : nodeDebug('%s', message)),
  get enabled() {
    return nodeDebug.enabled;
  },
};

export const noopLogger: Logger = { debug: () => undefined, enabled: false };
