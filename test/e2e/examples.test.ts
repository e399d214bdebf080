/**
 * Every example, the way a new user meets it: `npm start` (scripts/start.js with a temp user dir
 * and free ports; its demo device and demo fleet, flows and credentials), the editor in headless
 * Chromium, Menu > Import > Examples > <example> onto a new tab, Deploy, press its buttons, and
 * check what it produces (examples-table.ts: one row per example, a missing row fails). The
 * imported example must reuse the demo's configured device (a1b2c3d4e5f60001, fleet
 * a1b2c3d4e5f60002): no second "demo device" without credentials may appear. Run on every
 * Node-RED release of targets.ts (4.1 on Node 20, 5.0.x on Node 22).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { connectSsh, Manager } from '../../src/index';
import { launchBrowser, screenshotDir, type Browser } from './browser';
import { Comms } from './comms';
import { Demo } from './demo';
import type { EditorNode } from './editor-page';
import { openSidebarTab } from './editor-ui';
import { EXAMPLE_CHECKS, type ExampleRun } from './examples-table';
import {
  clearDebugSidebar,
  deployFromEditor,
  configNodes,
  type ConfigNode,
  frameForPicture,
  importExample,
  type ImportedExample,
} from './examples-import';
import { pidAlive, portClosed, ROOT, waitFor } from './harness';
import { nodeRedTargets } from './targets';

const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const DEMO_DEVICE = 'a1b2c3d4e5f60001';
const DEMO_FLEET = 'a1b2c3d4e5f60002';

/** The example file's nodes (for its config node ids and catch wiring). */
function exampleFile(name: string): (EditorNode & { wires?: string[][] })[] {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', `${name}.json`), 'utf8')) as (EditorNode & {
    wires?: string[][];
  })[];
}

