/**
 * The demo device: initial configuration, model hints (keys, defaults, prefixes, checks) and
 * operational state whose counters grow over time, so a dashboard chart of <get> results moves.
 */
import { NS_MONITORING } from '../src/namespaces';
import { DEMO_MODULES } from './demo-yang';
import type { ModelHints } from './model';
import { NS_NETMOD_NOTIFICATION, STREAM_NAME } from './notifications';
import type { RpcErrorSpec } from './rpc-error';
import { childNode, leaf, node, value, type DataNode } from './tree';

export const NS_IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
export const NS_IANAIFT = 'urn:ietf:params:xml:ns:yang:iana-if-type';
export const NS_SIM = 'urn:example:simulator';
export const NS_NETCONF_NOTIFICATIONS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';

export const DEMO_CONFIG = `<interfaces xmlns="${NS_IF}" xmlns:ianaift="${NS_IANAIFT}">
  <interface><name>eth0</name><description>uplink</description><type>ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>
  <interface><name>eth1</name><description>access port</description><type>ianaift:ethernetCsmacd</type><enabled>true</enabled></interface>
  <interface><name>eth2</name><description/><type>ianaift:ethernetCsmacd</type><enabled>false</enabled></interface>
  <interface><name>lo0</name><type>ianaift:softwareLoopback</type></interface>
</interfaces>
<system xmlns="${NS_SIM}"><hostname>sim-device</hostname><location>lab rack 1</location><ntp-server>192.0.2.1</ntp-server><ntp-server>192.0.2.2</ntp-server></system>`;

function checkDemo(root: DataNode): RpcErrorSpec[] {
  const errors: RpcErrorSpec[] = [];
  const interfaces = childNode(root, 'interfaces', NS_IF);
  for (const entry of interfaces?.children ?? []) {
    const name = childNode(entry, 'name', NS_IF);
    const label = name ? value(name) : '?';
    const enabled = childNode(entry, 'enabled', NS_IF);
    if (enabled && !['true', 'false'].includes(value(enabled))) {
      errors.push({
        type: 'application',
        tag: 'invalid-value',
        message: `"${value(enabled)}" is not a boolean`,
        path: `/if:interfaces/if:interface[if:name='${label}']/if:enabled`,
        pathNs: { if: NS_IF },
        info: { 'bad-element': 'enabled' },
      });
    }
    if (entry.local === 'interface' && !childNode(entry, 'type', NS_IF)) {
      errors.push({
        type: 'application',
        tag: 'data-missing',
        appTag: 'instance-required',
        message: `interface ${label} has no type (mandatory)`,
        path: `/if:interfaces/if:interface[if:name='${label}']`,
        pathNs: { if: NS_IF },
        info: { 'bad-element': 'type' },
      });
    }
  }
  const hostname = childNode(childNode(root, 'system', NS_SIM) ?? node('', ''), 'hostname', NS_SIM);
  if (hostname && (value(hostname).length < 1 || value(hostname).length > 63)) {
    errors.push({
      type: 'application',
      tag: 'invalid-value',
      message: 'hostname must be 1 to 63 characters long',
      path: '/sim:system/sim:hostname',
      pathNs: { sim: NS_SIM },
      info: { 'bad-element': 'hostname' },
    });
  }
  return errors;
}

export const DEMO_HINTS: ModelHints = {
  listKeys: {
    [`${NS_IF} interface`]: ['name'],
    [`${NS_SIM} entry`]: ['id'],
    [`${NS_MONITORING} schema`]: ['identifier', 'version', 'format'],
  },
  leafLists: [`${NS_SIM} ntp-server`],
  defaults: [{ parentNs: NS_IF, parent: 'interface', leaf: 'enabled', value: 'true' }],
  prefixes: {
    [NS_IF]: 'if',
    [NS_IANAIFT]: 'ianaift',
    [NS_SIM]: 'sim',
    [NS_MONITORING]: 'ncm',
  },
  validate: checkDemo,
};

/** Module capabilities for the hello (`&` is escaped by the hello builder). */
export function moduleCapabilities(): string[] {
  return DEMO_MODULES.map((m) => `${m.namespace}?module=${m.name}&revision=${m.revision}`);
}

