/**
 * Canonical JSON pretty-printed as lines (the layout of `JSON.stringify(value, null, 2)`), built
 * in slices: the text diff works on lines, and a 50,000-entry list is hundreds of thousands.
 */
import type { JsonValue } from '../yang/json';
import type { Clock, Sliced } from './slicer';

/** The number of lines `emit` gives for a value, counted without building them. */
export function lineCount(value: JsonValue): number {
  if (typeof value !== 'object' || value === null) return 1;
  if (Array.isArray(value)) {
    if (value.length === 0 || (value.length === 1 && value[0] === null)) return 1;
    let n = 2;
    for (const v of value) n += lineCount(v);
    return n;
  }
  // for-in: no array of member names allocated (this runs for every entry of a folded list).
  let n = 2;
  let empty = true;
  for (const k in value) {
    empty = false;
    n += lineCount(value[k]);
  }
  return empty ? 1 : n;
}

export function* jsonLines(value: JsonValue, clock: Clock): Sliced<string[]> {
  const out: string[] = [];
  yield* emit(value, '', '', '', out, clock);
  return out;
}

export function* emit(
  value: JsonValue,
  indent: string,
  label: string,
  comma: string,
  out: string[],
  clock: Clock,
): Sliced<void> {
  if (typeof value !== 'object' || value === null) {
    out.push(`${indent}${label}${JSON.stringify(value)}${comma}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0 || (value.length === 1 && value[0] === null)) {
      out.push(`${indent}${label}${JSON.stringify(value)}${comma}`);
      return;
    }
    out.push(`${indent}${label}[`);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item !== 'object' || item === null) {
        out.push(`${inner}${JSON.stringify(item)}${i < value.length - 1 ? ',' : ''}`);
        continue;
      }
      yield* emit(item, inner, '', i < value.length - 1 ? ',' : '', out, clock);
      if (clock.due()) yield;
    }
    out.push(`${indent}]${comma}`);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push(`${indent}${label}{}${comma}`);
    return;
  }
  out.push(`${indent}${label}{`);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = value[k];
    if (typeof v !== 'object' || v === null) {
      out.push(`${inner}${JSON.stringify(k)}: ${JSON.stringify(v)}${i < keys.length - 1 ? ',' : ''}`);
      continue;
    }
    yield* emit(v, inner, `${JSON.stringify(k)}: `, i < keys.length - 1 ? ',' : '', out, clock);
  }
  out.push(`${indent}}${comma}`);
}
