/** One device's place in the pool: its one session (once open), its users and its timers. */
import type { DeviceState } from './counts';
import { DeviceLock } from './device-lock';
import type { PoolTarget } from './target';

/**
 * What the pool needs of a session handle: a Manager fits; unit tests pass stand-ins. `close()`
 * sends `<close-session>` and ends the transport; the session's 'close' event reports its end
 * (undefined reason when we closed it).
 */
export interface PooledManager {
  close(): Promise<void>;
  readonly session: {
    readonly closed: boolean;
    once(event: 'close', listener: (reason: Error | undefined) => void): unknown;
  };
}

export class DeviceSlot<M extends PooledManager> {
  state: DeviceState = 'connecting';
  /** Whether the pool's per-state counts include this slot yet (set by its first state change). */
  counted = false;
  manager?: M;
  /** The open in progress (or done): every caller arriving meanwhile shares it. */
  ready!: Promise<M>;
  /** Callers that chose this slot and have not left yet (waiting for it to open, for a turn, or running). */
  refs = 0;
  readonly lock = new DeviceLock();
  idleSince = 0;
  idleTimer?: NodeJS.Timeout;
  /** Resolves when the session has ended (or the open failed): the device may then be reopened. */
  readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    readonly key: string,
    readonly target: PoolTarget,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  markEnded(): void {
    this.clearIdleTimer();
    this.resolveEnded();
  }

  clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
