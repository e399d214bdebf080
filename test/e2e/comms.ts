/** The editor's comms websocket of a running Node-RED: debug messages and node status as they happen. */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { NODE_RED_DIR, ROOT } from './harness';

export interface DebugMessage {
  id: string;
  name?: string;
  topic?: string;
  property?: string;
  format?: string;
  msg: string;
}

export interface StatusUpdate {
  id: string;
  fill?: string;
  shape?: string;
  text?: string;
}

interface WsLike {
  on(ev: string, fn: (...a: unknown[]) => void): void;
  send(data: string): void;
  close(): void;
  terminate(): void;
  readyState: number;
}

/** The editor's comms websocket: debug messages and node status as they happen. */
export class Comms extends EventEmitter {
  readonly debug: DebugMessage[] = [];
  readonly status = new Map<string, StatusUpdate>();
  readonly statusHistory: StatusUpdate[] = [];
  private ws?: WsLike;

  async open(port: number): Promise<void> {
    // ws is Node-RED's dependency, not ours: loaded from Node-RED's tree, typed by what we use.
    const load = createRequire(__filename);
    const WebSocket = load(load.resolve('ws', { paths: [NODE_RED_DIR, ROOT] })) as new (url: string) => WsLike;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/comms`);
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
    });
    ws.on('message', (raw) => {
      let frames: { topic: string; data: unknown }[];
      try {
        const parsed = JSON.parse(String(raw)) as unknown;
        frames = (Array.isArray(parsed) ? parsed : [parsed]) as { topic: string; data: unknown }[];
      } catch {
        return;
      }
      for (const f of frames) {
        if (f.topic === 'debug') {
          const d = f.data as DebugMessage;
          this.debug.push(d);
          this.emit('debug', d);
        } else if (typeof f.topic === 'string' && f.topic.startsWith('status/')) {
          const s = { id: f.topic.slice('status/'.length), ...(f.data as object) } as StatusUpdate;
          this.status.set(s.id, s);
          this.statusHistory.push(s);
          this.emit('status', s);
        }
      }
    });
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
  }

  /** Debug messages from the debug node `id`, with msg parsed back from its JSON. */
  debugFrom(id: string): { raw: DebugMessage; value: unknown }[] {
    return this.debug.filter((d) => d.id === id).map((d) => ({ raw: d, value: parseDebug(d) }));
  }

  close(): void {
    if (this.ws) {
      this.ws.terminate();
      this.ws = undefined;
    }
  }
}

/** The value a debug node showed (its msg is JSON, with Node-RED's encodings for buffers etc.). */
export function parseDebug(d: DebugMessage): unknown {
  if (d.format && /^string/.test(d.format)) return d.msg;
  try {
    return JSON.parse(d.msg);
  } catch {
    return d.msg;
  }
}
