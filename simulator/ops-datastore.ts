/**
 * Datastore operations of RFC 6241: get, get-config, edit-config, copy-config, delete-config,
 * lock, unlock, validate, commit, cancel-commit, discard-changes.
 */
import { NS_BASE } from '../src/namespaces';
import { childElement, childText, type XmlElement } from '../src/xml/element';
import { bigReplyBody } from './big-reply';
import type { OpCall, OpHandler, OpResult } from './context';
import { parseDatastore, type DatastoreName } from './datastore';
import { applyEdit, type DefaultOperation, type ErrorOption } from './edit-config';
import { readFilter } from './filter';
import { invalidValue, missingElement, operationNotSupported, SimRpcError } from './rpc-error';
import { applySubtreeFilter } from './subtree-filter';
import { cloneNode, fromElement, node, toXml, type DataNode } from './tree';
import { applyWithDefaults, readWithDefaults } from './with-defaults';

type Source = { kind: 'store'; name: DatastoreName } | { kind: 'config'; root: DataNode };

function child(op: XmlElement, local: string): XmlElement | undefined {
  return childElement(op, local, NS_BASE);
}

/** `<source>`/`<target>`: a datastore, or (where allowed) inline `<config>`; `<url>` is unsupported. */
function readSource(op: XmlElement, what: 'source' | 'target', allowConfig: boolean): Source {
  const el = child(op, what);
  if (!el) throw missingElement(what);
  const inner = el.children[0];
  if (!inner) throw missingElement(what, `<${what}> names no datastore`);
  if (inner.local === 'url') throw operationNotSupported('the :url capability');
  if (inner.local === 'config' && inner.ns === NS_BASE) {
    if (!allowConfig) throw invalidValue(`inline <config> cannot be a ${what}`, what);
    return { kind: 'config', root: node('', 'data', inner.children.map(fromElement)) };
  }
  return { kind: 'store', name: parseDatastore(inner.local, what) };
}

function readStore(op: XmlElement, what: 'source' | 'target'): DatastoreName {
  const s = readSource(op, what, false);
  if (s.kind !== 'store') throw invalidValue(`<${what}> must name a datastore`, what);
  return s.name;
}

function oneOf<T extends string>(op: XmlElement, local: string, allowed: readonly T[], fallback: T): T {
  const text = childText(op, local, NS_BASE);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) throw invalidValue(`"${text}" is not a valid ${local}`, local);
  return text as T;
}

/** Filters and renders `root` as <data>, honouring with-defaults and the big-reply trigger. */
function dataReply(call: OpCall, root: DataNode): OpResult {
  const filter = readFilter(child(call.op, 'filter'));
  const mode = readWithDefaults(call.op);
  if (filter.kind === 'big') {
    const bytes = filter.bytes;
    return { stream: (head, tail) => bigReplyBody(bytes, head, tail) };
  }
  let base = root;
  if (mode !== 'explicit') {
    base = cloneNode(root);
    applyWithDefaults(base.children, mode, call.core.hints);
  }
  const nodes = filter.kind === 'nodes' ? applySubtreeFilter(base, filter.nodes) : base.children;
  return {
    body:
      nodes.length === 0 ? `<data xmlns="${NS_BASE}"/>` : `<data xmlns="${NS_BASE}">${toXml(nodes, NS_BASE)}</data>`,
  };
}

const getConfig: OpHandler = (call) => dataReply(call, call.core.stores.get(readStore(call.op, 'source')));

const get: OpHandler = (call) => {
  const running = call.core.stores.get('running');
  return dataReply(call, node('', 'data', [...running.children, ...call.core.stateData()]));
};

