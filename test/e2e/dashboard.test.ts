/**
 * The ops dashboard (examples/09-ops-dashboard.json) in a real Node-RED with the packed package
 * and FlowFuse Dashboard 2.0 installed, against the demo fleet (dashboard-rig.ts), seen in
 * headless Chromium at /dashboard: the fleet table's reachable states and capability counts, the
 * chart's points for the selected device (read from the dashboard's socket.io frames), a link
 * flap from the simulator in the event log and as a toast, and the change panel: check shows the
 * diff and commits nothing, commit applies it, confirm keeps it, a change left unconfirmed is
 * rolled back by the device (each read back from the simulator). No console error at any step.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshotDir, type Browser } from './browser';
import { startDashboardRig, type DashboardRig } from './dashboard-rig';
import { waitFor } from './harness';
import { nodeRedTargets } from './targets';

/** Widget ids of the example (the dashboard renders each as #nrdb-ui-widget-<id>). */
const FLEET_TABLE = 'e9u0000000000001';
const CHART = 'e9u0000000000002';
const EVENT_LOG = 'e9u0000000000003';
const FORM = 'e9u0000000000004';
const SELECTED = 'e9u0000000000007';
const CHANGE_STATUS = 'e9u0000000000008';
/** The confirm timeout the test gives the example (its default is 120 s). */
const CONFIRM_S = 20;

const widget = (page: Page, id: string) => page.locator(`#nrdb-ui-widget-${id}`);

/** The table's rows as arrays of cell texts. */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  const rows = widget(page, id).locator('tbody tr');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim()));
  return out;
}

/** The chart's incoming points, decoded from socket.io frames `42["msg-input:<id>",{...}]`. */
interface ChartPoint {
  topic: string;
  payload: unknown;
}
function chartPoint(frame: string): ChartPoint | undefined {
  if (!frame.startsWith('42[')) return undefined;
  const [event, msg] = JSON.parse(frame.slice(2)) as [string, ChartPoint];
  return event === `msg-input:${CHART}` && typeof msg.topic === 'string' ? msg : undefined;
}

async function selectDevice(page: Page, name: string): Promise<void> {
  await widget(page, FLEET_TABLE).locator('tbody tr', { hasText: name }).first().click();
  await waitFor(`${name} selected`, async () =>
    (await widget(page, CHANGE_STATUS).innerText()).includes(`Selected device: ${name}`),
  );
}

async function fillChange(page: Page, itf: string, description: string, enabled: boolean): Promise<void> {
  const form = widget(page, FORM);
  await form.locator('input').nth(0).fill(itf);
  await form.locator('input').nth(1).fill(description);
  await form.locator('input[type=checkbox]').setChecked(enabled);
  await form.getByRole('button', { name: 'Check (show the diff)' }).click();
}

const statusText = (page: Page): Promise<string> => widget(page, CHANGE_STATUS).innerText();

/** Waits for the change panel to show `text`; a timeout names what it showed and the newest events. */
async function waitForStatus(page: Page, what: string, text: string, timeoutMs = 60000): Promise<void> {
  await waitFor(
    what,
    async () => {
      const now = await statusText(page);
      if (now.includes(text)) return true;
      const events = (await tableRows(page, EVENT_LOG)).slice(0, 3).map((c) => c.join(' | '));
      throw new Error(`the panel shows: ${now.replace(/\s+/g, ' ')}; newest events: ${events.join(' / ')}`);
    },
    timeoutMs,
    200,
  );
}

