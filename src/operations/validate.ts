/**
 * Input checks done before anything is sent, so bad input fails with a clear message instead of
 * an rpc-error from the device, or worse, a dropped session (netconfd drops sessions on bad XML).
 */
import { InvalidInputError } from '../errors';
import { checkFragment } from '../xml/sax';
import { escapeText } from '../xml/element';

export { InvalidInputError };

export function checkXmlFragment(xml: string, what: string): void {
  if (xml.trim() === '') throw new InvalidInputError(`${what} is empty`);
  try {
    checkFragment(xml);
  } catch (err) {
    throw new InvalidInputError(`${what} is not well-formed XML: ${(err as Error).message}`, { cause: err });
  }
}

const DATASTORE_NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * A datastore as `<running/>`, `<candidate/>`, `<startup/>` (or any other name the device
 * supports), or `<url>...</url>` for a URL (RFC 6241 :url).
 */
export function datastoreElement(name: string, what = 'datastore'): string {
  const value = name.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `<url>${escapeText(value)}</url>`;
  if (!DATASTORE_NAME.test(value)) throw new InvalidInputError(`unknown ${what} '${name}'`);
  return `<${value}/>`;
}

export function checkChoice<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${what} must be one of ${allowed.join(', ')} (got '${value}')`);
  }
  return value as T;
}
