/** What a netconf-callhome config node offers the devices that use it. */
import type { CallhomeDevice } from '../../src/index';

export interface CallhomeApi {
  /** Waits for calls from `identity`; returns the function that stops waiting. */
  attach(identity: string, registration: CallhomeDevice): () => void;
  readonly transport: 'ssh' | 'tls';
}

export function isCallhomeApi(value: unknown): value is CallhomeApi {
  return typeof value === 'object' && value !== null && typeof (value as CallhomeApi).attach === 'function';
}
