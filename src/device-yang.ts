/**
 * The one owner of a device's YANG schema on the client side: the Manager keeps one DeviceYang
 * per session (after `loadYang()`), and every RFC 7951 conversion goes through it: reply data
 * and notifications (as the session layer's JsonDecoder hook), RPC output, and JSON input.
 */
import { InvalidInputError } from './errors';
import { NS_BASE, NS_NOTIFICATION } from './namespaces';
import type { JsonConversion, JsonDecoder, TextSpan } from './session/json-decoder';
import type { RpcReply } from './session/reply';
import { parseTree, type XmlElement } from './xml/element';
import type { Tag, TextSource } from './xml/sax';
import type { XmlObject } from './xml/object';
import {
  isRfc7951,
  jsonToXmlFor,
  notificationJson,
  replyDataToJson,
  type DeviceSchema,
  type JsonObject,
} from './yang/device-schema';
import type { SchemaNode } from './yang/model';
import { elementsToJson } from './yang/xml-to-json';
import { streamXmlToJson } from './yang/xml-stream-json';

export class DeviceYang implements JsonDecoder {
  constructor(readonly device: DeviceSchema) {}

  replyData(reply: XmlElement): JsonConversion {
    return replyDataToJson(this.device, reply);
  }

  notification(notification: XmlElement): JsonConversion {
    return notificationJson(this.device, notification);
  }

  replyDataAsync(text: TextSource, data: TextSpan, maxDepth?: number): Promise<JsonConversion> {
    // The span's scope holds <data>'s own declarations too: harmless as inherited ones.
    return streamXmlToJson(this.device.schema, text, { ...data, maxDepth, moduleNames: this.device.moduleNames });
  }

  notificationAsync(xml: string, maxDepth?: number): Promise<JsonConversion> {
    // eventTime belongs to the envelope (the first one only, as notificationToJson does).
    let seen = false;
    const skip = (tag: Tag): boolean => {
      if (seen || !(tag.local === 'eventTime' && tag.uri === NS_NOTIFICATION)) return false;
      return (seen = true);
    };
    return streamXmlToJson(this.device.schema, xml, { skip, maxDepth, moduleNames: this.device.moduleNames });
  }

  /** rpcOutput without blocking: the reply's text converted in slices (any size). */
  async rpcOutputAsync(reply: RpcReply, request?: unknown): Promise<JsonConversion> {
    const node = this.rpcNode(request);
    const skip = (tag: Tag): boolean => tag.uri === NS_BASE && (tag.local === 'rpc-error' || tag.local === 'ok');
    const { value, warnings } = await streamXmlToJson(this.device.schema, reply.incoming.text, {
      parent: node,
      skip,
      maxDepth: reply.incoming.maxDepth,
      moduleNames: this.device.moduleNames,
    });
    return { value: node ? { [`${node.module}:output`]: value } : value, warnings };
  }

  /**
   * An RPC's output (the reply's children other than rpc-error and ok) as RFC 7951 JSON:
   * `{ "module:output": {...} }` when `request` (XML text, plain object or RFC 7951 JSON) names
   * an RPC of the schema, the converted elements alone otherwise.
   */
  rpcOutput(reply: RpcReply, request?: unknown): JsonConversion {
    const elements = reply.element.children.filter(
      (c) => !(c.ns === NS_BASE && (c.local === 'rpc-error' || c.local === 'ok')),
    );
    const node = this.rpcNode(request);
    const { value, warnings } = elementsToJson(this.device.schema, elements, {
      parent: node,
      moduleNames: this.device.moduleNames,
    });
    return { value: node ? { [`${node.module}:output`]: value } : value, warnings };
  }

  /** RFC 7951 JSON (config, filter or rpc) as XML; a conversion failure is the caller's bad input. */
  toXml(json: JsonObject, what: string): string {
    try {
      return jsonToXmlFor(this.device, json).value;
    } catch (err) {
      throw new InvalidInputError(`${what}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The schema node of the RPC a request invokes. */
  private rpcNode(rpc: unknown): SchemaNode | undefined {
    const schema = this.device.schema;
    let node: SchemaNode | undefined;
    if (typeof rpc === 'string') {
      try {
        const root = parseTree(rpc.trim());
        node = schema.findTopLevel(root.ns, root.local);
      } catch {
        return undefined;
      }
    } else if (isRfc7951(rpc)) {
      node = schema.findTopLevelMember(Object.keys(rpc)[0]);
    } else if (typeof rpc === 'object' && rpc !== null) {
      const obj = rpc as XmlObject;
      const name = Object.keys(obj).find((k) => !k.startsWith('@'));
      const body = name ? obj[name] : undefined;
      const ns = typeof body === 'object' && body !== null && !Array.isArray(body) ? body['@xmlns'] : obj['@xmlns'];
      if (name && typeof ns === 'string') node = schema.findTopLevel(ns, name);
    }
    return node?.kind === 'rpc' ? node : undefined;
  }
}
