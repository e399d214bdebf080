/**
 * The three configuration datastores and their locks (RFC 6241 sections 5.1 and 7.5-7.6).
 * Roots are holder nodes whose children are the top-level data nodes.
 */
import { rpcError, invalidValue } from './rpc-error';
import { cloneNode, node, type DataNode } from './tree';

export type DatastoreName = 'running' | 'candidate' | 'startup';
export const DATASTORES: readonly DatastoreName[] = ['running', 'candidate', 'startup'];

export function emptyRoot(): DataNode {
  return node('', 'data');
}

export function isDatastoreName(name: string): name is DatastoreName {
  return (DATASTORES as readonly string[]).includes(name);
}

export class Datastores {
  private readonly roots: Record<DatastoreName, DataNode>;
  private readonly locks = new Map<DatastoreName, number>();
  /** Session that changed the candidate since the last commit or discard (0 = nobody). */
  candidateDirtyBy = 0;

  constructor(initial: DataNode) {
    this.roots = { running: initial, candidate: cloneNode(initial), startup: cloneNode(initial) };
  }

  get(name: DatastoreName): DataNode {
    return this.roots[name];
  }

  set(name: DatastoreName, root: DataNode): void {
    this.roots[name] = root;
  }

  lockHolder(name: DatastoreName): number | undefined {
    return this.locks.get(name);
  }

  lock(name: DatastoreName, sessionId: number): void {
    const holder = this.locks.get(name);
    if (holder !== undefined) {
      throw rpcError('lock-denied', `Lock failed, lock is already held by session ${holder}`, {
        info: { 'session-id': String(holder) },
      });
    }
    // RFC 6241 7.5: the candidate cannot be locked while it holds someone's uncommitted changes.
    if (name === 'candidate' && this.candidateDirtyBy !== 0 && this.candidateDirtyBy !== sessionId) {
      throw rpcError('lock-denied', 'the candidate has uncommitted changes; commit or discard-changes first', {
        info: { 'session-id': String(this.candidateDirtyBy) },
      });
    }
    this.locks.set(name, sessionId);
  }

  unlock(name: DatastoreName, sessionId: number): void {
    const holder = this.locks.get(name);
    if (holder === undefined) throw rpcError('operation-failed', `the ${name} datastore is not locked`);
    if (holder !== sessionId) {
      throw rpcError('operation-failed', `the ${name} lock is held by session ${holder}`, {
        info: { 'session-id': String(holder) },
      });
    }
    this.locks.delete(name);
  }

  /** Throws in-use when another session holds the lock on `name`. */
  checkWritable(name: DatastoreName, sessionId: number): void {
    const holder = this.locks.get(name);
    if (holder !== undefined && holder !== sessionId) {
      throw rpcError('in-use', `the ${name} datastore is locked by session ${holder}`, {
        info: { 'session-id': String(holder) },
      });
    }
  }

  /** Drops every lock of a session that ended; returns the datastores it had locked. */
  releaseAll(sessionId: number): DatastoreName[] {
    const released: DatastoreName[] = [];
    for (const [name, holder] of this.locks) {
      if (holder === sessionId) {
        this.locks.delete(name);
        released.push(name);
      }
    }
    return released;
  }

  /** Resets the candidate to the running configuration (discard-changes). */
  discardCandidate(): void {
    this.roots.candidate = cloneNode(this.roots.running);
    this.candidateDirtyBy = 0;
  }
}

export function parseDatastore(name: string | undefined, what: string): DatastoreName {
  if (name === undefined)
    throw rpcError('missing-element', `<${what}> needs a datastore`, { info: { 'bad-element': what } });
  if (!isDatastoreName(name)) throw invalidValue(`unknown datastore "${name}"`, what);
  return name;
}
