/**
 * `if-feature` evaluation (RFC 7950 7.20.2). A device announces the features it supports per
 * module (hello `?features=`, or ietf-yang-library's feature list); a node, uses, augment,
 * enum, bit or annotation guarded by a feature it does not announce is not in its schema.
 *
 * The argument is a YANG 1.1 if-feature expression: feature names (prefixed for other modules'
 * features), `not`, `and`, `or` and parentheses; `not` binds tightest, then `and`, then `or`.
 */
import { children, type YangStatement } from './parser';
import { prefixModule, splitQName, type FileContext } from './scope';

/** Enabled features per module name. A module absent from the map has none enabled. */
export type FeatureSet = ReadonlyMap<string, readonly string[]>;

export class FeatureEvaluator {
  private readonly enabled: ReadonlyMap<string, ReadonlySet<string>> | undefined;

  /** @param features undefined: every feature of every module is enabled (no device to ask) */
  constructor(features: FeatureSet | undefined) {
    this.enabled = features && new Map([...features].map(([m, f]) => [m, new Set(f)]));
  }

  /** Whether every `if-feature` under `stmt` (written in `file`) holds. */
  allows(stmt: YangStatement, file: FileContext): boolean {
    if (!this.enabled) return true;
    return children(stmt, 'if-feature').every((f) => this.evaluate(f.arg ?? '', file));
  }

  private evaluate(expression: string, file: FileContext): boolean {
    const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
    let at = 0;
    const feature = (qname: string): boolean => {
      const { prefix, name } = splitQName(qname);
      const module = prefixModule(file, prefix);
      return module !== undefined && (this.enabled?.get(module)?.has(name) ?? false);
    };
    const factor = (): boolean => {
      const token = tokens[at++];
      if (token === 'not') return !factor();
      if (token === '(') {
        const value = disjunction();
        at++; // ')'
        return value;
      }
      return token !== undefined && feature(token);
    };
    const conjunction = (): boolean => {
      let value = factor();
      while (tokens[at] === 'and') {
        at++;
        value = factor() && value;
      }
      return value;
    };
    const disjunction = (): boolean => {
      let value = conjunction();
      while (tokens[at] === 'or') {
        at++;
        value = conjunction() || value;
      }
      return value;
    };
    return disjunction();
  }
}
