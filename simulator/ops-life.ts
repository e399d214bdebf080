/**
 * What makes a simulated device look alive to an operations dashboard, beside the counters that
 * demo-model.ts already grows: links that go down and up (the oper-status in <get> follows, and
 * each change is a notification), and RFC 6022's /netconf-state/capabilities, which a NOC view
 * counts (real devices serve it from ietf-netconf-monitoring).
 */
import { NS_MONITORING } from '../src/namespaces';
import { NS_IF, NS_SIM } from './demo-model';
import { leaf, node, type DataNode } from './tree';

/** The event a link change publishes: `<link-state-change>` with the interface and its new oper-status. */
export function linkStateEvent(name: string, up: boolean): DataNode {
  return node(NS_SIM, 'link-state-change', [
    leaf(NS_SIM, 'interface', name),
    leaf(NS_SIM, 'oper-status', up ? 'up' : 'down'),
  ]);
}

export interface FlapOptions {
  /** The interface that flaps. */
  interface: string;
  /** Time between the start of two flaps (ms). */
  everyMs: number;
  /** How long the link stays down (ms). */
  downMs: number;
}

/**
 * Links the device reports down whatever their configuration says, and the flap timers.
 * `publish` sends the notification (the simulator's own event log).
 */
export class LinkState {
  private readonly down = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly publish: (content: DataNode) => void) {}

  /** Sets a link down or up; publishes the change (nothing when the state is unchanged). */
  set(name: string, up: boolean): void {
    if (up !== this.down.has(name)) return;
    if (up) this.down.delete(name);
    else this.down.add(name);
    this.publish(linkStateEvent(name, up));
  }

  isDown(name: string): boolean {
    return this.down.has(name);
  }

  /** Flaps one link for ever: down every `everyMs`, up again after `downMs`. Stopped by stop(). */
  flap(options: FlapOptions): void {
    const every = setInterval(() => {
      this.set(options.interface, false);
      const up = setTimeout(() => {
        this.timers.delete(up);
        this.set(options.interface, true);
      }, options.downMs);
      up.unref();
      this.timers.add(up);
    }, options.everyMs);
    every.unref();
    this.timers.add(every);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The state tree with the down links' oper-status set to down (in place). */
  apply(state: DataNode[]): DataNode[] {
    if (this.down.size === 0) return state;
    const interfaces = state.find((n) => n.ns === NS_IF && n.local === 'interfaces-state');
    for (const entry of interfaces?.children ?? []) {
      const name = entry.children.find((c) => c.local === 'name')?.text ?? '';
      if (!this.down.has(name)) continue;
      const oper = entry.children.find((c) => c.local === 'oper-status');
      if (oper) oper.text = 'down';
    }
    return state;
  }
}

/** Adds RFC 6022 /netconf-state/capabilities (the hello's list) to the state tree (in place). */
export function withCapabilities(state: DataNode[], capabilities: readonly string[]): DataNode[] {
  const monitoring = state.find((n) => n.ns === NS_MONITORING && n.local === 'netconf-state');
  const list = node(
    NS_MONITORING,
    'capabilities',
    capabilities.map((c) => leaf(NS_MONITORING, 'capability', c)),
  );
  if (monitoring) monitoring.children.unshift(list);
  else state.push(node(NS_MONITORING, 'netconf-state', [list]));
  return state;
}
