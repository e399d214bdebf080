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
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, screenshotDir, type Browser } from './browser';
import {
  createUserDir,
  freePort,
  NodeRed,
  PACKAGE_NAME,
  pidAlive,
  portClosed,
  processesMentioning,
  waitFor,
} from './harness';
import { ourNodeTypes, startDemoDevice, type DemoDevice } from './fixtures';
import { nodeRedTargets } from './targets';
import { openSidebarTab, paletteOfOurs, setDarkTheme, themeColours } from './editor-ui';

const OPERATION_TYPES = [
  'netconf-get',
  'netconf-edit-config',
  'netconf-commit',
  'netconf-lock',
  'netconf-rpc',
  'netconf-notification',
];

// The same editor tests in every Node-RED release we test (4.1 on Node 20, 5.0.x on Node 22).
for (const target of nodeRedTargets())
  describe(
    `editor in headless Chromium, Node-RED ${target.version} (Node ${target.nodeVersion})`,
    { timeout: 240000 },
    () => {
      let device: DemoDevice;
      let nr: NodeRed;
      let browser: Browser;
      let page: Page;
      let userDir: string;
      let shots: string;
      let callhomePort = 0;
      const placed = new Map<string, string>(); // type -> node id in the workspace
      let deviceId = '';

      before(async () => {
        device = await startDemoDevice();
        ({ userDir } = createUserDir(`editor-${target.label}`));
        nr = new NodeRed({ userDir, nodeRedDir: target.nodeRedDir, nodeBin: target.nodeBin });
        await nr.start();
        browser = await launchBrowser();
        page = browser.page;
        shots = screenshotDir();
        page.on('dialog', (d) => {
          // The host key "Fetch" asks the user to confirm the fingerprint before pinning it.
          if (d.type() === 'confirm' && d.message().includes(device.sim.hostFingerprint)) void d.accept();
          else void d.dismiss();
        });
        await page.goto(nr.url);
        await page.locator(".red-ui-palette-node[data-palette-type='inject']").waitFor({ timeout: 60000 });
      });

      after(async () => {
        await browser?.close();
        await nr?.stop();
        await device?.close();
        if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
      });

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

      /** 4.1's pictures keep the names the README uses; other releases' get a prefix (`nr5-`). */
      function shotFile(name: string): string {
        return path.join(shots, `${target.label === '4.1' ? '' : `nr${target.label}-`}${name}.png`);
      }

      async function shot(name: string, part?: Locator): Promise<void> {
        const file = shotFile(name);
        if (part) await part.screenshot({ path: file });
        else await page.screenshot({ path: file });
      }

      /** The top-most edit tray (config dialogs open over the node's dialog). */
      function tray(): Locator {
        return page.locator('.red-ui-tray').last();
      }

      async function hasInputError(selector: string): Promise<boolean> {
        const classes = (await page.locator(selector).getAttribute('class')) ?? '';
        return classes.split(/\s+/).includes('input-error');
      }

      async function fillAndLeave(selector: string, value: string): Promise<void> {
        const field = page.locator(selector);
        await field.fill(value);
        await field.press('Tab');
      }

      /** Drags a palette entry into the workspace; returns the new node's id. */
      async function dragIn(type: string, x: number, y: number): Promise<string> {
        const before = await page.evaluate(() => {
          const ids: string[] = [];
          RED.nodes.eachNode((n: { id: string }) => void ids.push(n.id));
          return ids;
        });
        const entry = page.locator(`.red-ui-palette-node[data-palette-type='${type}']`);
        await entry.scrollIntoViewIfNeeded();
        await entry.dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: { x, y } });
        const id = await waitFor(`${type} in the workspace`, () =>
          page.evaluate(
            ({ t, known }) => {
              let found = '';
              RED.nodes.eachNode((n: { id: string; type: string }) => {
                if (n.type === t && !known.includes(n.id)) found = n.id;
              });
              return found;
            },
            { t: type, known: before },
          ),
        );
        return id;
      }

      function workspaceNode(id: string): Locator {
        return page.locator(`g.red-ui-flow-node-group[id="${id}"]`);
      }

      async function openEditor(id: string): Promise<void> {
        await workspaceNode(id).locator('rect.red-ui-flow-node').dblclick();
        await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
        await page.waitForTimeout(400); // the tray slides in
      }

      /** Opens the help of the node being edited in the sidebar and checks its first paragraph. */
      async function checkHelp(type: string): Promise<void> {
        await tray().locator('.red-ui-tray-footer-left button:has(i.fa-book)').click();
        const first = firstHelpParagraph(type);
        await page.locator('.red-ui-help:visible').getByText(first.slice(0, 60)).first().waitFor({ state: 'visible' });
      }

      function firstHelpParagraph(type: string): string {
        const html = fs.readFileSync(path.join(userDir, 'node_modules', PACKAGE_NAME, helpFileOf(type)), 'utf8');
        const section = html.split(`data-help-name="${type}"`)[1];
        assert.ok(section, `no help for ${type}`);
        const p = /<p>([\s\S]*?)<\/p>/.exec(section);
        assert.ok(p, `the help of ${type} has no paragraph`);
        return p[1]
          .replace(/<[^>]+>/g, '')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&')
          .replace(/\s+/g, ' ')
          .trim();
      }

      function helpFileOf(type: string): string {
        const pkg = JSON.parse(
          fs.readFileSync(path.join(userDir, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'),
        ) as {
          'node-red': { nodes: Record<string, string> };
        };
        for (const file of Object.values(pkg['node-red'].nodes)) {
          const html = file.replace(/\.js$/, '.html');
          if (
            fs
              .readFileSync(path.join(userDir, 'node_modules', PACKAGE_NAME, html), 'utf8')
              .includes(`data-help-name="${type}"`)
          )
            return html;
        }
        throw new Error(`no editor file declares ${type}`);
      }

      /** Node-RED 4.1 leaves a new node's config select at "none": pick the device, as a user does. */
      async function chooseDevice(): Promise<void> {
        assert.ok(await hasInputError('#node-input-device'), 'the device select is not marked while none is chosen');
        await page.locator('#node-input-device').selectOption(deviceId);
        assert.equal(await hasInputError('#node-input-device'), false);
      }

      async function chooseTypedInput(input: string, type: string): Promise<void> {
        const container = page.locator(`${input} + .red-ui-typedInput-container`);
        await container.locator('button.red-ui-typedInput-type-select').click();
        await page.locator(`.red-ui-typedInput-options:visible a[value="${type}"]`).click();
      }

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
        await shot('palette', paletteOfOurs(page, target.label));
      });

      it('get: add a device with Fetch and Test connection, see validation react, read the help', async () => {
        const id = await dragIn('netconf-get', 220, 80);
        placed.set('netconf-get', id);
        await openEditor(id);
        // No device yet: the required device select is marked.
        assert.ok(await hasInputError('#node-input-device'), 'device select not marked while empty');
        await checkHelp('netconf-get');

        // The device config dialog.
        await page.locator('#node-input-btn-device-add').click();
        await page.locator('#node-config-input-host').waitFor({ state: 'visible' });
        await page.waitForTimeout(400);
        assert.ok(await hasInputError('#node-config-input-host'), 'empty host not marked');
        await fillAndLeave('#node-config-input-name', 'demo device');
        await fillAndLeave('#node-config-input-host', '127.0.0.1');
        assert.equal(await hasInputError('#node-config-input-host'), false);
        await fillAndLeave('#node-config-input-port', 'eight-thirty');
        assert.ok(await hasInputError('#node-config-input-port'), 'non-numeric port not marked');
        await fillAndLeave('#node-config-input-port', String(device.sim.port));
        assert.equal(await hasInputError('#node-config-input-port'), false);
        assert.ok(
          await page.locator('#node-config-input-verifyHostKey').isChecked(),
          'host key verification is not on by default',
        );
        await checkHelp('netconf-device');

        // Fetch the host key: the user confirms the fingerprint (see the dialog handler) and it is pinned.
        await page.locator('#netconf-device-fetch').click();
        await waitFor(
          'the pinned fingerprint',
          async () =>
            (await page.locator('#node-config-input-hostFingerprint').inputValue()) === device.sim.hostFingerprint,
        );
        await page.locator('#netconf-device-result').getByText(device.sim.hostFingerprint).waitFor();

        // Test connection with a wrong password shows the error; with the right one, the capabilities.
        await page.locator('#node-config-input-username').fill(device.username);
        await page.locator('#node-config-input-password').fill('not-the-password');
        await page.locator('#netconf-device-test').click();
        await waitFor('the authentication error', async () => {
          const text = (await page.locator('#netconf-device-result').textContent()) ?? '';
          return text !== '' && !/Connecting/.test(text) ? text : '';
        });
        const failed = (await page.locator('#netconf-device-result').textContent()) ?? '';
        assert.match(failed, /auth|denied|password|permission/i);
        assert.doesNotMatch(failed, /urn:ietf:params:netconf:base/);

        await page.locator('#node-config-input-password').fill(device.password);
        await page.locator('#netconf-device-test').click();
        const result = page.locator('#netconf-device-result');
        await result.getByText('urn:ietf:params:netconf:base:1.1').waitFor();
        assert.match((await result.textContent()) ?? '', /session \d+/);
        assert.match((await result.textContent()) ?? '', /urn:ietf:params:netconf:capability:candidate:1\.0/);
        await shot('netconf-device-dialog', tray());
        await page.locator('#node-config-dialog-ok').click();
        await page.locator('#node-config-input-host').waitFor({ state: 'detached' });

        deviceId = await page.locator('#node-input-device').inputValue();
        assert.notEqual(deviceId, '_ADD_');
        assert.equal(await hasInputError('#node-input-device'), false);

        // The get form: a subtree filter.
        await page.locator('#node-input-operation').selectOption('get-config');
        await page.locator('#node-input-source').selectOption('running');
        await chooseTypedInput('#node-input-filter', 'xpath');
        assert.ok(
          await page.locator('.netconf-get-namespaces').first().isVisible(),
          'XPath did not show the namespaces row',
        );
        await chooseTypedInput('#node-input-filter', 'subtree');
        assert.equal(await page.locator('.netconf-get-namespaces').first().isVisible(), false);
        const filterInput = page.locator(
          '#node-input-filter + .red-ui-typedInput-container input.red-ui-typedInput-input',
        );
        await filterInput.fill('<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>');
        await filterInput.press('Home');
        await shot('netconf-get-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
        const saved = await page.evaluate((nid) => {
          const n = RED.nodes.node(nid);
          return { device: n.device, filter: n.filter, filterType: n.filterType, valid: n.valid };
        }, id);
        assert.deepEqual(saved, {
          device: deviceId,
          filter: '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>',
          filterType: 'subtree',
          valid: true,
        });
      });

      it('edit-config: transaction and confirmed options, timeout validation', async () => {
        const id = await dragIn('netconf-edit-config', 220, 160);
        placed.set('netconf-edit-config', id);
        await openEditor(id);
        await chooseDevice();
        await page.locator('#node-input-transaction').check();
        assert.equal(
          await page.locator('.netconf-edit-target').first().isVisible(),
          false,
          'target still shown for a transaction',
        );
        await page.locator('#node-input-confirmed').check();
        await page.locator('#node-input-confirmTimeout').waitFor({ state: 'visible' });
        await fillAndLeave('#node-input-confirmTimeout', 'soon');
        assert.ok(await hasInputError('#node-input-confirmTimeout'), 'non-numeric confirm timeout not marked');
        await fillAndLeave('#node-input-confirmTimeout', '120');
        assert.equal(await hasInputError('#node-input-confirmTimeout'), false);
        await page.locator('#node-input-name').fill('apply change');
        await checkHelp('netconf-edit-config');
        await shot('netconf-edit-config-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
        const saved = await page.evaluate((nid) => {
          const n = RED.nodes.node(nid);
          return {
            transaction: n.transaction,
            confirmed: n.confirmed,
            confirmTimeout: n.confirmTimeout,
            valid: n.valid,
          };
        }, id);
        assert.deepEqual(saved, { transaction: true, confirmed: true, confirmTimeout: '120', valid: true });
      });

      it('commit: confirmed-commit shows its fields and validates the timeout', async () => {
        const id = await dragIn('netconf-commit', 220, 240);
        placed.set('netconf-commit', id);
        await openEditor(id);
        await chooseDevice();
        await page.locator('#node-input-operation').selectOption('confirmed-commit');
        await page.locator('#node-input-confirmTimeout').waitFor({ state: 'visible' });
        await fillAndLeave('#node-input-confirmTimeout', 'abc');
        assert.ok(await hasInputError('#node-input-confirmTimeout'));
        await fillAndLeave('#node-input-confirmTimeout', '300');
        assert.equal(await hasInputError('#node-input-confirmTimeout'), false);
        await page.locator('#node-input-operation').selectOption('validate');
        assert.ok(await page.locator('.netconf-commit-source').first().isVisible(), 'validate did not show the source');
        assert.equal(await page.locator('.netconf-commit-confirmed').first().isVisible(), false);
        await page.locator('#node-input-operation').selectOption('commit');
        await checkHelp('netconf-commit');
        await shot('netconf-commit-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
        assert.equal(await page.evaluate((nid) => RED.nodes.node(nid).operation, id), 'commit');
      });

      it('lock: operation and target', async () => {
        const id = await dragIn('netconf-lock', 220, 320);
        placed.set('netconf-lock', id);
        await openEditor(id);
        await chooseDevice();
        await page.locator('#node-input-operation').selectOption('lock');
        await page.locator('#node-input-target').selectOption('candidate');
        await checkHelp('netconf-lock');
        await shot('netconf-lock-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
        const label = await workspaceNode(id).locator('.red-ui-flow-node-label').textContent();
        assert.match(label ?? '', /lock candidate/);
      });

      it('rpc: the XML editor, and the label follows the RPC name', async () => {
        const id = await dragIn('netconf-rpc', 460, 80);
        placed.set('netconf-rpc', id);
        await openEditor(id);
        await chooseDevice();
        const rpc =
          '<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring">\n  <identifier>ietf-interfaces</identifier>\n</get-schema>';
        await page.locator('#node-input-rpc-editor').click();
        await page.keyboard.insertText(rpc);
        await page.keyboard.press('Control+Home');
        await checkHelp('netconf-rpc');
        await shot('netconf-rpc-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
        // The editor indents as it goes: compare without the whitespace between elements.
        const squeeze = (x: string): string => x.replace(/>\s+</g, '><').trim();
        assert.equal(squeeze(String(await page.evaluate((nid) => RED.nodes.node(nid).rpc, id))), squeeze(rpc));
        assert.equal((await workspaceNode(id).locator('.red-ui-flow-node-label').textContent())?.trim(), 'get-schema');
      });

      it('notification: stream, filter and start-time validation', async () => {
        const id = await dragIn('netconf-notification', 460, 160);
        placed.set('netconf-notification', id);
        await openEditor(id);
        await chooseDevice();
        await page.locator('#node-input-stream').fill('NETCONF');
        await fillAndLeave('#node-input-startTime', 'yesterday-ish');
        assert.ok(await hasInputError('#node-input-startTime'), 'a start time that is no date not marked');
        await fillAndLeave('#node-input-startTime', '');
        assert.equal(await hasInputError('#node-input-startTime'), false);
        await chooseTypedInput('#node-input-filter', 'xpath');
        assert.ok(await page.locator('.netconf-notification-namespaces').first().isVisible());
        await chooseTypedInput('#node-input-filter', 'none');
        await checkHelp('netconf-notification');
        await shot('netconf-notification-dialog', tray());
        await page.locator('#node-dialog-ok').click();
        await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
      });

      it('call home: a listener added from a call-home device, port validation', async () => {
        const getId = placed.get('netconf-get')!;
        await openEditor(getId);
        await page.locator('#node-input-btn-device-add').click();
        await page.locator('#node-config-input-transport').waitFor({ state: 'visible' });
        await page.waitForTimeout(400);
        await page.locator('#node-config-input-transport').selectOption('callhome-ssh');
        assert.equal(await page.locator('#node-config-input-host').isVisible(), false, 'host shown for call home');
        assert.equal(await hasInputError('#node-config-input-host'), false, 'host required for call home');
        await page.locator('#node-config-input-btn-callhome-add').click();
        await page.locator('#node-config-input-bindTo').waitFor({ state: 'visible' });
        await page.waitForTimeout(400);
        callhomePort = await freePort();
        await fillAndLeave('#node-config-input-bindTo', '127.0.0.1');
        await fillAndLeave('#node-config-input-port', 'x');
        assert.ok(await hasInputError('#node-config-input-port'));
        await fillAndLeave('#node-config-input-port', String(callhomePort));
        assert.equal(await hasInputError('#node-config-input-port'), false);
        await checkHelp('netconf-callhome');
        await shot('netconf-callhome-dialog', tray());
        await page.locator('#node-config-dialog-ok').last().click();
        await page.locator('#node-config-input-bindTo').waitFor({ state: 'detached' });
        // The call-home device pins the device's host key.
        await page.locator('#node-config-input-hostFingerprint').fill(device.sim.hostFingerprint);
        await fillAndLeave('#node-config-input-name', 'call-home device');
        await shot('netconf-device-callhome-dialog', tray());
        await page.locator('#node-config-dialog-cancel').click();
        await page.locator('#node-config-input-transport').waitFor({ state: 'detached' });
        await page.locator('#node-dialog-cancel').click();
        await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
        assert.equal(
          await page.evaluate((nid) => RED.nodes.node(nid).device, getId),
          deviceId,
          'cancel changed the get node',
        );
      });

      it('deploys from the Deploy button and every node turns green with a session', async () => {
        await page.locator('#red-ui-header-button-deploy').click();
        await page.getByText('Successfully deployed').first().waitFor();
        for (const [type, id] of placed) {
          await waitFor(
            `${type} status green`,
            async () => (await workspaceNode(id).locator('.red-ui-flow-node-status-dot-green').count()) > 0,
            20000,
          );
          const text = await workspaceNode(id).locator('.red-ui-flow-node-status-label').textContent();
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
          path: shotFile('flow-deployed'),
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
            await shot('palette-dark', paletteOfOurs(page, target.label));
            const box = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
            await page.screenshot({
              path: shotFile('flow-deployed-dark'),
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
        await openEditor(imported);
        // The example's device: this Node-RED's device has another port, credentials and host key.
        await page.locator('#node-input-btn-device-edit').click();
        await page.locator('#node-config-input-host').waitFor({ state: 'visible' });
        await page.waitForTimeout(400);
        await fillAndLeave('#node-config-input-port', String(device.sim.port));
        await page.locator('#node-config-input-username').fill(device.username);
        await page.locator('#node-config-input-password').fill(device.password);
        await page.locator('#netconf-device-fetch').click();
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
          async () => (await workspaceNode(imported).locator('.red-ui-flow-node-status-dot-green').count()) > 0,
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
        await shot('example-quick-start');
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
        assert.ok(await portClosed(callhomePort), `call home port ${callhomePort} is still open`);
        assert.deepEqual(processesMentioning(userDir), []);
        await waitFor('every session to end', () => device.started.every((id) => device.ended.has(id)), 5000);
        for (const id of device.started) {
          const end = device.ended.get(id)!;
          assert.ok(end.closeSession, `session ${id} ended without <close-session>: ${JSON.stringify(end)}`);
        }
      });
    },
  );

/**
 * The editor's global, as far as these tests use it. The page.evaluate callbacks run in the
 * browser, where Node-RED's editor defines RED; this declares the part of it the tests read.
 */
interface EditorNode {
  id: string;
  type: string;
  z: string;
  [property: string]: unknown;
}
declare const RED: {
  nodes: {
    eachNode(visit: (n: EditorNode) => void): void;
    node(id: string): EditorNode;
    getType(type: string): { category: string } | undefined;
  };
  workspaces: { active(): string };
  view: { reveal(id: string): void };
};