const editConfig: OpHandler = ({ core, session, op }) => {
  const target = readStore(op, 'target');
  if (target === 'startup') throw operationNotSupported('edit-config on startup (use copy-config)');
  const defaultOperation = oneOf<DefaultOperation>(op, 'default-operation', ['merge', 'replace', 'none'], 'merge');
  const testOption = oneOf(op, 'test-option', ['test-then-set', 'set', 'test-only'], 'test-then-set');
  const errorOption = oneOf<ErrorOption>(
    op,
    'error-option',
    ['stop-on-error', 'continue-on-error', 'rollback-on-error'],
    'stop-on-error',
  );
  if (child(op, 'url')) throw operationNotSupported('the :url capability');
  const config = child(op, 'config');
  if (!config) throw missingElement('config');
  core.stores.checkWritable(target, session.id);

  const before = core.stores.get(target);
  const work = cloneNode(before);
  // default-operation replace: the config replaces the whole datastore content.
  if (defaultOperation === 'replace') work.children = [];
  const { errors, changes } = applyEdit(
    work,
    config,
    defaultOperation === 'replace' ? 'merge' : defaultOperation,
    errorOption,
    core.hints,
  );
  if (errors.length === 0 && testOption !== 'set') core.validate(work);
  const keep = errors.length === 0 || errorOption !== 'rollback-on-error';
  if (keep && testOption !== 'test-only' && (changes.length > 0 || defaultOperation === 'replace')) {
    core.stores.set(target, work);
    if (target === 'candidate') core.stores.candidateDirtyBy = session.id;
    else core.runningChanged(before, session.id, defaultOperation === 'replace' ? undefined : changes);
  }
  if (errors.length > 0) throw new SimRpcError(errors);
  return {};
};

const copyConfig: OpHandler = ({ core, session, op }) => {
  const source = readSource(op, 'source', true);
  const target = readStore(op, 'target');
  if (source.kind === 'store' && source.name === target)
    throw invalidValue('source and target are the same datastore', 'target');
  core.stores.checkWritable(target, session.id);
  const root = source.kind === 'store' ? cloneNode(core.stores.get(source.name)) : source.root;
  if (target !== 'startup') core.validate(root);
  const before = core.stores.get(target);
  core.stores.set(target, root);
  if (target === 'running') core.runningChanged(before, session.id);
  if (target === 'candidate') core.stores.candidateDirtyBy = session.id;
  return {};
};

const deleteConfig: OpHandler = ({ core, session, op }) => {
  const target = readStore(op, 'target');
  if (target === 'running') throw invalidValue('the running configuration cannot be deleted', 'target');
  core.stores.checkWritable(target, session.id);
  core.stores.set(target, node('', 'data'));
  if (target === 'candidate') core.stores.candidateDirtyBy = session.id;
  return {};
};

const lock: OpHandler = ({ core, session, op }) => {
  core.stores.lock(readStore(op, 'target'), session.id);
  return {};
};

const unlock: OpHandler = ({ core, session, op }) => {
  core.stores.unlock(readStore(op, 'target'), session.id);
  return {};
};

const validate: OpHandler = ({ core, op }) => {
  const source = readSource(op, 'source', true);
  core.validate(source.kind === 'store' ? core.stores.get(source.name) : source.root);
  return {};
};

function positiveInt(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(text) || Number(text) > 4294967295)
    throw invalidValue(`${what} must be a positive integer`, what);
  return Number(text);
}

const commit: OpHandler = ({ core, session, op }) => {
  core.commits.commit({
    sessionId: session.id,
    confirmed: child(op, 'confirmed') !== undefined,
    confirmTimeout: positiveInt(childText(op, 'confirm-timeout', NS_BASE), 'confirm-timeout'),
    persist: childText(op, 'persist', NS_BASE),
    persistId: childText(op, 'persist-id', NS_BASE),
  });
  return {};
};

const cancelCommit: OpHandler = ({ core, session, op }) => {
  core.commits.cancel(session.id, childText(op, 'persist-id', NS_BASE));
  return {};
};

const discardChanges: OpHandler = ({ core, session }) => {
  core.stores.checkWritable('candidate', session.id);
  core.stores.discardCandidate();
  return {};
};

export const DATASTORE_OPERATIONS: Record<string, OpHandler> = {
  get,
  'get-config': getConfig,
  'edit-config': editConfig,
  'copy-config': copyConfig,
  'delete-config': deleteConfig,
  lock,
  unlock,
  validate,
  commit,
  'cancel-commit': cancelCommit,
  'discard-changes': discardChanges,
};
