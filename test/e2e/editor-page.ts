/**
 * The Node-RED editor page as the editor suite drives it (editor.test.ts, editor-dialogs.ts):
 * dragging palette entries in, opening edit dialogs, filling fields, reading validation marks
 * and help, screenshots (named per Node-RED release); and the state the steps share (the device,
 * the nodes placed so far).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PACKAGE_NAME, waitFor } from './harness';
import type { DemoDevice } from './fixtures';

export class EditorPage {
  /** Node type -> node id of the nodes placed in the workspace, for the deploy step. */
  readonly placed = new Map<string, string>();
  /** The device config node the get dialog adds (the other dialogs choose it). */
  deviceId = '';
  /** The call-home listener's port (checked closed when Node-RED stops). */
  callhomePort = 0;

  constructor(
    readonly page: Page,
    readonly device: DemoDevice,
    private readonly userDir: string,
    private readonly shots: string,
    /** The Node-RED release label of targets.ts ('4.1', '5'), for the screenshot names. */
    private readonly release: string,
  ) {}

  /** 4.1's pictures keep the names the README uses; other releases' get a prefix (`nr5-`). */
  shotFile(name: string): string {
    return path.join(this.shots, `${this.release === '4.1' ? '' : `nr${this.release}-`}${name}.png`);
  }

  async shot(name: string, target?: Locator): Promise<void> {
    const file = this.shotFile(name);
    if (target) await target.screenshot({ path: file });
    else await this.page.screenshot({ path: file });
  }

  /** The top-most edit tray (config dialogs open over the node's dialog). */
  tray(): Locator {
    return this.page.locator('.red-ui-tray').last();
  }

  async hasInputError(selector: string): Promise<boolean> {
    const classes = (await this.page.locator(selector).getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes('input-error');
  }

  async fillAndLeave(selector: string, value: string): Promise<void> {
    const field = this.page.locator(selector);
    await field.fill(value);
    await field.press('Tab');
  }

  /** Drags a palette entry into the workspace; returns the new node's id. */
  async dragIn(type: string, x: number, y: number): Promise<string> {
    const page = this.page;
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

  workspaceNode(id: string): Locator {
    return this.page.locator(`g.red-ui-flow-node-group[id="${id}"]`);
  }

  async openEditor(id: string): Promise<void> {
    await this.workspaceNode(id).locator('rect.red-ui-flow-node').dblclick();
    await this.page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
    await this.page.waitForTimeout(400); // the tray slides in
  }

  /** Opens the help of the node being edited in the sidebar and checks its first paragraph. */
  async checkHelp(type: string): Promise<void> {
    await this.tray().locator('.red-ui-tray-footer-left button:has(i.fa-book)').click();
    const first = this.firstHelpParagraph(type);
    await this.page.locator('.red-ui-help:visible').getByText(first.slice(0, 60)).first().waitFor({ state: 'visible' });
  }

  private firstHelpParagraph(type: string): string {
    const html = fs.readFileSync(path.join(this.userDir, 'node_modules', PACKAGE_NAME, this.helpFileOf(type)), 'utf8');
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

  private helpFileOf(type: string): string {
    const root = path.join(this.userDir, 'node_modules', PACKAGE_NAME);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      'node-red': { nodes: Record<string, string> };
    };
    for (const file of Object.values(pkg['node-red'].nodes)) {
      const html = file.replace(/\.js$/, '.html');
      // Node-RED takes a node's help from its editor file or from locales/<lang>/<same name>.html.
      const localeHelp = path.join(path.dirname(html), 'locales', 'en-US', path.basename(html));
      for (const candidate of [html, localeHelp]) {
        const full = path.join(root, candidate);
        if (fs.existsSync(full) && fs.readFileSync(full, 'utf8').includes(`data-help-name="${type}"`)) return candidate;
      }
    }
    throw new Error(`no editor file declares ${type}`);
  }

  /**
   * Answers Fetch's question (the editor's notification dialog, not a browser confirm()): it must
   * show the simulator's fingerprint; `pin` chooses "Pin this key", else "Do not pin".
   */
  async answerFetch(pin: boolean): Promise<void> {
    const dialog = this.page.locator('.red-ui-notification').filter({ hasText: this.device.sim.hostFingerprint });
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('button', { hasText: pin ? 'Pin this key' : 'Do not pin' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Node-RED 4.1 leaves a new node's config select at "none": pick the device, as a user does. */
  async chooseDevice(): Promise<void> {
    assert.ok(await this.hasInputError('#node-input-device'), 'the device select is not marked while none is chosen');
    await this.page.locator('#node-input-device').selectOption(this.deviceId);
    assert.equal(await this.hasInputError('#node-input-device'), false);
  }

  async chooseTypedInput(input: string, type: string): Promise<void> {
    const container = this.page.locator(`${input} + .red-ui-typedInput-container`);
    await container.locator('button.red-ui-typedInput-type-select').click();
    await this.page.locator(`.red-ui-typedInput-options:visible a[value="${type}"]`).click();
  }
}

/** An editor node, as far as these tests read it. */
export interface EditorNode {
  id: string;
  type: string;
  z: string;
  [property: string]: unknown;
}

/**
 * The editor's global, as far as the e2e tests use it. The page.evaluate callbacks run in the
 * browser, where Node-RED's editor defines RED; each file whose callbacks read it declares
 * `declare const RED: EditorRed;`.
 */
export interface EditorRed {
  nodes: {
    eachNode(visit: (n: EditorNode) => void): void;
    node(id: string): EditorNode;
    getType(type: string): { category: string } | undefined;
  };
  workspaces: { active(): string };
  view: { reveal(id: string): void };
}

declare const RED: EditorRed;
