import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { childArg, parseYang, YangSyntaxError, type YangStatement } from '../../src/yang/parser';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/yang');

function args(stmt: YangStatement): (string | undefined)[] {
  return stmt.children.map((c) => c.arg);
}

test('statements: keyword, argument, block and semicolon forms, extension prefixes', () => {
  const m = parseYang('module m { namespace "urn:m"; prefix m; container c { ex:ext "x"; input { } } }');
  assert.equal(m.keyword, 'module');
  assert.equal(m.arg, 'm');
  assert.equal(childArg(m, 'namespace'), 'urn:m');
  const c = m.children[2];
  assert.equal(c.keyword, 'container');
  assert.deepEqual(
    c.children.map((s) => [s.prefix, s.keyword, s.arg]),
    [
      ['ex', 'ext', 'x'],
      ['', 'input', undefined],
    ],
  );
});

test('comments are skipped, but not inside strings or unquoted arguments', () => {
  const m = parseYang(`// line comment
    module m { /* block
      comment */ description "a // b /* c */"; pattern a/b; }`);
  assert.deepEqual(args(m), ['a // b /* c */', 'a/b']);
});

test('double-quoted escapes and single-quoted literal strings', () => {
  const m = parseYang(String.raw`module m { a "x\ny\t\"q\" \\"; b 'no\nescape'; c "keep\d"; }`);
  assert.deepEqual(args(m), ['x\ny\t"q" \\', 'no\\nescape', 'keep\\d']);
});

test('+ concatenates quoted strings of both kinds', () => {
  const m = parseYang(`module m { pattern "[a-z]" + '+' +\n   "[0-9]*"; }`);
  assert.equal(m.children[0].arg, '[a-z]+[0-9]*');
});

test('multi-line double-quoted strings: indentation up to the opening quote and trailing spaces removed', () => {
  const text = `module m {\n  description "first   \n${' '.repeat(15)}second\n${' '.repeat(17)}indented\n  short";\n}`;
  // The quote is in column 15: continuation lines lose up to 15 columns of leading whitespace.
  assert.equal(parseYang(text).children[0].arg, 'first\nsecond\n  indented\nshort');
});

test('tabs count as 8 columns for indentation stripping', () => {
  const text = 'module m {\n\tdescription\n\t  "a\n\t   b";\n}';
  assert.equal(parseYang(text).children[0].arg, 'a\nb');
});

test('identifiers starting with xml are allowed (YANG 1.1)', () => {
  assert.equal(parseYang('module m { leaf xml-thing { type string; } }').children[0].arg, 'xml-thing');
});

test('syntax errors carry line and column', () => {
  assert.throws(
    () => parseYang('module m {\n  leaf a { type string }\n}', 'm.yang'),
    (err: unknown) => err instanceof YangSyntaxError && err.line === 2 && /m\.yang/.test(err.message),
  );
  assert.throws(() => parseYang('module m { description "open; }'), /unterminated double-quoted string/);
  assert.throws(() => parseYang('module m { leaf a; '), /missing '}'/);
  assert.throws(() => parseYang('container c { }'), /expected 'module' or 'submodule'/);
  assert.throws(() => parseYang('module m { } extra;'), /after the end/);
});

test('every fixture module parses', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yang'));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const stmt = parseYang(readFileSync(path.join(FIXTURES, f), 'utf8'), f);
    assert.ok(stmt.keyword === 'module' || stmt.keyword === 'submodule', f);
  }
});

test('a real module keeps its structure (ietf-interfaces)', () => {
  const m = parseYang(readFileSync(path.join(FIXTURES, 'ietf-interfaces@2014-05-08.yang'), 'utf8'));
  assert.equal(m.arg, 'ietf-interfaces');
  assert.equal(childArg(m, 'namespace'), 'urn:ietf:params:xml:ns:yang:ietf-interfaces');
  const interfaces = m.children.find((c) => c.keyword === 'container' && c.arg === 'interfaces');
  const list = interfaces?.children.find((c) => c.keyword === 'list');
  assert.equal(list && childArg(list, 'key'), 'name');
});
