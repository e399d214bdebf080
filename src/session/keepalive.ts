/**
 * The NETCONF-level liveness probe. An SSH keepalive only shows that the SSH server answers; a
 * NETCONF server can hang (or a device's NETCONF process die behind a live sshd) and every RPC
 * then waits forever. Every `netconfKeepalive` seconds this sends a `<get>` whose subtree filter
 * selects nothing (an element in a namespace no device has: the reply is an empty `<data/>`, or an
 * rpc-error, both of which prove the server answers). An interval in which a probe is outstanding
 * and not one byte arrived from the server is a missed probe; after two in a row the session is
 * declared dead: `kill` tears the transport down, so pending calls reject with SessionClosedError.
 *
 * It only needs what a Session offers (a raw RPC string, its close event), so it sits beside it
 * and is started by src/connect.ts, which also gives it the stream's activity.
 */
import { SessionClosedError } from '../errors';
import type { Logger } from '../logger';

export interface KeepaliveOptions {
  /** Seconds between NETCONF liveness probes; 0 or undefined = none (the default). */
  netconfKeepalive?: number;
}

/** What the probe needs of a session. */
export interface ProbedSession {
  readonly closed: boolean;
  sendRpc(operation: string): Promise<unknown>;
  once(event: 'close', listener: () => void): unknown;
}

/** Namespace of the probe's filter: matches nothing on any device. */
const PROBE_NS = 'urn:x-node-red-contrib-netconf:liveness-probe';
export const PROBE_RPC = `<get><filter type="subtree"><probe xmlns="${PROBE_NS}"/></filter></get>`;
/** Missed probes in a row after which the session is dead. */
export const MISSED_PROBES_LIMIT = 2;

export interface KeepaliveHooks {
  /** Registers a listener for every chunk received from the server. */
  onActivity(listener: () => void): void;
  /** Ends the session with `reason` (pending RPCs reject with SessionClosedError). */
  kill(reason: SessionClosedError): void;
  peer: string;
  logger?: Logger;
}

/** Starts probing `session` every `seconds`; stops by itself when the session closes. */
export function startKeepalive(session: ProbedSession, seconds: number, hooks: KeepaliveHooks): void {
  if (!(seconds > 0)) return;
  let outstanding = 0;
  let heard = false;
  let missed = 0;
  hooks.onActivity(() => {
    heard = true;
  });
  const tick = (): void => {
    if (session.closed) return clearInterval(timer);
    if (heard || outstanding === 0) missed = 0;
    else missed += 1;
    heard = false;
    if (missed >= MISSED_PROBES_LIMIT) {
      clearInterval(timer);
      const reason = `${hooks.peer} did not answer ${missed} NETCONF keepalive probes (${seconds} s apart)`;
      hooks.logger?.debug(`${reason}: closing the session`);
      return hooks.kill(new SessionClosedError(reason));
    }
    outstanding += 1;
    session.sendRpc(PROBE_RPC).then(
      () => (outstanding -= 1),
      // An rpc-error is an answer too; a closed session stops the timer on the next tick.
      () => (outstanding -= 1),
    );
  };
  const timer = setInterval(tick, seconds * 1000);
  // The probe must not keep a process alive that has nothing else to do.
  timer.unref();
  session.once('close', () => clearInterval(timer));
}
