/** Replies to `<rpc>`s: the raw text, `<ok/>`, warnings, errors, and the data they carry. */
import { RpcError, type RpcErrorInfo } from '../errors';
import { elementSource, parseTree, type XmlElement } from '../xml/element';
import { NS_BASE, NS_NMDA } from '../namespaces';
import { xmlChildrenToObject, xmlChildrenToObjectAsync, type XmlObject } from '../xml/object';
import { dataText, type IncomingMessage } from './message';
import { wholeText } from './message-text';
import type { TextSource } from '../xml/sax';
import { NetconfClientError } from '../errors';
import type { JsonConversion, JsonDecoder, JsonObject } from './json-decoder';

/** The decoder, or a clear error for `json` asked before `loadYang()`. */
export function needDecoder(decoder: JsonDecoder | undefined): JsonDecoder {
  if (!decoder)
    throw new NetconfClientError("RFC 7951 JSON needs the device's YANG schema: call await manager.loadYang() first");
  return decoder;
}

/** A non-error response to an `<rpc>` (netconf_client's RPCReply). */
export class RpcReply {
  readonly messageId?: string;
  /** The reply holds `<ok/>`. */
  readonly ok: boolean;
  /** `<rpc-error>`s of severity "warning" (a reply with only warnings is a success). */
  readonly warnings: RpcErrorInfo[];
  /** Milliseconds from writing the request to receiving the whole reply. */
  readonly rttMs: number;
  /** @internal What the session read of the message (the envelope, maybe only up to `<data>`). */
  readonly incoming: IncomingMessage;
  private parsed?: XmlElement;
  private dataString?: string;

  constructor(message: IncomingMessage, warnings: RpcErrorInfo[], rttMs: number) {
    this.incoming = message;
    this.messageId = message.root.attributes['message-id'];
    this.ok = message.root.children.some((c) => c.local === 'ok');
    this.warnings = warnings;
    this.rttMs = rttMs;
  }

  /** The whole `<rpc-reply>` as received (for a very large reply, joined on first access). */
  get xml(): string {
    return wholeText(this.incoming.text);
  }

  /**
   * For replies with a top-level `<data>`: that element as XML text, as the server wrote it,
   * with the namespace declarations it inherits added to its start tag. No parsing involved.
   */
  get dataXml(): string | undefined {
    if (this.dataString === undefined) this.dataString = dataText(this.incoming);
    return this.dataString;
  }

  /**
   * The reply parsed into an element tree (built on first access, synchronously: for large
   * replies use `dataXml`, `await getData()` or `await getJson()` instead).
   */
  get element(): XmlElement {
    // Without <data> the envelope was parsed in full already; with it, parsing stopped at <data>.
    if (!this.parsed)
      this.parsed =
        this.incoming.data === undefined
          ? this.incoming.root
          : parseTree(this.xml, { maxDepth: this.incoming.maxDepth });
    return this.parsed;
  }
}

/** A reply with `<data>` (netconf_client's DataReply): `dataXml` at once, `data` when asked. */
export class DataReply extends RpcReply {
  private object?: XmlObject;
  private readonly decoder?: JsonDecoder;
  private converted?: JsonConversion;

  /** `decoder` (the Manager's, once it has the device's YANG) is what `json` needs. */
  constructor(reply: RpcReply, decoder?: JsonDecoder) {
    super(reply.incoming, reply.warnings, reply.rttMs);
    this.decoder = decoder;
  }

  /**
   * The content of `<data>` as RFC 7951 JSON, typed by the device's YANG (lists always arrays,
   * numbers per type, members qualified by module). Needs `Manager.loadYang()` first. This
   * parses and converts synchronously, holding the event loop for as long as that takes (about a
   * second per 10 MB): for anything but small replies use `await reply.getJson()`.
   */
  get json(): JsonObject {
    return this.convert().value;
  }

  /**
   * Same as `json`, converted straight from the reply text in slices that yield to the event
   * loop (no element tree is built), so a reply of any size never freezes timers or flows.
   */
  async getJson(): Promise<JsonObject> {
    if (!this.converted) {
      const decoder = needDecoder(this.decoder);
      const d = this.incoming.data;
      // Without a <data> span the envelope was parsed in full already (and holds no data).
      this.converted = d
        ? await decoder.replyDataAsync(this.incoming.text, d, this.incoming.maxDepth)
        : decoder.replyData(this.element);
    }
    return this.converted.value;
  }

