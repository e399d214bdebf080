/**
 * saxes, bounded: a maximum element depth, and namespace resolution in constant time.
 *
 * saxes resolves every prefix (the default namespace included, so every element) by walking the
 * stack of open elements up to the one that declares it: a document nested n deep costs O(n^2).
 * A 30,000-deep notification of 210 kB held the event loop for 15 s. Here, deeper than FAST_DEPTH,
 * the bindings in scope are kept as one stack of URIs per prefix, updated as elements open and
 * close, so a lookup is a map access whatever the depth; and elements deeper than `maxDepth` are
 * refused as soon as the first of them opens, so a hostile message costs no more than its first
 * `maxDepth` elements.
 *
 * Up to FAST_DEPTH, saxes' own walk is kept: it is at most FAST_DEPTH steps, and keeping the
 * stacks for every element (two for-in loops over its declarations and a map lookup per
 * resolution) made flat documents, the usual large reply, about 1.5-2x slower to parse.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { NetconfProtocolError } from '../errors';

/** Default element depth bound: far above any YANG model's nesting, far below a hostile input's. */
export const DEFAULT_MAX_DEPTH = 512;

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

type NsOptions = { xmlns: true; position: true; additionalNamespaces?: Record<string, string>; fragment?: boolean };

export interface BoundedParserOptions {
  additionalNamespaces?: Record<string, string>;
  fragment?: boolean;
  maxDepth?: number;
}

/** Depth up to which saxes resolves prefixes itself (bounded walk); deeper, the per-prefix stacks. */
export const FAST_DEPTH = 64;

type Internals = { topNS?: Record<string, string> | null; tags: SaxesTagNS[]; ns: Record<string, string> };

export class BoundedParser extends SaxesParser<NsOptions> {
  private readonly maxDepth: number;
  private depth = 0;
  /** prefix ('' = default) -> URIs bound in scope, innermost last; kept only below FAST_DEPTH. */
  private readonly bindings = new Map<string, string[]>();
  /** The element being opened: its own declarations come first (saxes' `topNS`, not typed public). */
  private readonly own: () => Record<string, string> | null;
  private readonly internals: Internals;

  constructor(options: BoundedParserOptions = {}) {
    super({
      xmlns: true,
      position: true,
      additionalNamespaces: options.additionalNamespaces,
      fragment: options.fragment ?? false,
    });
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const internals = this as unknown as Internals;
    // saxes 6 keeps the declarations of the element being opened in `topNS`, the open elements in
    // `tags` and the root bindings in `ns`; fail loudly if that changes.
    if (!('topNS' in internals) || !Array.isArray(internals.tags) || typeof internals.ns !== 'object')
      throw new Error('saxes internals changed: BoundedParser needs topNS, tags and ns');
    this.internals = internals;
    this.own = () => internals.topNS ?? null;
  }

  /** Called from the opentag handler (before the user's): counts depth and records bindings. */
  enter(tag: SaxesTagNS): void {
    const depth = ++this.depth;
    if (depth > this.maxDepth) {
      throw new NetconfProtocolError(
        `refused XML nested deeper than maxDepth (${this.maxDepth} elements) at <${tag.name}>`,
      );
    }
    if (depth <= FAST_DEPTH) return;
    // The first element below FAST_DEPTH: the stacks start from what its ancestors declare.
    if (depth === FAST_DEPTH + 1) this.rebuildBindings();
    this.push(tag.ns);
  }

  /** Called from the closetag handler. */
  leave(tag: SaxesTagNS): void {
    if (this.depth-- <= FAST_DEPTH) return;
    for (const prefix in tag.ns) this.bindings.get(prefix)?.pop();
  }

  override resolve(prefix: string): string | undefined {
    if (this.depth <= FAST_DEPTH) return super.resolve(prefix);
    const own = this.own()?.[prefix];
    if (own !== undefined) return own;
    const stack = this.bindings.get(prefix);
    return stack && stack.length > 0 ? stack[stack.length - 1] : undefined;
  }

  private rebuildBindings(): void {
    this.bindings.clear();
    const root: Record<string, string> = { xml: XML_NAMESPACE, xmlns: XMLNS_NAMESPACE };
    Object.assign(root, this.internals.ns);
    this.push(root);
    // At the opentag event saxes has not yet pushed the element itself: these are its ancestors.
    for (const open of this.internals.tags) this.push(open.ns);
  }

  private push(declared: Record<string, string>): void {
    for (const prefix in declared) {
      const stack = this.bindings.get(prefix);
      if (stack) stack.push(declared[prefix]);
      else this.bindings.set(prefix, [declared[prefix]]);
    }
  }
}
