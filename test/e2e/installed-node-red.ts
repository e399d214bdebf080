/**
 * The set-up of the e2e suites that drive one real Node-RED over its admin API and comms: the
 * packed package installed in a fresh user dir (createUserDir), Node-RED started on it, the comms
 * websocket open. stop() undoes it in reverse; the user dir stays when E2E_KEEP is set. A start
 * that fails stops what it started before it throws, so no Node-RED is left behind.
 */
import fs from 'node:fs';
import { Comms } from './comms';
import { createUserDir, NodeRed, type NodeRedOptions } from './harness';

export interface InstalledNodeRed {
  nr: NodeRed;
  comms: Comms;
  userDir: string;
  stop(): Promise<void>;
}

export async function startInstalledNodeRed(
  prefix: string,
  options: Omit<NodeRedOptions, 'userDir'> = {},
): Promise<InstalledNodeRed> {
  const { userDir } = createUserDir(prefix);
  const nr = new NodeRed({ userDir, ...options });
  const comms = new Comms();
  const stop = async (): Promise<void> => {
    comms.close();
    await nr.stop();
    if (!process.env.E2E_KEEP) fs.rmSync(userDir, { recursive: true, force: true });
  };
  try {
    await nr.start();
    await comms.open(nr.port);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nr, comms, userDir, stop };
}
