/**
 * SSH key pairs for tests. ssh2's generateKeyPairSync('ed25519') emits a key its own parser
 * rejects about once in a hundred, which made tests fail at random; retry until it parses.
 */
import { utils } from 'ssh2';

export function sshKeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error))
      return pair;
  }
  throw new Error('could not generate a usable ed25519 key pair');
}
