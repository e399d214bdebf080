/**
 * Fault knobs for tests, shared by all sessions of a simulator and changeable at any time:
 *
 * - `delayMs`: every reply waits this long before it is sent;
 * - `reorder`: replies are held until K have gathered, then released in reverse order;
 * - `hold`: replies are held (never answered) until `hold` is turned off, then released in order;
 * - `dropMidReply`: the next reply is cut after this many bytes (true = half of it, at least one
 *   byte) and the connection is dropped; one-shot;
 * - `malformedChunk`: the next reply gets an invalid chunk header; one-shot;
 * - `operations`: when set, the knobs only apply to replies to these operations (local names);
 * - `keepSshConnection`: when a netconf channel ends (close-session, kill-session, a drop), the
 *   SSH connection under it stays open, as some devices do; the client must end it itself.
 *
 * Notifications and the hello are never affected.
 */
import type { OutgoingMessage } from './output';

export interface FaultSettings {
  delayMs?: number;
  reorder?: number;
  hold?: boolean;
  dropMidReply?: boolean | number;
  malformedChunk?: boolean;
  operations?: string[];
  keepSshConnection?: boolean;
}

export class FaultController {
  private settings: FaultSettings = {};
  private readonly listeners = new Set<() => void>();

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** Merges `partial` into the settings; `undefined` values switch a knob off. */
  set(partial: FaultSettings): void {
    this.settings = { ...this.settings, ...partial };
    for (const k of Object.keys(this.settings) as (keyof FaultSettings)[]) {
      if (this.settings[k] === undefined) delete this.settings[k];
    }
    for (const fn of [...this.listeners]) fn();
  }

  clear(): void {
    this.settings = {};
    for (const fn of [...this.listeners]) fn();
  }

  appliesTo(operation: string): boolean {
    const ops = this.settings.operations;
    return !ops || ops.includes(operation);
  }

  /** Takes the one-shot knobs for a reply of `size` bytes (undefined size: body streamed). */
  takeOneShot(operation: string, size: number | undefined): Pick<OutgoingMessage, 'dropAfterBytes' | 'malformedChunk'> {
    if (!this.appliesTo(operation)) return {};
    const out: Pick<OutgoingMessage, 'dropAfterBytes' | 'malformedChunk'> = {};
    const drop = this.settings.dropMidReply;
    if (drop !== undefined && drop !== false) {
      out.dropAfterBytes = typeof drop === 'number' ? drop : Math.max(1, Math.floor((size ?? 2048) / 2));
      delete this.settings.dropMidReply;
    }
    if (this.settings.malformedChunk) {
      out.malformedChunk = true;
      delete this.settings.malformedChunk;
    }
    return out;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Per-session stage between "reply ready" and the output queue, applying the timing knobs. */
export class ReplyPipeline {
  private readonly held: OutgoingMessage[] = [];
  private readonly reordering: OutgoingMessage[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unlisten: () => void;

  constructor(
    private readonly faults: FaultController,
    private readonly out: (m: OutgoingMessage) => void,
  ) {
    this.unlisten = faults.onChange(() => this.settingsChanged());
  }

  submit(operation: string, message: OutgoingMessage): void {
    if (!this.faults.appliesTo(operation)) {
      this.out(message);
      return;
    }
    const f = this.faults.current;
    if (f.hold) {
      this.held.push(message);
      return;
    }
    const delay = f.delayMs ?? 0;
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.reorderStage(message);
      }, delay);
      this.timers.add(timer);
      return;
    }
    this.reorderStage(message);
  }

  close(): void {
    this.unlisten();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held.length = 0;
    this.reordering.length = 0;
  }

  private reorderStage(message: OutgoingMessage): void {
    const k = this.faults.current.reorder ?? 0;
    if (k <= 1) {
      this.out(message);
      return;
    }
    this.reordering.push(message);
    if (this.reordering.length >= k) this.flushReordered();
  }

  private flushReordered(): void {
    const batch = this.reordering.splice(0).reverse();
    for (const m of batch) this.out(m);
  }

  private settingsChanged(): void {
    const f = this.faults.current;
    if (!f.hold && this.held.length > 0) for (const m of this.held.splice(0)) this.reorderStage(m);
    // Turning reordering off (or lowering K below what is held) releases what it was holding.
    if (this.reordering.length > 0 && this.reordering.length >= (f.reorder ?? 0)) this.flushReordered();
  }
}
