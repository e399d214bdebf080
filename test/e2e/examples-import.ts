/**
 * Importing an example as a user does in the demo's editor: Menu > Import > Examples >
 * node-red-contrib-netconf > <example>, "new flow", Import; the demo already has the example's
 * device config node (same id), so Node-RED says the nodes exist and the user picks "Import copy"
 * (what the demo's banner says). Then the Deploy button.
 */
import type { Locator, Page } from 'playwright-core';
import { PACKAGE_NAME, waitFor } from './harness';
import type { EditorNode, EditorRed } from './editor-page';

declare const RED: EditorRed & { workspaces: { active(): string; show(id: string): void } };

export interface ImportedExample {
  /** The new tab the example was imported on. */
  tab: string;
  /** The example's nodes on that tab, as the editor has them after the import. */
  nodes: EditorNode[];
  /** Config node ids the imported nodes use (device, device of the flow). */
  devices: string[];
  /** Config nodes (any type: devices, MQTT brokers, ...) in the whole workspace after the import. */
  configNodes: ConfigNode[];
  /** Whether Node-RED asked about existing nodes (and "Import copy" was chosen). */
  conflict: boolean;
}

export interface ConfigNode {
  id: string;
  type: string;
  name: string;
}

/** The config nodes the editor has (sorted by id). */
export function configNodes(page: Page): Promise<ConfigNode[]> {
  return page.evaluate(() => {
    const found: ConfigNode[] = [];
    // eachConfig is the editor's walk over config nodes (RED.nodes.eachNode skips them).
    const red = RED as unknown as { nodes: { eachConfig(f: (n: EditorNode) => void): void } };
    red.nodes.eachConfig((n) => void found.push({ id: n.id, type: n.type, name: String(n.name) }));
    return found.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** Imports examples/<name>.json through the menu onto a new tab; resolves with what the editor made of it. */
export async function importExample(page: Page, name: string): Promise<ImportedExample> {
  await page.locator('#red-ui-header-button-sidemenu').click();
  await page.locator('#menu-item-import').click();
  await page.locator('a[href="#red-ui-clipboard-dialog-import-tab-examples"]').click();
  const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
  await openModuleFolder(tab, name);
  await selectExample(page, tab.getByText(name, { exact: true }));
  await page.locator('#red-ui-clipboard-dialog-import-opt-new').click();
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  const importCopy = page.locator('.red-ui-notification button', { hasText: 'Import copy' });
  const conflict = await importCopy
    .waitFor({ state: 'visible', timeout: 3000 })
    .then(() => true)
    .catch(() => false);
  if (conflict) await importCopy.click();
  // Imported nodes follow the mouse until a click drops them.
  await page.mouse.move(600, 400);
  await page.mouse.click(600, 400);
  const active = await waitFor(`the tab of ${name}`, () =>
    page.evaluate(() => {
      const z = RED.workspaces.active();
      let count = 0;
      RED.nodes.eachNode((n) => void (n.z === z && count++));
      return count > 0 ? z : '';
    }),
  );
  const nodes = await page.evaluate((z) => {
    const out: EditorNode[] = [];
    RED.nodes.eachNode((n) => {
      if (n.z !== z) return;
      const copy: EditorNode = { id: n.id, type: n.type, z: n.z, name: n.name };
      if (typeof n.device === 'string') copy.device = n.device;
      out.push(copy);
    });
    return out;
  }, active);
  const devices = [...new Set(nodes.map((n) => n.device).filter((d): d is string => typeof d === 'string'))];
  return { tab: active, nodes, devices, configNodes: await configNodes(page), conflict };
}

/** The Deploy button; resolves when Node-RED says it deployed. */
export async function deployFromEditor(page: Page): Promise<void> {
  const done = page.getByText('Successfully deployed');
  await done
    .first()
    .waitFor({ state: 'detached', timeout: 10000 })
    .catch(() => undefined);
  await page.locator('#red-ui-header-button-deploy').click();
  await done.first().waitFor();
  // Close the deploy notifications, so they hide nothing in the next picture or import.
  for (const close of await page.locator('.red-ui-notification button:has-text("Close")').all())
    await close.click().catch(() => undefined);
  await page.waitForTimeout(300);
}

/** The editor's jQuery, as far as the pictures use it. */
declare const $: (selector: string) => {
  scrollLeft(v: number): void;
  scrollTop(v: number): void;
  css(property: string, value: string): void;
};

/** Empties the Debug sidebar (the editor's "clear all" action), so it shows the next example's output only. */
export async function clearDebugSidebar(page: Page): Promise<void> {
  await page.evaluate(() =>
    (RED as unknown as { actions: { invoke(name: string): void } }).actions.invoke('core:clear-debug-messages'),
  );
}

/** Scrolls the workspace to the tab's top-left node and hides passing notifications, for the picture. */
export async function frameForPicture(page: Page, tab: string): Promise<void> {
  await page.evaluate((z) => {
    let [x, y] = [Infinity, Infinity];
    RED.nodes.eachNode((n) => {
      if (n.z !== z) return;
      x = Math.min(x, Number(n.x) - Number(n.w ?? 100) / 2);
      y = Math.min(y, Number(n.y) - 20);
    });
    const chart = $('#red-ui-workspace-chart');
    chart.scrollLeft(Math.max(0, x - 30));
    chart.scrollTop(Math.max(0, y - 30));
    // Hidden, not removed: the editor removes each itself when it fades out.
    $('.red-ui-notification').css('visibility', 'hidden');
  }, tab);
  await page.waitForTimeout(300);
}

/**
 * Opens the package's folder in the examples tree until `name` shows. The folder stays open from
 * an earlier import, and a click toggles it: a look before the tree has rendered saw the example
 * hidden, and the click then closed an open folder (CI once, example 12 on Node-RED 4.1). So each
 * look waits a moment, and a click that closed the folder is followed by one that opens it.
 */
async function openModuleFolder(tab: Locator, name: string): Promise<void> {
  const moduleEntry = tab.getByText(PACKAGE_NAME, { exact: true });
  const example = tab.getByText(name, { exact: true });
  await moduleEntry.waitFor();
  for (let click = 0; click < 4; click++) {
    const shown = await example
      .waitFor({ state: 'visible', timeout: 1500 })
      .then(() => true)
      .catch(() => false);
    if (shown) return;
    await moduleEntry.click();
  }
}

/**
 * Clicks an example in the tree until the editor has loaded it: the Import button is enabled only
 * once the example's file came back, and a click that lands while the tree is still expanding or
 * scrolling selects nothing (seen once in CI on Node-RED 5, for the last example of the list).
 */
async function selectExample(page: Page, entry: Locator): Promise<void> {
  const importButton = page.locator('#red-ui-clipboard-dialog-ok');
  for (let attempt = 1; ; attempt++) {
    await entry.click();
    const loaded = await waitFor('the example loaded (Import enabled)', () => importButton.isEnabled(), 5000)
      .then(() => true)
      .catch(() => false);
    if (loaded || attempt === 3) return;
  }
}
