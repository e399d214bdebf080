/**
 * The fleet flow of example 06 as the e2e tests and the benches deploy it: inject an inventory ->
 * split (one message per device) -> change (msg.device = msg.payload) -> netconf-get (get-config
 * of running, XML) on a fleet netconf-device (Host empty), with a Catch node on the get node. The
 * device node itself is the caller's (its settings differ per test); pieces can be used alone: a
 * runtime that feeds the get node directly needs only fleetGetNodes.
 */
import type { Fleet } from './fleet-process';

export type FlowNode = Record<string, unknown> & { id: string; type: string };

/** One inventory entry: what a message carries in msg.device. */
export interface InventoryEntry {
  host: string;
  port: number;
  name: string;
  hostFingerprint?: string;
}

/**
 * The fleet's devices as an inventory: named dev<i>, each key pinned by hostFingerprint except the
 * device at index `unpinned` (a key pinned nowhere, which fleet mode must refuse).
 */
export function fleetInventory(fleet: Fleet, unpinned?: number): InventoryEntry[] {
  return fleet.devices.map((d, i) => ({
    host: d.host,
    port: d.port,
    name: `dev${i}`,
    ...(i === unpinned ? {} : { hostFingerprint: d.hostFingerprint }),
  }));
}

/** Where the nodes go (x and y make them flow nodes: without them the runtime takes a config node). */
function on(tab: string): { z: string; x: number; y: number } {
  return { z: tab, x: 100, y: 100 };
}

export interface FleetGetOptions {
  tab: string;
  /** The fleet netconf-device's id. */
  device: string;
  /** Where the get node's answers go, and where the Catch node sends its failures. */
  answers: string;
  caught: string;
}

/** netconf-get `get` (get-config, XML) on the fleet device, and Catch node `catch` scoped to it. */
export function fleetGetNodes(o: FleetGetOptions): FlowNode[] {
  return [
    {
      id: 'get',
      type: 'netconf-get',
      device: o.device,
      operation: 'get-config',
      output: 'xml',
      wires: [[o.answers]],
      ...on(o.tab),
    },
    { id: 'catch', type: 'catch', scope: ['get'], uncaught: false, wires: [[o.caught]], ...on(o.tab) },
  ];
}

export interface InventorySplitOptions {
  tab: string;
  inventory: readonly object[];
  /** One inject node each, all sending the inventory; with a topic, msg.topic is set too. */
  injects: readonly { id: string; topic?: string }[];
  /** The node that gets one message per device (msg.device set). */
  to: string;
}

/** Inject nodes -> split `split` -> change `set` (msg.device = msg.payload) -> `to`. */
export function inventorySplit(o: InventorySplitOptions): FlowNode[] {
  const injects = o.injects.map(({ id, topic }): FlowNode => ({
    id,
    type: 'inject',
    props: topic === undefined ? [{ p: 'payload' }] : [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
    ...(topic === undefined ? {} : { topic }),
    payload: JSON.stringify(o.inventory),
    payloadType: 'json',
    once: false,
    wires: [['split']],
    ...on(o.tab),
  }));
  return [
    ...injects,
    {
      id: 'split',
      type: 'split',
      splt: '\\n',
      spltType: 'str',
      arraySplt: 1,
      arraySpltType: 'len',
      stream: false,
      addname: '',
      wires: [['set']],
      ...on(o.tab),
    },
    {
      id: 'set',
      type: 'change',
      rules: [{ t: 'set', p: 'device', pt: 'msg', to: 'payload', tot: 'msg' }],
      wires: [[o.to]],
      ...on(o.tab),
    },
  ];
}

/** The whole path: inventorySplit into fleetGetNodes. */
export function fleetGetFlow(o: FleetGetOptions & Omit<InventorySplitOptions, 'to'>): FlowNode[] {
  return [...inventorySplit({ ...o, to: 'get' }), ...fleetGetNodes(o)];
}
