import { NetconfClientError } from '../errors';

/** RFC 7951 JSON values as plain JavaScript data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [member: string]: JsonValue;
}

export interface ConversionResult<T> {
  value: T;
  /** Subtrees converted without schema, values that did not fit their type. */
  warnings: string[];
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Raised when JSON cannot be turned into XML (unknown module, value of the wrong shape). */
export class YangJsonError extends NetconfClientError {
  override readonly code: string = 'NETCONF_YANG_JSON';
  constructor(
    message: string,
    /** RFC 7951 path of the member at fault. */
    readonly path: string,
  ) {
    super(`${path || '/'}: ${message}`);
  }
}
