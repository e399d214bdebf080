/** The device simulator: a NETCONF server for tests and the demo (`npm start`). */
export { NetconfSimulator, parseConfig, type SessionInfo } from './server';
export type { SimulatorOptions, BaseVersion } from './options';
export { defaultCapabilities } from './options';
export type { FaultSettings } from './faults';
export type { SessionEnd, SessionDetails } from './session';
export type { DatastoreName } from './datastore';
export { DEMO_CONFIG, NS_IF, NS_IANAIFT, NS_SIM, NS_NETCONF_NOTIFICATIONS } from './demo-model';
export { DEMO_MODULES, type YangModule } from './demo-yang';
export { NS_NETMOD_NOTIFICATION } from './notifications';

import { NetconfSimulator } from './server';
import type { SimulatorOptions } from './options';

/** Creates a simulator and starts its SSH listener. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<NetconfSimulator> {
  return new NetconfSimulator(options).listen();
}
