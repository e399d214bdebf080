/**
 * netconf-ssh-jump: one SSH jump host (bastion) between Node-RED and NETCONF devices, with its
 * own credentials (in the credential store) and pinned host key, and optionally the next hop.
 * A netconf-device reaches its device through the chain (shared/jump-hosts.ts). The editor's
 * Fetch reads this hop's host key (dialled directly: a hop behind another one shows its key in the
 * device's Test connection instead).
 */
import { ConnectError, openSshStream } from '../src/index';
import { hopOf, type JumpCredentials, type JumpDef, type JumpNode } from './shared/jump-hosts';
import type { AdminRequest, Node, NodeAPI } from './shared/red-types';

type SshJumpNode = Node<JumpCredentials> & JumpNode;

/** Upper bound on the editor's Fetch (seconds). */
const FETCH_TIMEOUT = 15;

async function fetchFingerprint(req: AdminRequest): Promise<Record<string, unknown>> {
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as JumpDef;
  const hop = hopOf(body, {});
  if (!hop.host) return { ok: false, error: 'enter the host first' };
  try {
    // Verification on and nothing pinned: the handshake stops at the host key, before any
    // authentication, and the error carries the key's fingerprint.
    const transport = await openSshStream({ host: hop.host, port: hop.port, timeout: FETCH_TIMEOUT });
    transport.close();
    return { ok: false, error: 'the server did not present a host key to verify' };
  } catch (err) {
    if (err instanceof ConnectError && err.fingerprint)
      return { ok: true, fingerprint: err.fingerprint, message: err.message };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export = function register(RED: NodeAPI): void {
  function NetconfSshJumpNode(this: SshJumpNode, def: JumpDef): void {
    RED.nodes.createNode(this, def);
    const credentials = (): JumpCredentials => this.credentials ?? {};
    this.hop = () => hopOf(def, credentials());
    this.next = typeof def.next === 'string' && def.next !== '' ? def.next : undefined;
  }

  RED.nodes.registerType('netconf-ssh-jump', NetconfSshJumpNode, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      privateKey: { type: 'password' },
      passphrase: { type: 'password' },
    },
  });

  RED.httpAdmin.post(
    '/netconf-ssh-jump/:id/fingerprint',
    RED.auth.needsPermission('netconf-ssh-jump.write'),
    (req, res) => {
      fetchFingerprint(req).then(
        (result) => res.json(result),
        (err: unknown) => res.json({ ok: false, error: String(err) }),
      );
    },
  );
};
