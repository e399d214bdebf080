/**
 * What differs between the editors of Node-RED 4.1 and 5.x, for editor.test.ts: the reworked
 * sidebar (tab buttons), the palette's place, and the dark theme of 5.x (colour contrast of our
 * palette entries and status texts, read from the page's computed styles).
 */
import type { Locator, Page } from 'playwright-core';

/**
 * Opens a sidebar tab by clicking its button, as a user does. Node-RED 4.1 has a link button per
 * tab (#red-ui-tab-<id>-link-button); 5.x reworked the sidebar into a tab bar of buttons named
 * by their aria-label (the tab's name, e.g. "Debug messages").
 */
export async function openSidebarTab(page: Page, release: string, id: string): Promise<void> {
  if (release === '4.1') return page.locator(`#red-ui-tab-${id}-link-button`).click();
  // A pinned tab may already be the shown one; clicking its button again would hide it.
  const button = page.locator(`.red-ui-sidebar-tab-bar button[aria-label*="${id}" i]`).first();
  const shown = ((await button.getAttribute('class')) ?? '').split(/\s+/).includes('selected');
  if (!shown) await button.click();
}

/**
 * The palette in the picture: 4.1's whole palette (the README's picture); in 5.x the palette
 * moved into the reworked sidebar and #red-ui-palette is only its filter box, so the picture is
 * the category holding our nodes.
 */
export function paletteOfOurs(page: Page, release: string): Locator {
  if (release === '4.1') return page.locator('#red-ui-palette');
  return page
    .locator('.red-ui-palette-category')
    .filter({ has: page.locator(".red-ui-palette-node[data-palette-type='netconf-get']") });
}

/** Node-RED 5 switches its dark theme (View > Appearance) with this class on <html>. */
export async function setDarkTheme(page: Page, dark: boolean): Promise<void> {
  await page.evaluate((on) => document.documentElement.classList.toggle('nr-theme-dark', on), dark);
  await page.waitForTimeout(500);
}

export interface ThemeColours {
  /** The workspace background fill. */
  workspace: string;
  /** WCAG contrast ratios: our palette label on its node, a status text on the workspace. */
  paletteContrast: number;
  statusContrast: number;
}

/** Computed colours of the current theme (needs a deployed node of ours with a status). */
export function themeColours(page: Page): Promise<ThemeColours> {
  return page.evaluate(() => {
    const lum = (c: string): number => {
      const [r, g, b] = (c.match(/[\d.]+/g) ?? [])
        .slice(0, 3)
        .map((v) => Number(v) / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string): number => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const css = (sel: string, prop: string): string =>
      getComputedStyle(document.querySelector(sel)!).getPropertyValue(prop);
    const node = ".red-ui-palette-node[data-palette-type='netconf-get']";
    const workspace = css('.red-ui-workspace-chart-background', 'fill');
    return {
      workspace,
      paletteContrast: ratio(css(`${node} .red-ui-palette-label`, 'color'), css(node, 'background-color')),
      statusContrast: ratio(css('.red-ui-flow-node-status-label', 'fill'), workspace),
    };
  });
}

/** The few DOM globals read in the page (this project compiles without the DOM lib). */
declare const document: {
  documentElement: { classList: { toggle(c: string, on: boolean): void } };
  querySelector(selector: string): object | null;
};
declare function getComputedStyle(element: object): { getPropertyValue(property: string): string };
