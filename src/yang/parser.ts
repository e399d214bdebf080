/**
 * YANG statement parser (RFC 7950 section 6, the same grammar as RFC 6020 section 6).
 *
 * YANG's surface syntax is uniform: every statement is `keyword [argument] ;` or
 * `keyword [argument] { statements }`. This parser produces that generic statement tree and
 * nothing more; the meaning of keywords is the schema builder's business. It is a single
 * left-to-right scan (linear in the text), and errors carry line and column because module
 * texts come from devices and a broken one has to be findable.
 *
 * String rules implemented (RFC 7950 6.1.3):
 * - unquoted arguments end at whitespace, `;`, `{`, `}` or the start of a comment;
 * - single-quoted strings are taken literally;
 * - double-quoted strings: trailing whitespace before a line break is removed, indentation on
 *   continuation lines is stripped up to the column after the opening quote (tabs count as 8
 *   columns), then the escapes `\n \t \" \\` are replaced;
 * - quoted strings joined with `+` are concatenated.
 */
import { NetconfClientError } from '../errors';

export interface YangStatement {
  /** Extension prefix for `prefix:keyword` statements, '' for YANG keywords. */
  prefix: string;
  keyword: string;
  /** Argument after string processing; undefined when the statement has none (`input {`). */
  arg: string | undefined;
  children: YangStatement[];
  /** 1-based position of the keyword, for messages. */
  line: number;
  column: number;
}

