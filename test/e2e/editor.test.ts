/**
 * The editor as a user meets it: a real Node-RED with the packed package installed, the real
 * editor in headless Debian Chromium, and the device simulator as the device.
 *
 * Finds every node of ours in the palette, drags each into a flow, opens its edit dialog, fills
 * the form and sees validation react, reads its help in the sidebar; uses "Fetch" (host key) and
 * "Test connection" against the simulator; deploys with the Deploy button and sees every node's
 * status turn green. Any console error or uncaught page error at any step fails the suite.
 * Screenshots of each dialog go to E2E_SCREENSHOTS (e.g. docs/images) or dist/test/e2e/screenshots.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Browser } from './browser';
import {
  callhomeDialog,
  commitDialog,
  deviceAndGetDialog,
  editConfigDialog,
  lockDialog,
  notificationDialog,
  rpcDialog,
} from './editor-dialogs';
import type { EditorPage, EditorRed } from './editor-page';
import { openEditor, type EditorSession } from './editor-session';
import { openSidebarTab, paletteOfOurs, setDarkTheme, themeColours } from './editor-ui';
import { type NodeRed, PACKAGE_NAME, pidAlive, portClosed, processesMentioning, waitFor } from './harness';
import { ourNodeTypes, type DemoDevice } from './fixtures';
import { nodeRedTargets } from './targets';

declare const RED: EditorRed;

const OPERATION_TYPES = [
  'netconf-get',
  'netconf-edit-config',
  'netconf-commit',
  'netconf-lock',
  'netconf-rpc',
  'netconf-notification',
  'netconf-diff',
];

// The same editor tests in every Node-RED release we test (4.1 on Node 20, 5.0.x on Node 22).
for (const target of nodeRedTargets())
  describe(
    `editor in headless Chromium, Node-RED ${target.version} (Node ${target.nodeVersion})`,
    { timeout: 240000 },
    () => {
      let editor: EditorSession | undefined;
      let device: DemoDevice;
      let nr: NodeRed;
      let browser: Browser;
      let page: Page;
      let userDir: string;
      let ui: EditorPage;

      before(async () => {
        editor = await openEditor({
          prefix: `editor-${target.label}`,
          label: target.label,
          nodeRedDir: target.nodeRedDir,
          nodeBin: target.nodeBin,
          // Fetch asks in the editor's own dialog (answerFetch); a browser dialog is dismissed.
          onDialog: (d) => void d.dismiss(),
        });
        ({ device, nr, browser, page, ui, userDir } = editor);
      });

      after(() => editor?.close());

      // A failed step can leave dialogs open: cancel them so that the next test starts clean.
      afterEach(async () => {
        if (page.isClosed()) return;
        for (let i = 0; i < 4; i++) {
          const cancel = page.locator('#node-config-dialog-cancel:visible, #node-dialog-cancel:visible').last();
          if ((await cancel.count()) === 0) break;
          await cancel.click({ timeout: 5000 }).catch(() => undefined);
          await page.waitForTimeout(400);
        }
      });

      it('lists every node of ours in the palette, and the config nodes as config types', async () => {
        const types = ourNodeTypes(path.join(userDir, 'node_modules', PACKAGE_NAME));
        assert.deepEqual(types.operations.sort(), [...OPERATION_TYPES].sort());
        for (const t of types.operations) {
          await page.locator(`.red-ui-palette-node[data-palette-type='${t}']`).waitFor({ state: 'attached' });
        }
        for (const t of types.config) {
          const category = await page.evaluate((type) => RED.nodes.getType(type)?.category, t);
          assert.equal(category, 'config', t);
        }
        await ui.shot('palette', paletteOfOurs(page, target.label));
      });

      it('get: add a device with Fetch and Test connection, see validation react, read the help', () =>
        deviceAndGetDialog(ui));

      it('edit-config: transaction and confirmed options, timeout validation', () => editConfigDialog(ui));

      it('commit: confirmed-commit shows its fields and validates the timeout', () => commitDialog(ui));

      it('lock: operation and target', () => lockDialog(ui));

      it('rpc: the XML editor, and the label follows the RPC name', () => rpcDialog(ui));

      it('notification: stream, filter and start-time validation', () => notificationDialog(ui));

      it('call home: a listener added from a call-home device, port validation', () => callhomeDialog(ui));

      it('deploys from the Deploy button and every node turns green with a session', async () => {
        await page.locator('#red-ui-header-button-deploy').click();
        await page.getByText('Successfully deployed').first().waitFor();
        for (const [type, id] of ui.placed) {
          await waitFor(
            `${type} status green`,
            async () => (await ui.workspaceNode(id).locator('.red-ui-flow-node-status-dot-green').count()) > 0,
            20000,
          );
          const text = await ui.workspaceNode(id).locator('.red-ui-flow-node-status-label').textContent();
          assert.match(text ?? '', /session \d+/, `${type} status text`);
        }
        // Operation nodes share one session; the notification node has one of its own.
        assert.ok(device.started.length >= 2, `simulator saw ${device.started.length} sessions`);
        // Deploy mentions the unused call-home listener: close the notification before the picture.
        const close = page.locator('.red-ui-notification button:has-text("Close")');
        if (await close.count()) await close.first().click();
        await page
          .locator('.red-ui-notification')
          .first()
          .waitFor({ state: 'detached' })
          .catch(() => undefined);
        await page.mouse.click(700, 700); // deselect
        const box = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
        await page.screenshot({
          path: ui.shotFile('flow-deployed'),
          clip: { x: box.x, y: box.y, width: 620, height: 420 },
        });
      });

      // Node-RED 5 has a dark theme beside the light one: both must keep our nodes readable.
      if (target.label !== '4.1')
        it('dark and light theme: our palette entries and status texts stay readable', async () => {
          const light = await themeColours(page);
          await setDarkTheme(page, true);
          try {
            const dark = await themeColours(page);
            assert.notEqual(dark.workspace, light.workspace, 'the dark theme did not change the workspace');
            for (const [theme, c] of Object.entries({ light, dark })) {
              assert.ok(c.paletteContrast >= 3, `${theme}: palette label contrast ${c.paletteContrast.toFixed(2)}`);
              assert.ok(c.statusContrast >= 3, `${theme}: status text contrast ${c.statusContrast.toFixed(2)}`);
            }
            await ui.shot('palette-dark', paletteOfOurs(page, target.label));
            const box = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
            await page.screenshot({
              path: ui.shotFile('flow-deployed-dark'),
              clip: { x: box.x, y: box.y, width: 620, height: 420 },
            });
          } finally {
            await setDarkTheme(page, false);
          }
        });

      it('imports the quick-start example from Import > Examples, points it at the device, deploys, sees the result in Debug', async () => {
        await page.locator('#red-ui-header-button-sidemenu').click();
        await page.locator('#menu-item-import').click();
        await page.locator('a[href="#red-ui-clipboard-dialog-import-tab-examples"]').click();
        const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
        await tab.getByText(PACKAGE_NAME, { exact: true }).click();
        await tab.getByText('01-quick-start-get-config', { exact: true }).click();
        await page.locator('#red-ui-clipboard-dialog-import-opt-new').click();
        await page.locator('#red-ui-clipboard-dialog-ok').click();
        // Imported nodes follow the mouse until a click drops them.
        await page.mouse.move(500, 300);
        await page.mouse.click(500, 300);
        const imported = await waitFor('the imported get node', () =>
          page.evaluate(() => {
            let found = '';
            RED.nodes.eachNode((n) => {
              if (n.type === 'netconf-get' && n.z === RED.workspaces.active() && !n.filter) found = n.id;
            });
            return found;
          }),
        );
        await page.evaluate((nid) => RED.view.reveal(nid), imported);
        await page.waitForTimeout(500);
        await ui.openEditor(imported);
        // The example's device: this Node-RED's device has another port, credentials and host key.
        await page.locator('#node-input-btn-device-edit').click();
        await page.locator('#node-config-input-host').waitFor({ state: 'visible' });
        await page.waitForTimeout(400);
        await ui.fillAndLeave('#node-config-input-port', String(device.sim.port));
        await page.locator('#node-config-input-username').fill(device.username);
        await page.locator('#node-config-input-password').fill(device.password);
        await page.locator('#netconf-device-fetch').click();
        await ui.answerFetch(true);
        await waitFor(
          'the pinned fingerprint',
          async () =>
            (await page.locator('#node-config-input-hostFingerprint').inputValue()) === device.sim.hostFingerprint,
        );
        await page.locator('#node-config-dialog-ok').click();
        await page.locator('#node-config-input-host').waitFor({ state: 'detached' });
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });

        await openSidebarTab(page, target.label, 'debug');
        await page.locator('#red-ui-header-button-deploy').click();
        await page.getByText('Successfully deployed').first().waitFor();
        await waitFor(
          'the imported get node green',
          async () => (await ui.workspaceNode(imported).locator('.red-ui-flow-node-status-dot-green').count()) > 0,
          20000,
        );
        // "read config" fires once after the deploy; its result shows in the Debug sidebar.
        const msg = page.locator('.red-ui-debug-msg').filter({ hasText: 'running config' }).first();
        await msg.waitFor({ timeout: 20000 });
        assert.match((await msg.textContent()) ?? '', /interfaces/);
        const close = page.locator('.red-ui-notification button:has-text("Close")');
        if (await close.count()) await close.first().click();
        await msg
          .locator('.red-ui-debug-msg-expandable')
          .first()
          .click()
          .catch(() => undefined);
        await page.mouse.click(700, 900); // deselect
        await page.waitForTimeout(500);
        await ui.shot('example-quick-start');
      });

      it('had no console error or uncaught page error at any step', () => {
        assert.deepEqual(browser.problems, []);
      });

      it('stopping Node-RED closes every session with <close-session> and leaves no process or port', async () => {
        await browser.close();
        const pid = nr.proc?.pid;
        await nr.stop();
        assert.equal(pidAlive(pid), false, 'node-red is still running');
        assert.ok(await portClosed(nr.port), `port ${nr.port} is still open`);
        assert.ok(await portClosed(ui.callhomePort), `call home port ${ui.callhomePort} is still open`);
        assert.deepEqual(processesMentioning(userDir), []);
        await waitFor('every session to end', () => device.started.every((id) => device.ended.has(id)), 5000);
        for (const id of device.started) {
          const end = device.ended.get(id)!;
          assert.ok(end.closeSession, `session ${id} ended without <close-session>: ${JSON.stringify(end)}`);
        }
      });
    },
  );