/** A smooth, always positive rate, integrated: a counter that grows at a varying speed. */
function counter(seconds: number, rate: number, phase: number): number {
  const period = 30;
  const integral = rate * seconds - rate * 0.5 * period * (Math.cos(seconds / period + phase) - Math.cos(phase));
  return Math.floor(integral);
}

function seed(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 1000;
  return h / 100;
}

/** Operational state for <get>, computed from the running configuration and the clock. */
export function demoState(running: DataNode, bootTime: Date, now = new Date()): DataNode[] {
  const seconds = (now.getTime() - bootTime.getTime()) / 1000;
  const boot = bootTime.toISOString();
  const interfaces = childNode(running, 'interfaces', NS_IF)?.children ?? [];
  const stateEntries = interfaces
    .filter((e) => e.local === 'interface')
    .map((e) => {
      const name = value(childNode(e, 'name', NS_IF) ?? leaf(NS_IF, 'name', '?'));
      const type = childNode(e, 'type', NS_IF);
      const enabled = value(childNode(e, 'enabled', NS_IF) ?? leaf(NS_IF, 'enabled', 'true')) !== 'false';
      const loopback = type ? value(type).endsWith('softwareLoopback') : false;
      const rate = loopback ? 200 : 125000 * (1 + seed(name));
      const phase = seed(name);
      const octIn = counter(seconds, rate, phase);
      const octOut = counter(seconds, rate * 0.6, phase + 1);
      const stats = node(NS_IF, 'statistics', [
        leaf(NS_IF, 'discontinuity-time', boot),
        leaf(NS_IF, 'in-octets', String(octIn)),
        leaf(NS_IF, 'in-unicast-pkts', String(Math.floor(octIn / 700))),
        leaf(NS_IF, 'in-errors', String(Math.floor(seconds / 600))),
        leaf(NS_IF, 'out-octets', String(octOut)),
        leaf(NS_IF, 'out-unicast-pkts', String(Math.floor(octOut / 700))),
      ]);
      const children = [leaf(NS_IF, 'name', name)];
      if (type) children.push({ ...type, children: [] });
      children.push(
        leaf(NS_IF, 'admin-status', enabled ? 'up' : 'down'),
        leaf(NS_IF, 'oper-status', enabled ? 'up' : 'down'),
        leaf(NS_IF, 'speed', loopback ? '0' : '1000000000'),
        stats,
      );
      return node(NS_IF, 'interface', children);
    });
  return [
    node(NS_IF, 'interfaces-state', stateEntries),
    node(NS_SIM, 'system-state', [
      leaf(NS_SIM, 'boot-datetime', boot),
      leaf(NS_SIM, 'current-datetime', now.toISOString()),
      leaf(NS_SIM, 'uptime', String(Math.floor(seconds))),
    ]),
    node(NS_MONITORING, 'netconf-state', [
      node(
        NS_MONITORING,
        'schemas',
        DEMO_MODULES.map((m) =>
          node(NS_MONITORING, 'schema', [
            leaf(NS_MONITORING, 'identifier', m.name),
            leaf(NS_MONITORING, 'version', m.revision),
            leaf(NS_MONITORING, 'format', 'yang'),
            leaf(NS_MONITORING, 'namespace', m.namespace),
            leaf(NS_MONITORING, 'location', 'NETCONF'),
          ]),
        ),
      ),
    ]),
  ];
}

/** RFC 5277 section 3.4: the stream list, so clients can see replay is supported. */
export function streamsState(logCreated: Date): DataNode {
  return node(NS_NETMOD_NOTIFICATION, 'netconf', [
    node(NS_NETMOD_NOTIFICATION, 'streams', [
      node(NS_NETMOD_NOTIFICATION, 'stream', [
        leaf(NS_NETMOD_NOTIFICATION, 'name', STREAM_NAME),
        leaf(NS_NETMOD_NOTIFICATION, 'description', 'default NETCONF event stream'),
        leaf(NS_NETMOD_NOTIFICATION, 'replaySupport', 'true'),
        leaf(NS_NETMOD_NOTIFICATION, 'replayLogCreationTime', logCreated.toISOString()),
      ]),
    ]),
  ]);
}

/** The periodic demo event. */
export function heartbeat(sequence: number, uptimeSeconds: number): DataNode {
  return node(NS_SIM, 'heartbeat', [
    leaf(NS_SIM, 'sequence', String(sequence)),
    leaf(NS_SIM, 'uptime', String(uptimeSeconds)),
  ]);
}
