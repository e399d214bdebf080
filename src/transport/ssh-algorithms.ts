/**
 * SSH algorithm settings (ssh2's own shape, passed through) and the explanation of a failed
 * negotiation. ssh2's defaults are the secure ones and stay the default; older devices that only
 * speak e.g. `diffie-hellman-group14-sha1` key exchange or `aes128-cbc` need them added. When the
 * two sides share nothing, ssh2 says only "no matching key exchange algorithm": here that becomes
 * a message naming the algorithm class, what the server offered and which option to set.
 */
import type { Algorithms, DebugFunction } from 'ssh2';

/**
 * One algorithm class: a full list in order of preference, or changes to ssh2's default list
 * (names ssh2 supports; an unknown name is refused when connecting).
 */
export type SshAlgorithmList =
  string[] | { append?: string | string[]; prepend?: string | string[]; remove?: string | string[] };

/** ssh2's `algorithms` option, per class (its typings demand all of append/prepend/remove at once). */
export interface SshAlgorithms {
  kex?: SshAlgorithmList;
  cipher?: SshAlgorithmList;
  serverHostKey?: SshAlgorithmList;
  hmac?: SshAlgorithmList;
  compress?: SshAlgorithmList;
}

/** The option as ssh2 takes it: the same object (ssh2 checks the names). */
export function ssh2Algorithms(algorithms: SshAlgorithms | undefined): Algorithms | undefined {
  return algorithms as Algorithms | undefined;
}

/** One algorithm class as ssh2's handshake messages name it, the option key that changes it, and words for it. */
interface AlgorithmClass {
  /** The text after "no matching " in ssh2's error, and after "(remote) " in its debug lines. */
  error: string;
  debug: string;
  option: keyof SshAlgorithms;
  words: string;
}

const CLASSES: readonly AlgorithmClass[] = [
  { error: 'key exchange algorithm', debug: 'KEX method', option: 'kex', words: 'key exchange (kex)' },
  { error: 'host key format', debug: 'Host key format', option: 'serverHostKey', words: 'host key (serverHostKey)' },
  { error: 'C->S cipher', debug: 'C->S cipher', option: 'cipher', words: 'cipher' },
  { error: 'S->C cipher', debug: 'S->C cipher', option: 'cipher', words: 'cipher' },
  { error: 'C->S MAC', debug: 'C->S MAC', option: 'hmac', words: 'MAC (hmac)' },
  { error: 'S->C MAC', debug: 'S->C MAC', option: 'hmac', words: 'MAC (hmac)' },
  { error: 'C->S compression', debug: 'C->S compression', option: 'compress', words: 'compression' },
  { error: 'S->C compression', debug: 'S->C compression', option: 'compress', words: 'compression' },
];

/**
 * What the server offered in its KEXINIT, read from ssh2's debug output (the only place ssh2
 * exposes it), so that a mismatch can say what the server would have accepted.
 */
export class ServerOffer {
  private readonly lists = new Map<string, string>();

  /** ssh2's `debug` hook; passes every line on to `next` (e.g. a logger) as well. */
  hook(next?: (line: string) => void): DebugFunction {
    return (line: string) => {
      const remote = /^Handshake: \(remote\) ([^:]+): (.*)$/.exec(line);
      if (remote) this.lists.set(remote[1], remote[2]);
      next?.(line);
    };
  }

  offered(debugName: string): string | undefined {
    return this.lists.get(debugName);
  }
}

/**
 * For ssh2's "Handshake failed: no matching ..." error: which class failed, what the server
 * offered and how to allow it. undefined for any other error.
 */
export function describeAlgorithmMismatch(message: string, peer: string, offer: ServerOffer): string | undefined {
  const match = /no matching (.+)$/i.exec(message);
  if (!match) return undefined;
  const wanted = match[1].toLowerCase();
  const cls = CLASSES.find((c) => c.error.toLowerCase() === wanted);
  if (!cls) return `SSH algorithm negotiation with ${peer} failed: ${message}`;
  const offered = offer.offered(cls.debug);
  const first = offered?.split(',')[0];
  return (
    `SSH algorithm negotiation with ${peer} failed: no common ${cls.words} algorithm` +
    (offered ? `; the server offers ${offered}` : '') +
    `. If the device cannot be upgraded, allow one of its algorithms with the algorithms.${cls.option} option` +
    (first ? ` (e.g. { ${cls.option}: { append: ['${first}'] } })` : '')
  );
}
