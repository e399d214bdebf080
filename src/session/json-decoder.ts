/**
 * The hook through which replies and notifications offer RFC 7951 JSON without the session
 * layer knowing YANG. The owner of the device's schema (the Manager, src/device-yang.ts)
 * implements it; the session only carries it to the Notifications it creates, and the Manager
 * hands it to the DataReplies it makes. An opaque hook rather than the schema itself, so the
 * schema has one owner and session/ imports nothing of src/yang/.
 *
 * Each conversion has a synchronous form (from an element tree, for small messages) and an
 * asynchronous one (from the text, in slices that yield to the event loop, for any size).
 */
import type { XmlElement } from '../xml/element';
import type { TextSource } from '../xml/sax';

/** RFC 7951 JSON values (structurally the same types as src/yang's JsonValue/JsonObject). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [member: string]: JsonValue;
}

export interface JsonConversion {
  value: JsonObject;
  /** Subtrees converted without schema (their module could not be had). */
  warnings: string[];
}

/** An element within a message text: its span and the namespace bindings it inherits. */
export interface TextSpan {
  start: number;
  end: number;
  scope: Record<string, string>;
}

export interface JsonDecoder {
  /** The `<data>` content of a whole `<rpc-reply>` element. */
  replyData(reply: XmlElement): JsonConversion;
  /** The event of a whole `<notification>` element. */
  notification(notification: XmlElement): JsonConversion;
  /** The content of the `<data>` element at `data` within `text`, converted without blocking (`maxDepth`: the session's nesting bound). */
  replyDataAsync(text: TextSource, data: TextSpan, maxDepth?: number): Promise<JsonConversion>;
  /** The event of a `<notification>` given as its whole XML text, converted without blocking. */
  notificationAsync(xml: string, maxDepth?: number): Promise<JsonConversion>;
}
