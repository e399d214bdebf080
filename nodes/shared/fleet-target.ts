/**
 * The fleet message contract: a netconf-device whose Host is empty serves any device named by
 * `msg.device` = `{ host, port?, name?, hostFingerprint? }`. Only the target travels in the message:
 * credentials, transport, timeouts and keepalive stay in the config node, so a `msg.device`
 * carrying a secret or a user is refused (secrets never travel in messages).
 */
import { InvalidInputError, type PoolTarget } from '../../src/index';

/** A device of the fleet, as the nodes use it: `name` is always set (default `host:port`). */
export interface FleetTarget extends PoolTarget {
  port: number;
  name: string;
}

/** Fields that would carry credentials: refused wherever they appear in msg.device. */
const REFUSED = ['password', 'privateKey', 'passphrase', 'key', 'username', 'user'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fingerprintOf(value: unknown): string | string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v) => v.trim());
  throw new InvalidInputError('msg.device.hostFingerprint must be a string (SHA256:...) or a list of them');
}

function portOf(value: unknown, defaultPort: number): number {
  if (value === undefined || value === null || value === '') return defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidInputError(`msg.device.port must be a port number (1-65535), not ${JSON.stringify(value)}`);
  return port;
}

/**
 * Reads msg.device for a fleet device. Throws InvalidInputError saying what is missing or refused;
 * never echoes a refused field's value.
 */
export function fleetTarget(device: unknown, defaultPort: number): FleetTarget {
  if (device === undefined || device === null)
    throw new InvalidInputError(
      'this netconf-device is a fleet (its Host is empty): each message needs msg.device = { host, port?, name?, hostFingerprint? }',
    );
  if (!isRecord(device))
    throw new InvalidInputError('msg.device must be an object { host, port?, name?, hostFingerprint? }');
  const refused = REFUSED.filter((k) => device[k] !== undefined);
  if (refused.length > 0)
    throw new InvalidInputError(
      `msg.device must not carry ${refused.join(', ')}: credentials come from the netconf-device config node only`,
    );
  const host = typeof device.host === 'string' ? device.host.trim() : '';
  if (!host) throw new InvalidInputError('msg.device.host is missing: the fleet needs the host of each device');
  const port = portOf(device.port, defaultPort);
  const name = typeof device.name === 'string' && device.name.trim() ? device.name.trim() : `${host}:${port}`;
  return { host, port, name, hostFingerprint: fingerprintOf(device.hostFingerprint) };
}

/** For a device with Host set: the host msg.device asks for when it differs (to warn about), else undefined. */
export function ignoredHost(device: unknown, configured: string): string | undefined {
  if (!isRecord(device) || typeof device.host !== 'string') return undefined;
  const host = device.host.trim();
  return host && host !== configured ? host : undefined;
}
