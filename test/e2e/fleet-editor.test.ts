/**
 * Test connection on a fleet device in the real editor (packed package, real Node-RED 4.1,
 * headless Chromium): a fleet device (Host empty) shows a "Try" row instead of asking through a
 * browser prompt. With the row empty Test connection says what is missing and opens no session;
 * with a host:port it tries that device with the form's credentials (refused with the key the
 * server presented when nothing pins it, "session N" once its key is given), and the try values
 * are not saved with the node. No browser dialog opens at any step, no console error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Browser } from './browser';
import type { EditorPage, EditorRed } from './editor-page';
import { openEditor, type EditorSession } from './editor-session';
import type { DemoDevice } from './fixtures';
import { waitFor } from './harness';

declare const RED: EditorRed;

describe('fleet device: Test connection in the editor', { timeout: 240000 }, () => {
  let editor: EditorSession | undefined;
  let device: DemoDevice;
  let browser: Browser;
  let page: Page;
  let ui: EditorPage;
  const dialogs: string[] = [];

  before(async () => {
    editor = await openEditor({
      prefix: 'fleet-editor',
      label: '4.1',
      onDialog: (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      },
    });
    ({ device, browser, page, ui } = editor);
  });
  after(() => editor?.close());

  /** Clicks Test connection and returns the result text once it is not "Connecting...". */
  async function test(): Promise<string> {
    const result = page.locator('#netconf-device-result');
    // the click handler shows "Connecting..." (or the missing-host answer) before click() returns
    await page.locator('#netconf-device-test').click();
    return waitFor('the test result', async () => {
      const text = (await result.textContent()) ?? '';
      return text !== '' && !/Connecting/.test(text) ? text : '';
    });
  }

  it('tries the host of the Try row; empty, it says so; nothing is saved; no browser dialog', async () => {
    const id = await ui.dragIn('netconf-get', 220, 80);
    await ui.openEditor(id);
    await page.locator('#node-input-btn-device-add').click();
    await page.locator('#node-config-input-host').waitFor({ state: 'visible' });
    await page.waitForTimeout(400);
    await ui.fillAndLeave('#node-config-input-name', 'lab fleet');
    await page.locator('#node-config-input-username').fill(device.username);
    await page.locator('#node-config-input-password').fill(device.password);
    assert.ok(await page.locator('#netconf-device-test-host').isVisible(), 'the Try row shows for a fleet');

    const sessionsBefore = device.started.length;
    assert.match(await test(), /fleet device \(Host empty\): enter a host to try/);
    assert.equal(device.started.length, sessionsBefore, 'no session opened without a host to try');
    assert.equal(await page.locator('#netconf-device-test-host:focus').count(), 1, 'the Try host field has the focus');

    // Nothing pins the simulator's key: refused, showing the key it presented.
    await page.locator('#netconf-device-test-host').fill(`127.0.0.1:${device.sim.port}`);
    const refused = await test();
    assert.ok(refused.includes(device.sim.hostFingerprint), refused);
    assert.equal(device.started.length, sessionsBefore, 'no NETCONF session with an unverified key');

    await page.locator('#netconf-device-test-fingerprint').fill(device.sim.hostFingerprint);
    const ok = await test();
    assert.match(ok, /session \d+/);
    assert.match(ok, /urn:ietf:params:netconf:base:1\.1/);
    await waitFor('the test session closed', () => {
      const last = device.started[device.started.length - 1];
      return device.started.length === sessionsBefore + 1 && device.ended.get(last)?.closeSession === true;
    });
    await ui.shot('fleet-device-test', ui.tray());

    // A Host makes a single device: no Try row. Emptied again, the device stays a fleet.
    await ui.fillAndLeave('#node-config-input-host', '127.0.0.1');
    assert.equal(await page.locator('#netconf-device-test-host').isVisible(), false, 'Try row hidden with a Host');
    await ui.fillAndLeave('#node-config-input-host', '');
    assert.ok(await page.locator('#netconf-device-test-host').isVisible());

    await page.locator('#node-config-dialog-ok').click();
    await page.locator('#node-config-input-host').waitFor({ state: 'detached' });
    const deviceId = await page.locator('#node-input-device').inputValue();
    const saved = await page.evaluate((d) => {
      const n = RED.nodes.node(d);
      return JSON.stringify(Object.entries(n).filter(([, v]) => typeof v !== 'object' && typeof v !== 'function'));
    }, deviceId);
    assert.match(saved, /lab fleet/);
    assert.doesNotMatch(saved, new RegExp(`${device.sim.port}|SHA256|test(Host|Port|Fingerprint)`), saved);
    await page.locator('#node-dialog-cancel').click();

    assert.deepEqual(dialogs, [], 'no browser dialog (prompt/confirm/alert)');
    assert.deepEqual(browser.problems, [], 'no console error, page error or failed request');
  });
});