for (const target of nodeRedTargets())
  describe(
    `examples imported into the npm start demo, Node-RED ${target.version} (Node ${target.nodeVersion})`,
    { timeout: 420000 },
    () => {
      let demo: Demo;
      let comms: Comms;
      let browser: Browser;
      let page: Page;
      let mgr: Manager;
      /** The demo's config nodes before any import (its device, fleet, MQTT broker...). */
      let demoConfig: ConfigNode[] = [];
      /** Config nodes the editor has so far (the demo's, then those the examples brought). */
      let knownConfig: ConfigNode[] = [];
      /** The examples imported so far: a row may press a button of an example imported before its own. */
      const importedSoFar: ImportedExample[] = [];
      /** The rows' `after`s, run when the suite ends. */
      const cleanups: (() => Promise<void>)[] = [];

      before(async () => {
        demo = new Demo({
          nodeBin: target.nodeBin,
          nodeRedDir: target.label === '4.1' ? undefined : target.nodeRedDir,
        });
        await demo.start();
        comms = new Comms();
        await comms.open(demo.editorPort);
        const session = await connectSsh({
          host: '127.0.0.1',
          port: demo.devicePort,
          username: 'admin',
          password: 'admin',
          hostFingerprint: demo.fingerprint,
        });
        mgr = new Manager(session);
        browser = await launchBrowser();
        page = browser.page;
        page.on('dialog', (d) => void d.dismiss());
        await page.goto(demo.url);
        await page.locator(".red-ui-palette-node[data-palette-type='inject']").waitFor({ timeout: 60000 });
        await openSidebarTab(page, target.label, 'debug');
        demoConfig = await configNodes(page);
        knownConfig = demoConfig;
      });

      after(async () => {
        await mgr?.close().catch(() => undefined);
        comms?.close();
        await browser?.close();
        await demo?.stop();
        for (const undo of cleanups) await undo().catch(() => undefined);
      });

      it('the demo has its configured device and fleet, each once', () => {
        const devices = demoConfig.filter((n) => n.type === 'netconf-device').map((n) => n.id);
        assert.deepEqual(devices, [DEMO_DEVICE, DEMO_FLEET]);
      });

      /** What a table row drives: the imported copy's inject and debug nodes, found by name. */
      function exampleRun(imported: ImportedExample): ExampleRun {
        // This example's tab first, then the tabs imported before it, the latest first.
        const tabs = [imported, ...importedSoFar.filter((i) => i !== imported).reverse()];
        const idOf = (type: string, name: string): string => {
          const n = tabs.flatMap((t) => t.nodes).find((x) => x.type === type && x.name === name);
          assert.ok(n, `no ${type} named "${name}" on the imported tabs`);
          return n.id;
        };
        return {
          userDir: demo.userDir,
          url: demo.url,
          inject: async (name) => {
            const r = await fetch(`${demo.url}/inject/${idOf('inject', name)}`, { method: 'POST' });
            assert.equal(r.status, 200, `inject "${name}": ${r.status}`);
          },
          debug: async (name, count, timeoutMs = 20000) => {
            const id = idOf('debug', name);
            await waitFor(
              `${count} message(s) at debug "${name}"`,
              () => comms.debugFrom(id).length >= count,
              timeoutMs,
            );
            return comms.debugFrom(id).map((d) => d.raw.msg);
          },
          status: async (type, name, text, timeoutMs = 20000) => {
            const id = idOf(type, name);
            await waitFor(
              `${type} "${name}" status ${String(text)}`,
              () => text.test(comms.status.get(id)?.text ?? ''),
              timeoutMs,
            );
          },
          running: async () => (await mgr.getConfig({ source: 'running' })).dataXml ?? '',
          editRunning: async (config) => void (await mgr.editConfig(config, { target: 'running' })),
        };
      }

      /** Messages that reached a debug node wired from one of the tab's catch nodes. */
      function caught(name: string, imported: ImportedExample): string[] {
        const file = exampleFile(name);
        const catchTargets = file.filter((n) => n.type === 'catch').flatMap((n) => (n.wires ?? []).flat());
        const names = file.filter((n) => catchTargets.includes(n.id) && n.type === 'debug').map((n) => n.name);
        return imported.nodes
          .filter((n) => n.type === 'debug' && names.includes(n.name))
          .flatMap((n) => comms.debugFrom(n.id).map((d) => `${String(n.name)}: ${d.raw.msg}`));
      }

      for (const name of EXAMPLES)
        it(`${name}: Import > Examples, Deploy, it works at once on the demo's device`, async () => {
          const row = EXAMPLE_CHECKS[name];
          assert.ok(row, `examples/${name}.json has no row in test/e2e/examples-table.ts: add its check`);
          const { before: prepare, check, after: undo } = typeof row === 'function' ? { check: row } : row;
          if (undo) cleanups.push(undo);
          if (prepare) await prepare();
          const imported = await importExample(page, name);
          importedSoFar.push(imported);
          // Reused, not copied: the imported nodes use the demo's config nodes, and no new one appeared.
          const exampleDevices = exampleFile(name)
            .filter((n) => n.type === 'netconf-device')
            .map((n) => n.id);
          assert.deepEqual(imported.devices.sort(), exampleDevices.sort(), 'the imported nodes use another device');
          // A config node the example brings new (a dashboard's ui-base, pages) may be added; a copy of one
          // the editor has (same type and name, another id: a "demo device" without credentials) may not.
          const added = imported.configNodes.filter((n) => !knownConfig.some((k) => k.id === n.id));
          const copies = added.filter((n) => knownConfig.some((k) => k.type === n.type && k.name === n.name));
          assert.deepEqual(copies, [], 'the import copied config nodes the demo has');
          knownConfig = imported.configNodes;
          await clearDebugSidebar(page);
          await deployFromEditor(page);
          for (const n of imported.nodes.filter((x) => x.device === DEMO_DEVICE))
            await waitFor(`${n.type} "${String(n.name)}" green`, () => comms.status.get(n.id)?.fill === 'green', 20000);
          await check(exampleRun(imported));
          assert.deepEqual(caught(name, imported), [], 'errors reached a Catch node');
          await page.mouse.click(5, 5); // nothing selected in the picture
          await frameForPicture(page, imported.tab);
          const shot = `${target.label === '4.1' ? '' : `nr${target.label}-`}example-${name}.png`;
          const box = (await page.locator('#red-ui-workspace').boundingBox())!;
          const sidebar = (await page.locator('#red-ui-sidebar').boundingBox())!;
          await page.screenshot({
            path: path.join(screenshotDir(), shot),
            clip: { x: box.x, y: box.y, width: sidebar.x + sidebar.width - box.x, height: Math.min(box.height, 640) },
          });
        });

      it('logged no error, and the editor had no console error or failed request', () => {
        const errors = demo.log.split('\n').filter((l) => /\[error\]/.test(l));
        assert.deepEqual(errors, [], 'Node-RED logged errors');
        // The demo keeps the palette manager's catalogue (catalogue.nodered.org), unreachable on this machine.
        const offline = (p: { url?: string }): boolean => /^https:\/\/catalogue\.nodered\.org\//.test(p.url ?? '');
        assert.deepEqual(
          browser.problems.filter((p) => !offline(p)),
          [],
        );
      });

      it('SIGINT stops the demo: exit code 0, Node-RED, the demo devices and broker gone, ports free', async () => {
        await mgr.close();
        // Node-RED, and mosquitto when the demo runs its broker.
        const pids = demo.descendants();
        assert.ok(pids.length >= 1, 'no Node-RED below start.js');
        const end = await demo.signal('SIGINT', 30000);
        assert.deepEqual({ code: end.code, signal: end.signal }, { code: 0, signal: null }, demo.log.slice(-2000));
        await waitFor('every process below start.js to end', () => pids.every((pid) => !pidAlive(pid)), 5000);
        for (const port of demo.ports) assert.ok(await portClosed(port), `port ${port} still open`);
      });
    },
  );
