/** Raised when a diff cannot be computed or turned into an edit-config. */
import { NetconfClientError } from '../errors';

export class DiffError extends NetconfClientError {
  override readonly code: string = 'NETCONF_DIFF';
}
