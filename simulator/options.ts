/** Options of the device simulator and the capabilities they produce. */
import { CAP_BASE_10, CAP_BASE_11 } from '../src/namespaces';
import { moduleCapabilities } from './demo-model';

export type BaseVersion = '1.0' | '1.1';

export interface SimulatorOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port; read the real one from `simulator.port`. */
  port?: number;
  /** username -> password. Default { admin: 'admin' } when no authorizedKeys are given either. */
  users?: Record<string, string>;
  /** Public keys in OpenSSH format (`ssh-ed25519 AAAA... comment`), accepted for any user. */
  authorizedKeys?: string[];
  /** Host private key (PEM or OpenSSH); an ed25519 key is generated when absent. */
  hostKey?: string | Buffer;
  /** Base versions offered; ['1.0'] forces end-of-message framing. Default ['1.0', '1.1']. */
  baseVersions?: BaseVersion[];
  /** Replaces the default non-base capabilities (the base ones still follow baseVersions). */
  capabilities?: string[];
  /** Added to the capabilities. */
  extraCapabilities?: string[];
  /** Initial running (and startup, candidate) configuration as XML; default: the demo config. */
  initialConfig?: string;
  /** Period of the demo heartbeat notification in ms; 0 (default) = off. */
  notificationIntervalMs?: number;
  /** Default confirm-timeout in seconds (RFC 6241: 600). */
  confirmTimeout?: number;
  /** Length of one confirm-timeout "second" in ms; tests shorten it. Default 1000. */
  confirmTimeoutUnitMs?: number;
  /** Events kept for replay. Default 1000. */
  replayBufferSize?: number;
}

export const NS_CAP = 'urn:ietf:params:netconf:capability:';

export function defaultCapabilities(): string[] {
  return [
    `${NS_CAP}writable-running:1.0`,
    `${NS_CAP}candidate:1.0`,
    `${NS_CAP}confirmed-commit:1.0`,
    `${NS_CAP}confirmed-commit:1.1`,
    `${NS_CAP}rollback-on-error:1.0`,
    `${NS_CAP}validate:1.0`,
    `${NS_CAP}validate:1.1`,
    `${NS_CAP}startup:1.0`,
    `${NS_CAP}xpath:1.0`,
    `${NS_CAP}notification:1.0`,
    `${NS_CAP}interleave:1.0`,
    `${NS_CAP}with-defaults:1.0?basic-mode=explicit&also-supported=report-all,trim,report-all-tagged`,
    ...moduleCapabilities(),
  ];
}

export function helloCapabilities(options: SimulatorOptions): string[] {
  const base = options.baseVersions ?? ['1.0', '1.1'];
  if (base.length === 0) throw new Error('baseVersions must offer 1.0 and/or 1.1');
  const caps: string[] = [];
  if (base.includes('1.0')) caps.push(CAP_BASE_10);
  if (base.includes('1.1')) caps.push(CAP_BASE_11);
  caps.push(...(options.capabilities ?? defaultCapabilities()), ...(options.extraCapabilities ?? []));
  return [...new Set(caps)];
}
