/**
 * The SSH transport's input goes through the process's input pacer (src/transport/input-pacer.ts):
 * a session's bytes are counted there, 40 handshakes at once to simulators in another process all
 * complete and answer, and once they are done nothing is left waiting in the pacer's line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh, Manager } from '../../src';
import { inputPacer } from '../../src/transport/input-pacer';
import { startFleet } from '../helpers/fleet-process';

test(
  'SSH sessions read through the input pacer; 40 handshakes at once all open and answer',
  { timeout: 60000 },
  async () => {
    const fleet = await startFleet(40);
    try {
      const options = (i: number) => ({
        host: fleet.devices[i].host,
        port: fleet.devices[i].port,
        username: 'admin',
        password: 'admin',
        hostFingerprint: fleet.devices[i].hostFingerprint,
        timeout: 30,
      });
      const before = inputPacer.received;
      const one = new Manager(await connectSsh(options(0)));
      assert.ok(inputPacer.received > before, 'the session bytes came through the pacer');
      await one.closeSession();

      const managers = await Promise.all(fleet.devices.map(async (_, i) => new Manager(await connectSsh(options(i)))));
      const replies = await Promise.all(managers.map((m) => m.getConfig({ source: 'running' })));
      assert.equal(replies.length, 40);
      assert.ok(replies.every((r) => r.dataXml.length > 0));
      await Promise.all(managers.map((m) => m.closeSession()));
      assert.equal((await fleet.stats()).getConfigs, 40);
      assert.equal(inputPacer.waiting, 0, 'nothing left in the line');
    } finally {
      await fleet.stop();
    }
  },
);