  /** Subtrees converted without schema (their module could not be had), for messages. */
  get jsonWarnings(): string[] {
    return this.convert().warnings;
  }

  private convert(): JsonConversion {
    if (!this.converted) this.converted = needDecoder(this.decoder).replyData(this.element);
    return this.converted;
  }

  /** The `<data>` element as XML text (an empty `<data/>` when the server sent none). */
  override get dataXml(): string {
    return super.dataXml ?? EMPTY_DATA;
  }

  /** The raw reply (netconf_client's name). */
  get rawReply(): string {
    return this.xml;
  }

  /**
   * The content of `<data>` as a plain object (see the README's convention), parsed on first
   * access. This parses synchronously, holding the event loop (about 0.4 s per 10 MB): for
   * anything but small replies use `await reply.getData()`.
   */
  get data(): XmlObject {
    if (!this.object) {
      const d = this.incoming.data;
      this.object = d ? xmlChildrenToObject(this.incoming.text, d, { maxDepth: this.incoming.maxDepth }) : {};
    }
    return this.object;
  }

  /** Same as `data`, but parses in slices so the event loop keeps running on large replies. */
  async getData(): Promise<XmlObject> {
    if (!this.object) {
      const d = this.incoming.data;
      // Parsed straight from the reply text, so the (possibly huge) dataXml string is never built.
      this.object = d
        ? await xmlChildrenToObjectAsync(this.incoming.text, d, { maxDepth: this.incoming.maxDepth })
        : {};
    }
    return this.object;
  }
}

/** What `dataXml` is for a reply that has no `<data>` at all (some servers send `<ok/>`). */
const EMPTY_DATA = '<data xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>';

/**
 * Every `<rpc-error>` of a reply, wherever it sits: vendors nest them in RPC output (Junos
 * `<load-configuration-results>`), and ncclient raises for those too. One walk over the parsed
 * envelope, in document order, not descending into an rpc-error. The content of a top-level
 * `<data>` is data (a log may hold rpc-error elements) and is not searched: the envelope parse
 * stops at `<data>` for speed anyway. Matched by local name: a server that puts it in the wrong
 * namespace still reports an error rather than a false success (ncclient #165).
 */
export function readRpcErrors(text: TextSource, root: XmlElement): RpcErrorInfo[] {
  const found: RpcErrorInfo[] = [];
  const stack: XmlElement[] = root.children.filter((c) => !isTopLevelData(c)).reverse();
  for (let e = stack.pop(); e; e = stack.pop()) {
    if (e.local === 'rpc-error') found.push(readRpcError(text, e));
    else for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
  return found;
}

function isTopLevelData(e: XmlElement): boolean {
  return e.local === 'data' && (e.ns === NS_BASE || e.ns === NS_NMDA);
}

function readRpcError(text: TextSource, e: XmlElement): RpcErrorInfo {
  const field = (name: string): string | undefined => {
    const child = e.children.find((c) => c.local === name);
    return child ? child.text.trim() : undefined;
  };
  const message = e.children.find((c) => c.local === 'error-message');
  const infoElement = e.children.find((c) => c.local === 'error-info');
  let info: Record<string, string> | undefined;
  let infoXml: string | undefined;
  if (infoElement && infoElement.children.length > 0) {
    info = {};
    for (const child of infoElement.children) {
      info[child.local] = child.text.trim();
    }
    infoXml = infoElement.children.map((c) => elementSource(text, c)).join('');
  }
  return {
    type: field('error-type'),
    tag: field('error-tag'),
    severity: field('error-severity'),
    appTag: field('error-app-tag'),
    path: field('error-path'),
    message: message?.text.trim(),
    messageLang: message?.attributes['xml:lang'],
    info,
    infoXml,
  };
}

/** Splits errors from warnings: resolves with the reply, or throws RpcError. */
export function toReplyOrError(message: IncomingMessage, rttMs: number): RpcReply {
  const all = readRpcErrors(message.text, message.root);
  const isError = (e: RpcErrorInfo): boolean => e.severity !== 'warning';
  if (all.some(isError)) throw new RpcError(all, wholeText(message.text), message.root.attributes['message-id']);
  return new RpcReply(message, all, rttMs);
}
