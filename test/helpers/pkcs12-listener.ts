/**
 * The PKCS#12 fixture: a test PKI, a .p12 of its client certificate and key (with the CA inside),
 * and a simulator behind a mutual-TLS listener on 127.0.0.1 that trusts that CA. For the tests of
 * `pfx` + `passphrase` (Node-RED 5's tls-config in PKCS#12 mode) in the library and in Node-RED.
 */
import { NetconfSimulator } from '../../simulator/server';
import { startSimTlsListener, type SimTlsListener } from '../../simulator/tls';
import { makePkcs12, makeTestPki, type TestPki } from './certs';

export interface Pkcs12Listener {
  pki: TestPki;
  /** Path of the .p12 file (in pki.dir). */
  p12: string;
  sim: NetconfSimulator;
  listener: SimTlsListener;
  /** Closes the listener and the simulator, then removes the PKI's files. */
  close(): Promise<void>;
}

export async function startPkcs12Listener(passphrase: string): Promise<Pkcs12Listener> {
  const pki = makeTestPki();
  const p12 = makePkcs12(pki.dir, pki.client, passphrase, pki.caFile);
  const sim = new NetconfSimulator();
  const listener = await startSimTlsListener({
    port: 0,
    key: pki.server.key,
    cert: pki.server.cert,
    ca: pki.ca,
    handler: (s, u, d) => sim.serveStream(s, u, d),
  });
  return {
    pki,
    p12,
    sim,
    listener,
    async close() {
      await listener.close();
      await sim.close();
      pki.cleanup();
    },
  };
}