export class YangSyntaxError extends NetconfClientError {
  override readonly code: string = 'NETCONF_YANG_SYNTAX';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}line ${line}, column ${column}: ${message}`);
  }
}

const TAB_WIDTH = 8;

class Scanner {
  pos = 0;
  line = 1;
  /** Index of the first character of the current line, to compute columns. */
  lineStart = 0;

  constructor(
    readonly text: string,
    readonly source?: string,
  ) {}

  get column(): number {
    return this.pos - this.lineStart + 1;
  }

  /** Column of the current character with tabs counted as 8 columns (RFC 7950 6.1.3). */
  visualColumn(): number {
    let column = 1;
    for (let i = this.lineStart; i < this.pos; i++) column += this.text[i] === '\t' ? TAB_WIDTH : 1;
    return column;
  }

  error(message: string): YangSyntaxError {
    return new YangSyntaxError(message, this.line, this.column, this.source);
  }

  private advance(): void {
    if (this.text.charCodeAt(this.pos) === 10) {
      this.line++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  /** Skips whitespace and comments. */
  skipSeparators(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.advance();
      else if (c === '/' && t[this.pos + 1] === '/') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.advance();
      } else if (c === '/' && t[this.pos + 1] === '*') {
        const close = t.indexOf('*/', this.pos + 2);
        if (close < 0) throw this.error('unterminated comment');
        while (this.pos < close + 2) this.advance();
      } else return;
    }
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  take(): string {
    const c = this.text[this.pos];
    this.advance();
    return c;
  }

  /** An unquoted token: keyword or unquoted argument. */
  unquoted(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '{' || c === '}') break;
      if (c === '"' || c === "'") break;
      if (c === '/' && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*')) break;
      this.advance();
    }
    return t.slice(start, this.pos);
  }

  singleQuoted(): string {
    const open = this.pos;
    this.advance();
    const close = this.text.indexOf("'", this.pos);
    if (close < 0) {
      this.pos = open;
      throw this.error('unterminated single-quoted string');
    }
    const value = this.text.slice(this.pos, close);
    while (this.pos <= close) this.advance();
    return value;
  }

  doubleQuoted(): string {
    // The column just after the quote bounds the indentation stripped on following lines.
    const indent = this.visualColumn();
    const openLine = this.line;
    const openColumn = this.column;
    this.advance();
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && t[this.pos] !== '"') {
      if (t[this.pos] === '\\') this.advance();
      this.advance();
    }
    if (this.pos >= t.length)
      throw new YangSyntaxError('unterminated double-quoted string', openLine, openColumn, this.source);
    const raw = t.slice(start, this.pos);
    this.advance();
    return unescape(stripIndentation(raw, indent));
  }
}

/** RFC 7950 6.1.3 whitespace handling for a double-quoted string spanning lines. */
function stripIndentation(raw: string, indent: number): string {
  if (!raw.includes('\n')) return raw;
  const lines = raw.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (i > 0) line = stripLeading(line, indent);
    // Trailing whitespace before a line break goes; the last line has no line break after it.
    if (i < lines.length - 1) line = line.replace(/[ \t]+$/, '');
    out.push(line);
  }
  return out.join('\n');
}

/** Removes leading whitespace up to `indent` columns (tabs expanded to 8 columns). */
function stripLeading(line: string, indent: number): string {
  let column = 0;
  let i = 0;
  while (i < line.length && column < indent) {
    const c = line[i];
    if (c === ' ') column++;
    else if (c === '\t') {
      column += TAB_WIDTH;
      if (column > indent) return ' '.repeat(column - indent) + line.slice(i + 1);
    } else break;
    i++;
  }
  return line.slice(i);
}

function unescape(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\' || i === value.length - 1) {
      out += c;
      continue;
    }
    const next = value[++i];
    if (next === 'n') out += '\n';
    else if (next === 't') out += '\t';
    else if (next === '"' || next === '\\') out += next;
    // YANG 1.0 keeps unknown escapes literally; YANG 1.1 forbids them. Be lenient.
    else out += `\\${next}`;
  }
  return out;
}

function parseArgument(s: Scanner): string | undefined {
  const c = s.peek();
  if (c === ';' || c === '{') return undefined;
  if (c === '"' || c === "'") {
    let value = c === '"' ? s.doubleQuoted() : s.singleQuoted();
    for (;;) {
      s.skipSeparators();
      if (s.peek() !== '+') return value;
      s.take();
      s.skipSeparators();
      const q = s.peek();
      if (q === '"') value += s.doubleQuoted();
      else if (q === "'") value += s.singleQuoted();
      else throw s.error("expected a quoted string after '+'");
    }
  }
  const value = s.unquoted();
  if (value === '') throw s.error(`unexpected '${c}'`);
  return value;
}

function parseStatement(s: Scanner): YangStatement {
  const line = s.line;
  const column = s.column;
  const word = s.unquoted();
  if (word === '') throw s.error(s.atEnd() ? 'unexpected end of text' : `unexpected '${s.peek()}'`);
  const colon = word.indexOf(':');
  const prefix = colon >= 0 ? word.slice(0, colon) : '';
  const keyword = colon >= 0 ? word.slice(colon + 1) : word;
  if (!isIdentifier(keyword) || (prefix !== '' && !isIdentifier(prefix))) {
    throw new YangSyntaxError(`invalid keyword '${word}'`, line, column, s.source);
  }
  s.skipSeparators();
  const arg = parseArgument(s);
  s.skipSeparators();
  const children: YangStatement[] = [];
  const end = s.take();
  if (end === '{') {
    for (;;) {
      s.skipSeparators();
      if (s.atEnd()) throw s.error(`missing '}' for '${word}' opened at line ${line}`);
      if (s.peek() === '}') {
        s.take();
        break;
      }
      children.push(parseStatement(s));
    }
  } else if (end !== ';') {
    throw new YangSyntaxError(`expected ';' or '{' after '${word}'`, s.line, s.column - 1, s.source);
  }
  return { prefix, keyword, arg, children, line, column };
}

function isIdentifier(word: string): boolean {
  const first = word.charCodeAt(0);
  const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95;
  if (!letter) return false;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
    if (!ok) return false;
  }
  return true;
}

/**
 * Parses one YANG module or submodule text into its top-level statement.
 * `source` (a file or module name) only decorates error messages.
 */
export function parseYang(text: string, source?: string): YangStatement {
  const s = new Scanner(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source);
  s.skipSeparators();
  const root = parseStatement(s);
  s.skipSeparators();
  if (!s.atEnd()) throw s.error('text after the end of the module');
  if (root.prefix !== '' || (root.keyword !== 'module' && root.keyword !== 'submodule')) {
    throw new YangSyntaxError(
      `expected 'module' or 'submodule', found '${root.keyword}'`,
      root.line,
      root.column,
      source,
    );
  }
  if (root.arg === undefined)
    throw new YangSyntaxError(`${root.keyword} without a name`, root.line, root.column, source);
  return root;
}

/** First child statement with this keyword (YANG keywords only, not extensions). */
export function child(stmt: YangStatement, keyword: string): YangStatement | undefined {
  return stmt.children.find((c) => c.keyword === keyword && c.prefix === '');
}

export function children(stmt: YangStatement, keyword: string): YangStatement[] {
  return stmt.children.filter((c) => c.keyword === keyword && c.prefix === '');
}

/** Argument of the first child with this keyword. */
export function childArg(stmt: YangStatement, keyword: string): string | undefined {
  return child(stmt, keyword)?.arg;
}
