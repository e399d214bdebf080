/**
 * A fleet of simulated devices in ANOTHER process (so the client's memory and event loop are
 * measured alone): `startFleet(n)` forks this file, which starts n simulators on 127.0.0.1 (one
 * port each, each with its own host key) and counts, on the server side, what a pool must
 * guarantee: sessions per device and in total at any moment, how sessions ended
 * (`<close-session>` or a dropped connection), and the RPCs each device answered.
 *
 * With `{ tls }` each device is a simulator behind a mutual-TLS listener (RFC 7589) with the given
 * server credentials instead of SSH (no host key: `hostFingerprint` is empty).
 *
 * The one import of the simulator for fleet tests and the fleet bench is here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { NetconfSimulator, startSimulator, type SessionEnd } from '../../simulator';
import { startSimTlsListener, type SimTlsCredentials, type SimTlsListener } from '../../simulator/tls';

export interface FleetDevice {
  host: string;
  port: number;
  hostFingerprint: string;
}

/** Server-side counts, over the whole fleet. */
export interface FleetStats {
  /** Sessions open now. */
  live: number;
  /** Most sessions open at once (since start or the last resetPeaks). */
  peakLive: number;
  /** Most sessions open at once on any one device. */
  peakPerDevice: number;
  started: number;
  /** Sessions ended by the client's `<close-session>`. */
  endedByCloseSession: number;
  /** Sessions ended any other way (dropped connection, killed). */
  endedOtherwise: number;
  /** get-config RPCs received, and devices that received at least one. */
  getConfigs: number;
  devicesWithGetConfig: number;
  /** CPU time the fleet process has used so far (user + system, microseconds), for the bench. */
  cpuMicros: number;
}

/** Server credentials (PEM text) for a TLS fleet. */
export type FleetTls = SimTlsCredentials & { key: string; cert: string; ca: string };

export interface FleetOptions {
  tls?: FleetTls;
}

type Request =
  | { id: number; op: 'start'; count: number; tls?: FleetTls }
  | { id: number; op: 'stats' }
  | { id: number; op: 'resetPeaks' }
  | { id: number; op: 'kill'; index: number }
  | { id: number; op: 'stop' };
type Response = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** The parent's handle on the fleet process. */
export class Fleet {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Response) => void>();
  devices: FleetDevice[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (r: Response) => {
      this.waiting.get(r.id)?.(r);
      this.waiting.delete(r.id);
    });
  }

  static async start(count: number, options: FleetOptions = {}): Promise<Fleet> {
    const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const fleet = new Fleet(child);
    fleet.devices = (await fleet.request({ op: 'start', count, tls: options.tls })) as FleetDevice[];
    return fleet;
  }

  stats(): Promise<FleetStats> {
    return this.request({ op: 'stats' }) as Promise<FleetStats>;
  }

  async resetPeaks(): Promise<void> {
    await this.request({ op: 'resetPeaks' });
  }

  /** Kills (server side, as kill-session would) the sessions of device `index`; resolves to how many. */
  kill(index: number): Promise<number> {
    return this.request({ op: 'kill', index }) as Promise<number>;
  }

  async stop(): Promise<void> {
    await this.request({ op: 'stop' }).catch(() => undefined);
    if (this.child.exitCode === null) this.child.kill();
  }

  private request(req: { op: Request['op']; count?: number; index?: number; tls?: FleetTls }): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`the fleet process exited before answering ${req.op}`));
      this.child.once('exit', onExit);
      this.waiting.set(id, (r) => {
        this.child.off('exit', onExit);
        if (r.ok) resolve(r.value);
        else reject(new Error(r.error));
      });
      this.child.send({ ...req, id });
    });
  }
}

export function startFleet(count: number, options: FleetOptions = {}): Promise<Fleet> {
  return Fleet.start(count, options);
}

// --- the child process ---------------------------------------------------------------------------

