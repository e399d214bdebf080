/**
 * Node-RED 5's tls-config can hold a PKCS#12 file (certType "pfx" + passphrase) instead of
 * cert/key; its addTLSOptions then hands over `pfx` and `passphrase` only (no `ca`: the CA comes
 * from inside the .p12). In a real Node-RED 5 on Node 22 with the packed package: a device over
 * TLS with such a tls-config reaches the simulator's mutual-TLS listener as the client
 * certificate's CN; a wrong passphrase turns the status red with a reason that names the PKCS#12;
 * and the credentials (the passphrase) are stored encrypted beside the flows file.
 * Node-RED 4.1's tls-config has no PKCS#12 option, so this runs on 5.x only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Comms } from './comms';
import { waitFor, type NodeRed } from './harness';
import { startInstalledNodeRed, type InstalledNodeRed } from './installed-node-red';
import { nodeRedTargets } from './targets';
import { startPkcs12Listener, type Pkcs12Listener } from '../helpers/pkcs12-listener';

const PASSPHRASE = 'p12-e2e-passphrase';

for (const target of nodeRedTargets().filter((t) => t.label !== '4.1'))
  describe(`tls-config PKCS#12 in Node-RED ${target.version} (Node ${target.nodeVersion})`, { timeout: 300000 }, () => {
    let tls: Pkcs12Listener;
    let running: InstalledNodeRed | undefined;
    let nodeRed: NodeRed;
    let comms: Comms;
    let userDir = '';

    before(async () => {
      tls = await startPkcs12Listener(PASSPHRASE);
      running = await startInstalledNodeRed(`tls-${target.label}`, {
        nodeRedDir: target.nodeRedDir,
        nodeBin: target.nodeBin,
      });
      ({ nr: nodeRed, comms, userDir } = running);
    });

    after(async () => {
      await running?.stop();
      await tls?.close();
    });

    function flow(passphrase: string): unknown[] {
      return [
        { id: 'tabp12', type: 'tab', label: 'pkcs12' },
        {
          id: 'tlsp12',
          type: 'tls-config',
          name: 'p12',
          certType: 'pfx',
          p12: tls.p12,
          verifyservercert: true,
          credentials: { passphrase },
        },
        {
          id: 'devp12',
          type: 'netconf-device',
          host: '127.0.0.1',
          port: String(tls.listener.port),
          transport: 'tls',
          tls: 'tlsp12',
          connectTimeout: '5',
        },
        {
          id: 'getp12',
          type: 'netconf-get',
          z: 'tabp12',
          device: 'devp12',
          operation: 'get-config',
          source: 'running',
          output: 'object',
          wires: [],
        },
      ];
    }

    test('a device over TLS with a PKCS#12 tls-config connects as the certificate CN', async () => {
      await nodeRed.deploy(flow(PASSPHRASE));
      const status = await waitFor(
        'green status on the get node',
        () => {
          const s = comms.status.get('getp12');
          return s && s.fill === 'green' ? s : undefined;
        },
        20000,
      );
      assert.match(String(status.text), /session \d+/);
      assert.deepEqual(
        [...tls.sim.sessions.values()].map((s) => s.username),
        ['netconf'],
      );
    });

    test('the passphrase is stored encrypted in the credentials file beside the flows file', () => {
      const flows = path.join(userDir, 'flows.json');
      const creds = path.join(userDir, 'flows_cred.json');
      assert.ok(fs.existsSync(flows), 'no flows.json');
      assert.ok(fs.existsSync(creds), 'no flows_cred.json beside flows.json');
      assert.ok(!fs.readFileSync(creds, 'utf8').includes(PASSPHRASE), 'passphrase in clear text');
      assert.ok(!fs.readFileSync(flows, 'utf8').includes(PASSPHRASE), 'passphrase in the flows file');
    });

    test('a wrong passphrase turns the status red with a reason that names the PKCS#12', async () => {
      await nodeRed.deploy(flow('wrong-passphrase'));
      const status = await waitFor(
        'red status on the get node',
        () => {
          const s = comms.status.get('getp12');
          return s && s.fill === 'red' ? s : undefined;
        },
        20000,
      );
      assert.match(String(status.text), /PKCS#12|pfx/i);
      assert.ok(!nodeRed.log.includes('wrong-passphrase'), 'the passphrase reached the log');
    });
  });
