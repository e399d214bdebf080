/**
 * The hook through which replies and notifications offer RFC 7951 JSON without the session
 * layer knowing YANG. The owner of the device's schema (the Manager, src/device-yang.ts)
 * implements it; the session only carries it to the Notifications it creates, and the Manager
 * hands it to the DataReplies it makes. An opaque hook rather than the schema itself, so the
 * schema has one owner and session/ imports nothing of src/yang/.
 *
 * Synchronous today; an async `getJson()` on replies would add async twins here.
 */
import type { XmlElement } from '../xml/element';

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

export interface JsonDecoder {
  /** The `<data>` content of a whole `<rpc-reply>` element. */
  replyData(reply: XmlElement): JsonConversion;
  /** The event of a whole `<notification>` element. */
  notification(notification: XmlElement): JsonConversion;
}
