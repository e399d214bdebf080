/**
 * What every transport produces: a connected, authenticated byte stream and nothing more
 * (nemith/netconf's model: the stream is the interface). NETCONF itself (hello, RPCs) starts
 * on top of it, in src/session/. Credentials stay in the transport that used them.
 */
import type { Duplex } from 'node:stream';

export interface TransportStream {
  /** The stream the NETCONF messages flow on (an SSH `netconf` channel, a TLS socket). */
  readonly stream: Duplex;
  /** Peer description for messages and logs (`10.0.0.1:830`). */
  readonly peer: string;
  /** The identity the peer proved: SSH host key fingerprint (`SHA256:...`) or TLS certificate fingerprint. */
  readonly fingerprint: string;
  /** Tears down what lies below the stream (the SSH connection, the TCP socket under TLS). */
  close(): void;
}
