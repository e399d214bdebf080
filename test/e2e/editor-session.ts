/**
 * The set-up of the editor suites: the demo device, the packed package in a fresh user dir,
 * Node-RED started on it, headless Chromium on its editor (palette loaded) and an EditorPage for
 * the dialogs. Browser dialogs (alert, confirm, prompt) go to `onDialog`, which must answer them.
 * close() undoes it all in reverse; a start that fails undoes what it started before it throws.
 */
import fs from 'node:fs';
import type { Dialog, Page } from 'playwright-core';
import { launchBrowser, screenshotDir, type Browser } from './browser';
import { EditorPage } from './editor-page';
import { startDemoDevice, type DemoDevice } from './fixtures';
import { createUserDir, NodeRed } from './harness';

export interface EditorSession {
  device: DemoDevice;
  nr: NodeRed;
  browser: Browser;
  page: Page;
  ui: EditorPage;
  userDir: string;
  close(): Promise<void>;
}

export interface EditorSessionOptions {
  /** The user dir's name prefix. */
  prefix: string;
  /** The Node-RED release's label in screenshot names ('4.1', '5.0'). */
  label: string;
  nodeRedDir?: string;
  nodeBin?: string;
  onDialog: (dialog: Dialog) => void;
}

export async function openEditor(o: EditorSessionOptions): Promise<EditorSession> {
  const undo: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const device = await startDemoDevice();
    undo.push(() => device.close());
    const { userDir } = createUserDir(o.prefix);
    undo.push(() => Promise.resolve(fs.rmSync(userDir, { recursive: true, force: true })));
    const nr = new NodeRed({ userDir, nodeRedDir: o.nodeRedDir, nodeBin: o.nodeBin });
    undo.push(() => nr.stop());
    await nr.start();
    const browser = await launchBrowser();
    undo.push(() => browser.close());
    const page = browser.page;
    const ui = new EditorPage(page, device, userDir, screenshotDir(), o.label);
    page.on('dialog', o.onDialog);
    await page.goto(nr.url);
    await page.locator(".red-ui-palette-node[data-palette-type='inject']").waitFor({ timeout: 60000 });
    return { device, nr, browser, page, ui, userDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}