for (const target of nodeRedTargets())
  describe(`ops dashboard in Node-RED ${target.version} (Node ${target.nodeVersion})`, { timeout: 600000 }, () => {
    let rig: DashboardRig;
    let browser: Browser;
    let page: Page;
    const points: ChartPoint[] = [];
    const shot = (name: string) =>
      page.screenshot({
        path: path.join(screenshotDir(), target.label === '4.1' ? `${name}.png` : `${name}-nr5.png`),
        fullPage: true,
      });

    before(async () => {
      rig = await startDashboardRig(target, { confirmTimeoutS: CONFIRM_S, flap: { everyMs: 6000, downMs: 2500 } });
      browser = await launchBrowser();
      page = browser.page;
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => {
          const p = typeof f.payload === 'string' ? chartPoint(f.payload) : undefined;
          if (p) points.push(p);
        }),
      );
      await page.goto(`${rig.nr.url}/dashboard`);
    });
    after(async () => {
      await browser?.close();
      await rig?.stop();
    });

    test('the fleet table shows every device: reachable, session, capabilities, backup; the dead one with its reason', async () => {
      const rows = await waitFor(
        'every device polled and backed up',
        async () => {
          const r = await tableRows(page, FLEET_TABLE);
          const done = r.length === rig.inventory.length && r.every((c) => c[2] === 'no' || c[7] === 'first backup');
          return done ? r : undefined;
        },
        90000,
        500,
      );
      rig.inventory.forEach((device, i) => {
        const [name, address, reachable, reason, session, capabilities, lastBackup, , lastError] = rows[i];
        assert.equal(name, device.name);
        assert.equal(address, `127.0.0.1:${device.port}`);
        const sim = rig.sims[i];
        if (!sim) {
          assert.equal(reachable, 'no', name);
          assert.match(reason, /^NETCONF_/, name);
          assert.match(lastError, /ECONNREFUSED/, name);
          assert.equal(session, '');
          return;
        }
        assert.equal(reachable, 'yes', `${name}: ${reason} ${lastError}`);
        assert.match(session, /^\d+$/, name);
        assert.equal(Number(capabilities), sim.capabilities.length, name);
        assert.match(lastBackup, /^\d\d:\d\d:\d\d UTC$/, name);
      });
    });

    test('the chart gets in/out points of the selected device after a few polls', async () => {
      const flapping = rig.inventory[2].name; // edge-3: 4 ethernet ports + lo0 (core-1 has 2)
      await selectDevice(page, flapping);
      const from = points.length;
      const after = (): ChartPoint[] => points.slice(from);
      await waitFor('3 polls of points', () => after().filter((p) => p.topic === 'eth3 in').length >= 3, 60000, 500);
      const topics = new Set(after().map((p) => p.topic));
      for (const itf of ['eth0', 'eth1', 'eth2', 'eth3', 'lo0'])
        for (const dir of ['in', 'out']) assert.ok(topics.has(`${itf} ${dir}`), `${itf} ${dir}: ${[...topics].join()}`);
      const values = after().map((p) => p.payload);
      assert.ok(
        values.every((v) => typeof v === 'number' && v >= 0),
        JSON.stringify(values),
      );
      assert.ok(
        after().some((p) => p.topic === 'eth0 in' && (p.payload as number) > 0),
        'the counters move',
      );
      assert.ok((await widget(page, CHART).locator('canvas').count()) > 0, 'the chart draws');
      assert.match(await widget(page, SELECTED).innerText(), new RegExp(`${flapping}: 5 interfaces`));
    });

    test('a link flap from the simulator appears in the event log and as a toast', async () => {
      const device = rig.inventory[2].name;
      const toast = page.locator('.nrdb-ui-notification', { hasText: `${device}: link eth1 down` });
      await waitFor('the link-down toast', () => toast.count(), 30000, 200);
      const rows = await waitFor('the link-down row', async () => {
        const r = await tableRows(page, EVENT_LOG);
        return r.some((c) => c[2] === device && c[3] === 'link-state-change' && c[4] === 'link eth1 down')
          ? r
          : undefined;
      });
      assert.equal(rows[0].length, 5);
      // newest first: the times never increase down the log
      const times = rows.map((c) => c[0]);
      assert.deepEqual([...times].sort().reverse(), times);
    });

    test('check shows the diff, commit applies it, confirm keeps it; an unconfirmed change is rolled back', async () => {
      const i = 3;
      const sim = rig.sims[i]; // edge-4: eth1 enabled, eth2 enabled
      const running = (): string => sim.getConfigXml('running');
      const from = points.length;
      await selectDevice(page, rig.inventory[i].name);
      // a few points of edge-4 (5 ethernet ports) in the chart first: the screenshot shows them
      await waitFor(
        'points of edge-4',
        () => points.slice(from).filter((p) => p.topic === 'eth4 in').length >= 2,
        60000,
        500,
      );

      await fillChange(page, 'eth1', 'set from the dashboard', false);
      await waitForStatus(page, 'the diff', 'checked: press Commit');
      const diff = await statusText(page);
      assert.match(diff, /\+\s*"description": "set from the dashboard"/);
      assert.match(diff, /\+\s*"enabled": false/);
      assert.ok(!running().includes('set from the dashboard'), 'check mode committed nothing');
      assert.ok(
        !sim.getConfigXml('candidate').includes('set from the dashboard'),
        'check mode discarded the candidate',
      );
      await shot('dashboard');

      await page.getByRole('button', { name: 'Commit (confirmed, 120 s)' }).click();
      await waitForStatus(page, 'committed', 'committed: press Confirm');
      assert.match(running(), /<name>eth1<\/name><description>set from the dashboard<\/description>/);
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await waitForStatus(page, 'confirmed', 'confirmed: the change stays');

      await fillChange(page, 'eth2', 'left unconfirmed', true);
      await waitForStatus(page, 'the second diff', 'checked: press Commit');
      await page.getByRole('button', { name: 'Commit (confirmed, 120 s)' }).click();
      await waitForStatus(page, 'committed', 'committed: press Confirm');
      assert.ok(running().includes('left unconfirmed'));
      await waitFor('the rollback', () => !running().includes('left unconfirmed'), (CONFIRM_S + 60) * 1000, 500);
      await waitForStatus(page, 'rolled back in the panel', 'rolled back by the device');
      const log = await tableRows(page, EVENT_LOG);
      assert.ok(
        log.some((c) => c[2] === rig.inventory[i].name && c[4] === 'confirmed commit: timeout'),
        JSON.stringify(log),
      );
      // the confirmed change outlived its own confirm timeout (it began before the second commit)
      assert.match(running(), /<description>set from the dashboard<\/description>/);
      await shot('dashboard-rolled-back');
    });

    test('no console error, page error or failed request', () => {
      assert.deepEqual(browser.problems, []);
    });
  });
