/**
 * netconf-diff: compares msg.payload (a configuration: XML, RFC 7951 JSON or the plain object
 * convention) with msg.previous, or else with the last configuration this node saw for the same
 * device, which it keeps in its node context (so a persistent context store keeps it across
 * restarts). Sets msg.changed and msg.diff; output 1 changed (or first seen), output 2 unchanged.
 *
 * The schema: a netconf node puts the id of its netconf-device config node in
 * msg.netconf.deviceId; this node asks that device's connection for its session's YANG (the
 * Manager owns the schema, loaded once per session). For a fleet device, the session is the
 * pool's session of the device msg.device names, and the last configurations are kept per
 * device of the fleet (msg.netconf.device is its name). The schema never travels in a message.
 */
import {
  InvalidInputError,
  isRfc7951,
  NetconfProtocolError,
  objectToXml,
  type ConfigInput,
  type DiffSchema,
  type XmlObject,
} from '../src/index';
import { ignoreList, messageDiff, type MessageDiff } from './shared/config-diff';
import type { YangState } from './shared/connection';
import { isDeviceApi } from './shared/device-api';
import { fleetTarget, type FleetTarget } from './shared/fleet-target';
import { failMessage, overrides } from './shared/message';
import type { PoolSource } from './shared/pool-source';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './shared/red-types';

interface DiffDef extends NodeDef {
  ignore?: string;
  /** Context store for the last configurations ('' = the default store). */
  store?: string;
}

interface NodeContext {
  get(key: string, store: string | undefined, callback: (err: Error | null, value: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err: Error | null) => void): void;
}
type ContextNode = Node & { context(): NodeContext };

/** Context keys may not contain '.' or '[' (Node-RED reads them as property paths). */
function contextKey(device: string): string {
  return `config:${encodeURIComponent(device).replace(/\./g, '%2E')}`;
}

/** A configuration as diffConfig takes it; the plain object convention becomes XML. */
function configOf(value: unknown, what: string): ConfigInput {
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidInputError(`${what} is empty`);
    return value;
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (isRfc7951(value)) return value;
    return objectToXml(value as XmlObject);
  }
  throw new InvalidInputError(
    `${what} must be a configuration: XML, RFC 7951 JSON or an object (got ${value === undefined ? 'nothing' : typeof value})`,
  );
}

/** What is kept in the context: a copy, so later nodes changing msg.payload do not change it. */
function stored(config: ConfigInput): ConfigInput {
  return typeof config === 'string' ? config : (JSON.parse(JSON.stringify(config)) as ConfigInput);
}

/** The device's schema when the message came from a netconf node, else why there is none. */
async function schemaOf(RED: NodeAPI, msg: NodeMessage): Promise<{ schema?: DiffSchema; why?: string }> {
  const id = overrides(msg).deviceId;
  if (typeof id !== 'string' || id === '')
    return { why: 'no msg.netconf.deviceId (the configuration did not come from a netconf node)' };
  const device = RED.nodes.getNode(id);
  if (!isDeviceApi(device)) return { why: `msg.netconf.deviceId ${id} is not a netconf-device` };
  if (device.fleet) return fleetSchemaOf(device.fleet, msg);
  // Only a live session has a schema; the diff node never opens one itself.
  if (device.connection.state.state !== 'connected') return { why: `${device.label} is not connected` };
  return schemaResult(await device.connection.yang(await device.connection.acquire()));
}

/**
 * A fleet device: the schema of the session of the target msg.device names (each device of a
 * fleet has its own modules), as long as the pool still has that session open; never opens one.
 */
async function fleetSchemaOf(fleet: PoolSource, msg: NodeMessage): Promise<{ schema?: DiffSchema; why?: string }> {
  let target: FleetTarget;
  try {
    target = fleetTarget(msg.device, fleet.settings.port);
  } catch (err) {
    return { why: `the fleet's device is not known (${err instanceof Error ? err.message : String(err)})` };
  }
  // useIfOpen, not a state check then use(): a session ending in between would make use() open one.
  const yang = await fleet.useIfOpen(target, (manager) => fleet.yang(manager));
  return yang ? schemaResult(yang) : { why: `${target.name} has no open session` };
}

function schemaResult(yang: YangState): { schema?: DiffSchema; why?: string } {
  return yang.schema ? { schema: yang.schema } : { why: `the device's YANG could not be loaded (${yang.error})` };
}

function showStatus(RED: NodeAPI, node: Node, changed: boolean | undefined, count: number): void {
  if (changed === undefined) node.status({ fill: 'blue', shape: 'dot', text: RED._('netconf-diff.status.first') });
  else if (changed) node.status({ fill: 'green', shape: 'dot', text: RED._('netconf-diff.status.changed', { count }) });
  else node.status({ fill: 'grey', shape: 'dot', text: RED._('netconf-diff.status.unchanged') });
}

export = function register(RED: NodeAPI): void {
  function NetconfDiffNode(this: ContextNode, def: DiffDef): void {
    RED.nodes.createNode(this, def);
    const ignore = ignoreList(def.ignore);
    const store = def.store || undefined;
    const context = this.context();
    const get = (key: string): Promise<unknown> =>
      new Promise((resolve, reject) => context.get(key, store, (err, value) => (err ? reject(err) : resolve(value))));
    const set = (key: string, value: unknown): Promise<void> =>
      new Promise((resolve, reject) => context.set(key, value, store, (err) => (err ? reject(err) : resolve())));
    // One message at a time, so two configurations of one device are compared in arrival order.
    let queue: Promise<void> = Promise.resolve();

    const handle = async (msg: NodeMessage): Promise<boolean | undefined> => {
      const after = configOf(msg.payload, 'msg.payload');
      const meta = overrides(msg);
      const device = typeof meta.device === 'string' && meta.device !== '' ? meta.device : (msg.topic ?? '');
      const key = contextKey(device);
      const given = msg.previous !== undefined && msg.previous !== null;
      const previous = given ? msg.previous : await get(key);
      let result: { changed: boolean; diff: MessageDiff };
      if (previous === undefined || previous === null) {
        result = { changed: true, diff: { changes: [], text: '', warnings: [], first: true } };
      } else {
        const { schema, why } = await schemaOf(RED, msg);
        result = await messageDiff(configOf(previous, 'msg.previous'), after, schema, ignore).catch((err: unknown) => {
          // Malformed XML on either side is bad input, not a protocol error of some device.
          if (err instanceof NetconfProtocolError)
            throw new InvalidInputError(`msg.payload or the previous configuration is not well-formed: ${err.message}`);
          throw err;
        });
        if (why) result.diff.warnings.push(`plain diff: ${why}`);
      }
      await set(key, stored(after));
      msg.changed = result.changed;
      msg.diff = result.diff;
      return result.diff.first ? undefined : result.changed;
    };

    this.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      queue = queue
        .then(() => handle(msg))
        .then(
          (changed) => {
            showStatus(RED, this, changed, (msg.diff as MessageDiff).changes.length);
            send(changed === false ? [null, msg] : [msg, null]);
            done();
          },
          (err: unknown) => {
            this.status({ fill: 'red', shape: 'ring', text: RED._('netconf-diff.status.error') });
            const device = overrides(msg).device;
            done(failMessage(msg, err, typeof device === 'string' ? device : '', 'diff'));
          },
        );
    });
  }
  RED.nodes.registerType('netconf-diff', NetconfDiffNode);
};
