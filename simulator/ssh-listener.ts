/**
 * The simulator's SSH front end (ssh2 Server): password, keyboard-interactive and public key
 * authentication, and the "netconf" subsystem (RFC 6242), whose channel is handed to the
 * transport-independent session code. Only the listener lives here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server, utils, type AuthenticationType, type Connection, type ParsedKey } from 'ssh2';
import type { SimulatorOptions } from './options';
import { parseFirstKey } from './parse-key';
import type { SessionDetails } from './session';

export type StreamHandler = (stream: Duplex, username: string, details: SessionDetails) => void;

function parseOne(key: string | Buffer, what: string): ParsedKey {
  const parsed = parseFirstKey(key);
  if (parsed instanceof Error) throw new Error(`${what}: ${parsed.message}`);
  return parsed;
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SshListener {
  readonly fingerprint: string;
  readonly publicKey: string;
  private readonly server: Server;
  private readonly hostKey: string | Buffer;
  private readonly users: Record<string, string>;
  private readonly keys: ParsedKey[];
  private readonly clients = new Set<Connection>();

  constructor(
    private readonly options: SimulatorOptions,
    private readonly onStream: StreamHandler,
    /** The keepSshConnection fault knob, read when a channel ends. */
    private readonly keepConnection: () => boolean = () => false,
  ) {
    this.hostKey = options.hostKey ?? generateHostKey();
    const host = parseOne(this.hostKey, 'hostKey');
    const blob = host.getPublicSSH();
    this.fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
    this.publicKey = `${host.type} ${blob.toString('base64')}`;
    this.keys = (options.authorizedKeys ?? []).map((k, i) => parseOne(k, `authorizedKeys[${i}]`));
    this.users = options.users ?? (this.keys.length > 0 ? {} : { admin: 'admin' });
    this.server = new Server({ hostKeys: [this.hostKey], ident: 'netconf-simulator' }, (client, info) =>
      this.onConnection(client, info.ip),
    );
  }

  /** Open SSH connections (authenticated or not). */
  get connectionCount(): number {
    return this.clients.size;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const c of this.clients) c.end();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: Connection, ip: string): void {
    this.clients.add(client);
    let username = '';
    let openChannels = 0;
    client.on('close', () => this.clients.delete(client));
    // A client that vanishes mid-handshake must not crash the simulator.
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const allowed: AuthenticationType[] = ['password', 'keyboard-interactive', 'publickey'];
      if (ctx.method === 'password') {
        const expected = this.users[ctx.username];
        if (expected !== undefined && equalSecret(ctx.password, expected)) {
          username = ctx.username;
          return ctx.accept();
        }
        return ctx.reject(allowed);
      }
      if (ctx.method === 'keyboard-interactive') {
        const expected = this.users[ctx.username];
        if (expected === undefined) return ctx.reject(allowed);
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          if (answers.length === 1 && equalSecret(answers[0], expected)) {
            username = ctx.username;
            ctx.accept();
          } else ctx.reject(allowed);
        });
        return;
      }
      if (ctx.method === 'publickey') {
        const key = this.keys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (!key) return ctx.reject(allowed);
        // Without a signature the client only asks whether the key would do.
        if (ctx.signature && ctx.blob && !key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(allowed);
        username = ctx.username;
        return ctx.accept();
      }
      return ctx.reject(allowed);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (acceptSubsystem, rejectSubsystem, info) => {
          if (info.name !== 'netconf') {
            rejectSubsystem();
            return;
          }
          const channel = acceptSubsystem();
          openChannels++;
          channel.on('close', () => {
            // One NETCONF session per connection is the norm: when it ends, so does the SSH
            // connection, which is also how a "dropped" session looks to the client.
            if (--openChannels === 0 && !this.keepConnection()) client.end();
          });
          this.onStream(channel, username, { transport: 'ssh', sourceHost: ip });
        });
      });
    });
  }
}

/**
 * A fresh ed25519 host key. ssh2's generator emits a key its own parser rejects about once in a
 * hundred ("Malformed OpenSSH private key"), so a key is only taken once it parses.
 */
export function generateHostKey(): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
  throw new Error('could not generate a usable ed25519 host key');
}
