/**
 * The benchmark report: lines printed and kept for BENCHMARKS.md, number formatting, tables and
 * the list of targets met or missed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { MD_FILE } from './paths';

/** A worker's result line, as JSON. */
export interface R {
  [k: string]: unknown;
}

const START = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';
const out: string[] = [];

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
  out.push(line);
}
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

export const f0 = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '-');
export const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');
export const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
export const MB = 1e6;
export const num = (r: R | undefined, k: string): number => {
  const v = r?.[k];
  return typeof v === 'number' ? v : NaN;
};

export function table(head: string[], rows: string[][]): void {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
}

interface Target {
  what: string;
  met: boolean | undefined;
  detail: string;
}
export const targets: Target[] = [];
export function target(what: string, met: boolean | undefined, detail: string): void {
  targets.push({ what, met, detail });
}

/** Replaces the results section of BENCHMARKS.md (between the markers) with this run's lines. */
export function writeMarkdown(): void {
  const body = `${START}\n${out.join('\n')}\n${END}`;
  let text = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  text = a >= 0 && b > a ? text.slice(0, a) + body + text.slice(b + END.length) : `${text}\n${body}\n`;
  writeFileSync(MD_FILE, text);
  log(`wrote ${MD_FILE}`);
}
