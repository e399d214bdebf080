/**
 * saxes, bounded: a maximum element depth, and namespace resolution in constant time.
 *
 * saxes resolves every prefix (the default namespace included, so every element) by walking the
 * stack of open elements up to the one that declares it: a document nested n deep costs O(n^2).
 * A 30,000-deep notification of 210 kB held the event loop for 15 s. Here the bindings in scope
 * are kept as one stack of URIs per prefix, updated as elements open and close, so a lookup is a
 * map access whatever the depth; and elements deeper than `maxDepth` are refused as soon as the
 * first of them opens, so a hostile message costs no more than its first `maxDepth` elements.
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

export class BoundedParser extends SaxesParser<NsOptions> {
  private readonly maxDepth: number;
  private depth = 0;
  /** prefix ('' = default) -> URIs bound by the open elements (and the root bindings), innermost last. */
  private readonly bindings = new Map<string, string[]>();
  /** The element being opened: its own declarations come first (saxes' `topNS`, not typed public). */
  private readonly own: () => Record<string, string> | null;

  constructor(options: BoundedParserOptions = {}) {
    super({
      xmlns: true,
      position: true,
      additionalNamespaces: options.additionalNamespaces,
      fragment: options.fragment ?? false,
    });
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const root: Record<string, string> = { xml: XML_NAMESPACE, xmlns: XMLNS_NAMESPACE };
    Object.assign(root, options.additionalNamespaces);
    for (const [prefix, uri] of Object.entries(root)) this.bindings.set(prefix, [uri]);
    const internals = this as unknown as { topNS?: Record<string, string> | null };
    // saxes 6 keeps the declarations of the element being opened in `topNS`; fail loudly if not.
    if (!('topNS' in internals)) throw new Error('saxes internals changed: BoundedParser needs topNS');
    this.own = () => internals.topNS ?? null;
  }

  /** Called from the opentag handler (before the user's): counts depth and records bindings. */
  enter(tag: SaxesTagNS): void {
    if (++this.depth > this.maxDepth) {
      throw new NetconfProtocolError(
        `refused XML nested deeper than maxDepth (${this.maxDepth} elements) at <${tag.name}>`,
      );
    }
    const declared = tag.ns;
    for (const prefix in declared) {
      const stack = this.bindings.get(prefix);
      if (stack) stack.push(declared[prefix]);
      else this.bindings.set(prefix, [declared[prefix]]);
    }
  }

  /** Called from the closetag handler. */
  leave(tag: SaxesTagNS): void {
    this.depth--;
    for (const prefix in tag.ns) this.bindings.get(prefix)?.pop();
  }

  override resolve(prefix: string): string | undefined {
    const own = this.own()?.[prefix];
    if (own !== undefined) return own;
    const stack = this.bindings.get(prefix);
    return stack && stack.length > 0 ? stack[stack.length - 1] : undefined;
  }
}
