/** RFC 5277 `<notification>`s: the raw XML, the event time, and the content. */
import { NS_NOTIFICATION } from '../namespaces';
import { elementSource, type XmlElement } from '../xml/element';
import { xmlToObject, xmlToObjectAsync, type XmlObject } from '../xml/object';
import type { JsonConversion, JsonDecoder, JsonObject } from './json-decoder';
import { needDecoder } from './reply';

export class Notification {
  /** The whole `<notification>` as received. */
  readonly notificationXml: string;
  /** `<eventTime>` as sent (RFC 3339), e.g. `2026-11-23T20:35:55Z`. */
  readonly eventTime: string;
  /** The event element (the first child that is not eventTime), or undefined. */
  readonly eventElement?: XmlElement;
  /** Local name of the event element (`netconf-config-change`, `replayComplete`, ...). */
  readonly name: string;
  /** Namespace URI of the event element. */
  readonly namespace: string;
  readonly element: XmlElement;
  private object?: XmlObject;
  private readonly decoder?: JsonDecoder;
  private converted?: JsonConversion;
  /** The session's nesting bound (SessionOptions.maxDepth), for parsing the event into an object. */
  private readonly maxDepth?: number;

  constructor(xml: string, root: XmlElement, decoder?: JsonDecoder, maxDepth?: number) {
    this.notificationXml = xml;
    this.maxDepth = maxDepth;
    this.element = root;
    this.decoder = decoder;
    this.eventTime = root.children.find((c) => c.local === 'eventTime' && c.ns === NS_NOTIFICATION)?.text.trim() ?? '';
    this.eventElement = root.children.find((c) => !(c.local === 'eventTime' && c.ns === NS_NOTIFICATION));
    this.name = this.eventElement?.local ?? '';
    this.namespace = this.eventElement?.ns ?? '';
  }

  /** The event element as standalone XML text. */
  get eventXml(): string {
    return this.eventElement ? elementSource(this.notificationXml, this.eventElement) : '';
  }

  /**
   * The event as a plain object keyed by its local name, e.g. `{ 'netconf-config-change': {...} }`.
   * Parsed synchronously: for large notifications use `await n.getData()`.
   */
  get data(): XmlObject {
    if (!this.object) this.object = this.eventElement ? xmlToObject(this.eventXml, { maxDepth: this.maxDepth }) : {};
    return this.object;
  }

  /** Same as `data`, parsed in slices that yield to the event loop (for large notifications). */
  async getData(): Promise<XmlObject> {
    if (!this.object)
      this.object = this.eventElement ? await xmlToObjectAsync(this.eventXml, { maxDepth: this.maxDepth }) : {};
    return this.object;
  }

  /**
   * The event as RFC 7951 JSON (`{ "ietf-netconf-notifications:netconf-config-change": {...} }`),
   * typed by the device's YANG; needs `Manager.loadYang()` before the notification arrived.
   * Converted synchronously: for large notifications use `await n.getJson()`.
   */
  get json(): JsonObject {
    return this.convert().value;
  }

  /** Same as `json`, converted from the XML text in slices that yield to the event loop. */
  async getJson(): Promise<JsonObject> {
    if (!this.converted)
      this.converted = await needDecoder(this.decoder).notificationAsync(this.notificationXml, this.maxDepth);
    return this.converted.value;
  }

  /** Parts converted without schema (module not available), for `msg.netconf.warnings`. */
  get jsonWarnings(): string[] {
    return this.convert().warnings;
  }

  private convert(): JsonConversion {
    if (!this.converted) this.converted = needDecoder(this.decoder).notification(this.element);
    return this.converted;
  }

  /** RFC 5277 replayComplete / notificationComplete. */
  get isReplayComplete(): boolean {
    return this.name === 'replayComplete' && this.namespace === 'urn:ietf:params:xml:ns:netmod:notification';
  }
}
