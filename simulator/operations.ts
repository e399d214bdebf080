/** The operation table: (namespace, local name) -> handler. Anything else is operation-not-supported. */
import { NS_BASE, NS_NMDA } from '../src/namespaces';
import type { OpHandler } from './context';
import { DATASTORE_OPERATIONS } from './ops-datastore';
import { NMDA_OPERATIONS } from './ops-nmda';
import { SESSION_OPERATIONS } from './ops-session';

const TABLE = new Map<string, OpHandler>();
for (const [local, handler] of Object.entries(DATASTORE_OPERATIONS)) TABLE.set(`${NS_BASE} ${local}`, handler);
for (const [local, { ns, handler }] of Object.entries(SESSION_OPERATIONS)) TABLE.set(`${ns} ${local}`, handler);
for (const [local, handler] of Object.entries(NMDA_OPERATIONS)) TABLE.set(`${NS_NMDA} ${local}`, handler);

export function findOperation(ns: string, local: string): OpHandler | undefined {
  return TABLE.get(`${ns} ${local}`);
}
