/**
 * RFC 8526 `<get-data>` (NMDA): the datastores running, candidate, startup and operational
 * (config and state) by identity, with a subtree or XPath filter. Enough for clients to test
 * their get-data against; edit-data and origin filtering are not simulated, but the request's
 * elements are checked by their RFC 8526 names (an unknown one is refused, as a device would),
 * and origin-filter values must be ietf-origin identities with their prefix declared.
 */
import { NS_DATASTORES, NS_NMDA, NS_ORIGIN, NS_WITH_DEFAULTS } from '../src/namespaces';
import { childElement, type XmlElement } from '../src/xml/element';
import type { OpHandler } from './context';
import type { DatastoreName } from './datastore';
import { compileXpath } from './xpath-filter';
import { invalidValue, missingElement, rpcError } from './rpc-error';
import { applySubtreeFilter } from './subtree-filter';
import { node, toXml, type DataNode } from './tree';

/** `ds:running` -> running, resolving the prefix in the element's own namespace scope. */
function readDatastore(el: XmlElement): DatastoreName | 'operational' {
  const text = el.text.trim();
  const colon = text.indexOf(':');
  const uri = el.scope[colon < 0 ? '' : text.slice(0, colon)];
  const name = colon < 0 ? text : text.slice(colon + 1);
  if (uri !== NS_DATASTORES || !['running', 'candidate', 'startup', 'operational'].includes(name)) {
    throw invalidValue(`unknown datastore "${text}"`, 'datastore');
  }
  return name as DatastoreName | 'operational';
}

function filterNodes(op: XmlElement): XmlElement[] | ReturnType<typeof compileXpath> | undefined {
  const subtree = childElement(op, 'subtree-filter', NS_NMDA);
  if (subtree) return subtree.children;
  const xpath = childElement(op, 'xpath-filter', NS_NMDA);
  if (xpath) return compileXpath(xpath.text.trim(), xpath.scope);
  return undefined;
}

/** The input parameters of RFC 8526 get-data (ietf-netconf-nmda), by local name. */
const GET_DATA_INPUT = [
  'datastore',
  'subtree-filter',
  'xpath-filter',
  'config-filter',
  'max-depth',
  'origin-filter',
  'negated-origin-filter',
  'with-origin',
];

/** Refuses what RFC 8526 does not define (e.g. `<origin>` for `<origin-filter>`) and undeclared origin prefixes. */
function checkInput(op: XmlElement): void {
  for (const child of op.children) {
    const known =
      (child.ns === NS_NMDA && GET_DATA_INPUT.includes(child.local)) ||
      (child.ns === NS_WITH_DEFAULTS && child.local === 'with-defaults');
    if (!known) {
      throw rpcError('unknown-element', `get-data has no parameter <${child.name}>`, {
        info: { 'bad-element': child.local },
      });
    }
    if (child.local === 'origin-filter' || child.local === 'negated-origin-filter') {
      const text = child.text.trim();
      const colon = text.indexOf(':');
      if (colon < 0 || child.scope[text.slice(0, colon)] !== NS_ORIGIN) {
        throw invalidValue(`${child.local} "${text}" is not an ietf-origin identity`, child.local);
      }
    }
  }
}

const getData: OpHandler = ({ core, op }) => {
  checkInput(op);
  const dsElement = childElement(op, 'datastore', NS_NMDA);
  if (!dsElement) throw missingElement('datastore');
  const ds = readDatastore(dsElement);
  const root: DataNode =
    ds === 'operational'
      ? node('', 'data', [...core.stores.get('running').children, ...core.stateData()])
      : core.stores.get(ds);
  const filter = filterNodes(op);
  const nodes = filter ? applySubtreeFilter(root, filter) : root.children;
  return {
    body:
      nodes.length === 0 ? `<data xmlns="${NS_NMDA}"/>` : `<data xmlns="${NS_NMDA}">${toXml(nodes, NS_NMDA)}</data>`,
  };
};

export const NMDA_OPERATIONS: Record<string, OpHandler> = { 'get-data': getData };
