/**
 * SSH jump hosts for the device node: a netconf-ssh-jump config node is one hop, its "next hop"
 * the hop reached through it, so a device's jump host field names the first hop of a chain that
 * is followed here into the library's `jumpHosts` list (dialled in that order, the device last).
 */
import { ConnectError, type SshJumpHost } from '../../src/index';
import type { NodeAPI, NodeDef } from './red-types';

export interface JumpDef extends NodeDef {
  host?: string;
  port?: string | number;
  hostFingerprint?: string;
  verifyHostKey?: boolean | string;
  next?: string;
}

export interface JumpCredentials {
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** What a deployed netconf-ssh-jump node offers the device node. */
export interface JumpNode {
  /** This hop as the library takes it (secrets included: they stay in the runtime). */
  hop(): SshJumpHost;
  /** The id of the next hop's node, if any. */
  next?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One hop from a node's properties and credentials (also used for the editor's unsaved form values). */
export function hopOf(def: JumpDef, c: JumpCredentials): SshJumpHost {
  const port = Number(def.port);
  return {
    host: def.host?.trim() ?? '',
    port: Number.isInteger(port) && port > 0 ? port : 22,
    username: text(c.username),
    password: c.password || undefined,
    privateKey: text(c.privateKey),
    passphrase: c.passphrase || undefined,
    hostFingerprint: text(def.hostFingerprint),
    // Verification is on unless explicitly turned off, as for the device.
    verifyHostKey: def.verifyHostKey !== false && def.verifyHostKey !== 'false',
  };
}

/** Bound on the chain's length: a loop of next hops must not hang the editor or the runtime. */
const MAX_HOPS = 8;

/** Follows the chain that starts at the jump node `firstId`; [] without one. */
export function jumpChain(RED: NodeAPI, firstId: string | undefined): SshJumpHost[] {
  const hops: SshJumpHost[] = [];
  const seen = new Set<string>();
  for (let id = firstId; id;) {
    if (seen.has(id) || hops.length >= MAX_HOPS)
      throw new ConnectError(`the jump host chain loops or is longer than ${MAX_HOPS} hops`);
    seen.add(id);
    const node = RED.nodes.getNode(id) as JumpNode | null;
    if (!node?.hop) throw new ConnectError(`jump host ${hops.length + 1} is not deployed (deploy it first)`);
    hops.push(node.hop());
    id = node.next;
  }
  return hops;
}
