import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetconfProtocolError } from '../../src/errors';
import { parseTree, parseTreeAsync } from '../../src/xml/element';
import { xmlChildrenToObject, xmlChildrenToObjectAsync, xmlToObject } from '../../src/xml/object';
import { checkFragment, DEFAULT_MAX_DEPTH, parseSync } from '../../src/xml/sax';
import { readMessage } from '../../src/session/message';

const NOTIF = 'urn:ietf:params:xml:ns:netconf:notification:1.0';

function nested(depth: number, inner = 'x'): string {
  return '<a>'.repeat(depth) + inner + '</a>'.repeat(depth);
}

function notification(depth: number): string {
  return `<notification xmlns="${NOTIF}"><eventTime>2026-01-01T00:00:00Z</eventTime>${nested(depth)}</notification>`;
}

const tooDeep = /deeper than maxDepth/;

test('an element tree of exactly maxDepth levels parses', () => {
  const root = parseTree(nested(DEFAULT_MAX_DEPTH));
  let depth = 1;
  for (let e = root; e.children.length > 0; e = e.children[0]) depth++;
  assert.equal(depth, DEFAULT_MAX_DEPTH);
  assert.equal(DEFAULT_MAX_DEPTH, 512);
});

test('one level more than maxDepth is refused with NetconfProtocolError on every parse path', async () => {
  const xml = nested(DEFAULT_MAX_DEPTH + 1);
  assert.throws(
    () => parseTree(xml),
    (e) => e instanceof NetconfProtocolError && tooDeep.test(e.message),
  );
  await assert.rejects(parseTreeAsync(xml), NetconfProtocolError);
  assert.throws(() => xmlToObject(xml), NetconfProtocolError);
  assert.throws(() => xmlChildrenToObject(xml), NetconfProtocolError);
  await assert.rejects(xmlChildrenToObjectAsync(xml), NetconfProtocolError);
  assert.throws(() => checkFragment(xml), NetconfProtocolError);
  await assert.rejects(readMessage(notification(DEFAULT_MAX_DEPTH)), tooDeep);
});

test('maxDepth is an option: a lower bound refuses, a higher one accepts', () => {
  const ignore = { openTag: () => undefined, closeTag: () => undefined, text: () => undefined };
  assert.throws(() => parseSync(nested(11), ignore, { maxDepth: 10 }), tooDeep);
  parseSync(nested(10), ignore, { maxDepth: 10 });
  parseSync(nested(600), ignore, { maxDepth: 1000 });
});

test('a hostile 100,000-deep message is refused at the bound, not parsed to the end', async () => {
  // Before the bound this took minutes; the refusal must come from the depth check.
  const events: number[] = [];
  const counting = { openTag: () => events.push(1), closeTag: () => undefined, text: () => undefined };
  assert.throws(() => parseSync(nested(100_000), counting), tooDeep);
  assert.equal(events.length, DEFAULT_MAX_DEPTH, 'parsing stopped at the first element past the bound');
  await assert.rejects(readMessage(notification(100_000)), tooDeep);
});

test('namespaces still resolve through deep ancestors (prefix declared at the root)', () => {
  const depth = 300;
  const xml = '<p:a xmlns:p="urn:p" xmlns="urn:d">' + '<b>'.repeat(depth) + '<p:c/>' + '</b>'.repeat(depth) + '</p:a>';
  let e = parseTree(xml);
  assert.equal(e.ns, 'urn:p');
  for (let i = 0; i < depth; i++) {
    e = e.children[0];
    assert.equal(e.ns, 'urn:d');
  }
  assert.equal(e.children[0].ns, 'urn:p');
  assert.equal(e.children[0].local, 'c');
  // A redeclaration deeper down shadows, and its end restores the outer binding.
  const shadow = parseTree('<a xmlns="urn:1"><b xmlns="urn:2"><c/></b><d/></a>');
  assert.equal(shadow.children[0].children[0].ns, 'urn:2');
  assert.equal(shadow.children[1].ns, 'urn:1');
  assert.throws(() => parseTree('<a><b xmlns:q="urn:q"/><q:c/></a>'), /unbound namespace prefix/);
});

test('the element tree and object builders take maxDepth too', async () => {
  assert.throws(() => parseTree(nested(6), { maxDepth: 5 }), tooDeep);
  await assert.rejects(parseTreeAsync(nested(6), { maxDepth: 5 }), tooDeep);
  assert.throws(() => xmlToObject(nested(6), { maxDepth: 5 }), tooDeep);
  assert.throws(() => xmlChildrenToObject(nested(6), undefined, { maxDepth: 5 }), tooDeep);
  await assert.rejects(xmlChildrenToObjectAsync(nested(6), undefined, { maxDepth: 5 }), tooDeep);
  assert.deepEqual(xmlToObject(nested(600), { maxDepth: 600 }).a !== undefined, true);
});