class FleetServer {
  readonly sims: NetconfSimulator[] = [];
  private readonly tlsListeners: SimTlsListener[] = [];
  private readonly livePerDevice: number[] = [];
  private readonly getConfigsPerDevice: number[] = [];
  private readonly sessionIds: Set<number>[] = [];
  private live = 0;
  private peakLive = 0;
  private peakPerDevice = 0;
  private started = 0;
  private byCloseSession = 0;
  private otherwise = 0;

  async start(count: number, tls?: FleetTls): Promise<FleetDevice[]> {
    if (tls) return this.startTls(count, tls);
    for (let i = 0; i < count; i++) {
      const sim = await startSimulator({ host: '127.0.0.1' });
      this.watch(sim, i);
      this.sims.push(sim);
    }
    return this.sims.map((s) => ({ host: s.host, port: s.port, hostFingerprint: s.hostFingerprint }));
  }

  /** Simulators without SSH, each behind a mutual-TLS listener of its own. */
  private async startTls(count: number, tls: FleetTls): Promise<FleetDevice[]> {
    for (let i = 0; i < count; i++) {
      const sim = new NetconfSimulator();
      const listener = await startSimTlsListener({
        ...tls,
        host: '127.0.0.1',
        port: 0,
        handler: (s, u, d) => sim.serveStream(s, u, d),
      });
      this.watch(sim, i);
      this.sims.push(sim);
      this.tlsListeners.push(listener);
    }
    return this.tlsListeners.map((l) => ({ host: '127.0.0.1', port: l.port, hostFingerprint: '' }));
  }

  private watch(sim: NetconfSimulator, i: number): void {
    this.livePerDevice[i] = 0;
    this.getConfigsPerDevice[i] = 0;
    this.sessionIds[i] = new Set();
    sim.on('session-start', (id: number) => {
      this.started++;
      this.sessionIds[i].add(id);
      this.live++;
      this.livePerDevice[i]++;
      this.peakLive = Math.max(this.peakLive, this.live);
      this.peakPerDevice = Math.max(this.peakPerDevice, this.livePerDevice[i]);
    });
    sim.on('session-end', (id: number, end: SessionEnd) => {
      this.sessionIds[i].delete(id);
      this.live--;
      this.livePerDevice[i]--;
      if (end.closeSession) this.byCloseSession++;
      else this.otherwise++;
    });
    sim.on('rpc', (_id: number, operation: string) => {
      if (operation === 'get-config') this.getConfigsPerDevice[i]++;
    });
  }

  stats(): FleetStats {
    return {
      live: this.live,
      peakLive: this.peakLive,
      peakPerDevice: this.peakPerDevice,
      started: this.started,
      endedByCloseSession: this.byCloseSession,
      endedOtherwise: this.otherwise,
      getConfigs: this.getConfigsPerDevice.reduce((a, b) => a + b, 0),
      devicesWithGetConfig: this.getConfigsPerDevice.filter((n) => n > 0).length,
      cpuMicros: ((u) => u.user + u.system)(process.cpuUsage()),
    };
  }

  resetPeaks(): void {
    this.peakLive = this.live;
    this.peakPerDevice = Math.max(0, ...this.livePerDevice);
  }

  kill(index: number): number {
    const ids = [...this.sessionIds[index]];
    for (const id of ids) this.sims[index].killSession(id, 0);
    return ids.length;
  }

  async handle(req: Request): Promise<unknown> {
    switch (req.op) {
      case 'start':
        return this.start(req.count, req.tls);
      case 'stats':
        return this.stats();
      case 'resetPeaks':
        return this.resetPeaks();
      case 'kill':
        return this.kill(req.index);
      case 'stop':
        await Promise.all(this.tlsListeners.map((l) => l.close()));
        await Promise.all(this.sims.map((s) => s.close()));
        setImmediate(() => process.exit(0));
        return undefined;
    }
  }
}

if (require.main === module) {
  const server = new FleetServer();
  process.on('message', (req: Request) => {
    server.handle(req).then(
      (value) => process.send?.({ id: req.id, ok: true, value } satisfies Response),
      (err: unknown) => process.send?.({ id: req.id, ok: false, error: String(err) } satisfies Response),
    );
  });
  process.on('disconnect', () => process.exit(0)); // the parent went away: never outlive it
}
