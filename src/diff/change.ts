/** One difference between two configurations, as the diff reports it. */
import type { JsonValue } from '../yang/json';

export type ChangeOp = 'create' | 'delete' | 'replace';

export interface DiffChange {
  /** create: only in `after`; delete: only in `before`; replace: in both, with another value. */
  op: ChangeOp;
  /**
   * RFC 7951 path with list keys: `/ietf-interfaces:interfaces/interface[name='eth0']/enabled`;
   * leaf-list values as `[.='v']`, keyless list entries by position (`[2]`).
   */
  path: string;
  /** The node's value in `before` (canonical RFC 7951 JSON); absent for create. */
  before?: JsonValue;
  /** The node's value in `after`; absent for delete. */
  after?: JsonValue;
}
