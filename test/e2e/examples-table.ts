/**
 * What each example must do once imported into the `npm start` demo (examples.test.ts): one row
 * per file in examples/, keyed by its name. A file without a row fails the suite, so a new example
 * gets its check when it is added. A row presses the example's inject buttons and checks what
 * comes out: debug messages (over the editor's comms websocket), files written, the device. A row
 * is a check, or `{ before, check, after }` for an example that needs something started first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

export interface ExampleRun {
  /** The demo's user dir (Node-RED's working directory there). */
  userDir: string;
  /** The demo's Node-RED, e.g. http://127.0.0.1:PORT (the editor; a dashboard is below it). */
  url: string;
  /** Presses the button of the inject node named `name` (POST /inject/:id, the editor's button). */
  inject(name: string): Promise<void>;
  /** The first `count` messages shown by the debug node named `name` (as the Debug sidebar has them: text). */
  debug(name: string, count: number, timeoutMs?: number): Promise<string[]>;
  /** Waits until the node's status text (as the editor shows it, an i18n key for core nodes) matches. */
  status(type: string, name: string, text: RegExp, timeoutMs?: number): Promise<void>;
  /** The demo device's running configuration (XML), read over NETCONF. */
  running(): Promise<string>;
  /** An edit-config of the demo device's running configuration, as someone else on the device. */
  editRunning(config: string): Promise<void>;
}

export type ExampleCheck = (run: ExampleRun) => Promise<void>;

/** A row that needs something first (e.g. an MQTT broker the example connects to), before the import. */
export interface ExampleRow {
  before: () => Promise<void>;
  check: ExampleCheck;
  /** Undoes `before` (after the suite, also when the check failed). */
  after?: () => Promise<void>;
}

const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const eth2Changed = /<name>eth2<\/name><description>changed by Node-RED<\/description>/;
const eth0Enabled = (xml: string): boolean =>
  /<interface><name>eth0<\/name>(?:(?!<\/interface>).)*<enabled>true<\/enabled>/s.test(xml);

/** Example name (file name without .json) -> its check. */
export const EXAMPLE_CHECKS: Record<string, ExampleCheck | ExampleRow> = {
  '01-quick-start-get-config': async (run) => {
    // "read config" fires once, 1 s after the deploy.
    const [cfg] = await run.debug('running config', 1);
    assert.match(cfg, /eth0/);
    await run.inject('interfaces only (XML)');
    const [xml] = await run.debug('interfaces XML', 1);
    assert.match(xml, new RegExp(`<interfaces xmlns="${IF}"`));
    assert.doesNotMatch(xml, /<system\b/, 'the subtree filter was not applied');
    await run.inject('YANG module');
    const [schema] = await run.debug('schema', 1);
    // get-schema's payload is the YANG text itself, a string (the debug node shows the whole msg).
    assert.match(schema, /"payload":"module ietf-interfaces \{/);
  },

  '02-scheduled-config-backup': async (run) => {
    await run.inject('back up now');
    const [saved] = await run.debug('saved', 1);
    assert.ok(path.isAbsolute(saved), `the debug message does not say where, absolutely: ${saved}`);
    assert.equal(path.dirname(saved), path.join(run.userDir, 'netconf-backups'));
    const xml = fs.readFileSync(saved, 'utf8');
    assert.match(xml, new RegExp(`<interfaces xmlns="${IF}"`));
    for (const name of (await run.running()).match(/<name>[^<]+<\/name>/g) ?? [])
      assert.ok(xml.includes(name), `${name} missing from the backup`);
  },

  '03-candidate-confirmed-commit': async (run) => {
    const original = await run.running();
    assert.doesNotMatch(original, eth2Changed);
    await run.inject('apply change');
    await run.debug('committed, confirm within 60 s', 1);
    assert.match(await run.running(), eth2Changed);
    await run.inject('roll back now');
    await run.debug('rolled back', 1);
    assert.equal(await run.running(), original, 'cancel-commit did not restore the configuration');
    await run.inject('apply change');
    await run.debug('committed, confirm within 60 s', 2);
    await run.inject('confirm');
    await run.debug('confirmed', 1);
    assert.match(await run.running(), eth2Changed);
  },

  '04-event-remediation': async (run) => {
    assert.ok(eth0Enabled(await run.running()), 'eth0 starts enabled');
    await run.inject('disable eth0');
    await run.debug('repaired eth0', 1);
    assert.ok(eth0Enabled(await run.running()), 'eth0 was not re-enabled');
    assert.match((await run.debug('all events', 2)).join('\n'), /netconf-config-change/);
  },

  '05-ops-dashboard-feed': async (run) => {
    // The first sample primes the counters (once, at deploy); the next produces rates.
    await run.inject('every 5 s');
    await run.inject('every 5 s');
    const [rate] = await run.debug('chart feed (Mbit/s in)', 1);
    const m = JSON.parse(rate) as { topic: unknown; payload: unknown };
    assert.equal(typeof m.topic, 'string', rate);
    assert.ok(typeof m.payload === 'number' && m.payload >= 0, `not a rate: ${rate}`);
  },

  '06-fleet-backup': async (run) => {
    await run.inject('back up the fleet');
    const [summary] = await run.debug('fleet backup summary', 1, 60000);
    // The demo's debug messages are cut at 1000 characters: read the summary's start as text.
    assert.match(summary, /"devices":11,"ok":10,"failed":\[\{"device":"unreachable-11"/, summary);
    const dir = path.join(run.userDir, 'fleet-backup');
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).length, 10);
  },

  '07-backup-on-change': async (run) => {
    await run.inject('back up now');
    const [first] = await run.debug('backup written', 1);
    await run.inject('back up now');
    await run.debug('unchanged: nothing written', 1);
    await run.editRunning(
      `<interfaces xmlns="${IF}"><interface><name>eth1</name><description>changed for 07</description></interface></interfaces>`,
    );
    await run.inject('back up now');
    await run.debug('backup written', 2);
    const [logged] = await run.debug('change logged', 1);
    assert.match(logged, /changed for 07/);
    assert.ok(first.length > 0);
  },

  '08-preview-then-commit': async (run) => {
    // Example 03 may have made this very change already: undo it, so the preview has something to show.
    await run.editRunning(
      `<interfaces xmlns="${IF}"><interface><name>eth2</name><description>before 08</description></interface></interfaces>`,
    );
    const before = await run.running();
    await run.inject('preview change');
    const [preview] = await run.debug('preview: what would change', 1);
    assert.ok(preview.length > 2, 'empty preview');
    assert.equal(await run.running(), before, 'the preview changed the device');
    await run.inject('commit it');
    await run.debug('committed: confirm within 120 s', 1);
    await run.inject('confirm');
    await run.debug('confirmed', 1);
    assert.match(await run.running(), eth2Changed, 'the commit did not apply the previewed edit');
  },

  '12-fleet-backup-on-change': async (run) => {
    // First run: every reachable device's first backup; second: nothing changed, nothing written.
    await run.inject('back up the fleet now');
    const [first] = await run.debug('fleet backup-on-change summary', 1, 60000);
    assert.match(first, /^\{"devices":11,"changed":\[\{"device":"core-1","first":true/, first);
    await run.inject('back up the fleet now');
    const [, second] = await run.debug('fleet backup-on-change summary', 2, 60000);
    assert.match(second, /"changed":\[\],"unchanged":10,"failed":\[\{"device":"unreachable-11"/, second);
  },

  // The ops dashboard: FlowFuse Dashboard 2.0 (linked into the demo by npm start) serves its page.
  // What the widgets show is dashboard.test.ts's subject, in a browser.
  '09-ops-dashboard': async (run) => {
    const r = await fetch(`${run.url}/dashboard/ops`);
    assert.equal(r.status, 200, `GET /dashboard/ops: ${r.status}`);
    assert.match(await r.text(), /<html/i);
  },

  // The scale-out pair (needs mosquitto: npm start then runs the demo broker, config node a1b2c3d4e5f60003).
  // The dispatcher alone has no worker yet: it connects to the broker; the run is started with 11.
  '10-scale-out-dispatcher': async (run) => {
    await run.status('mqtt out', 'netconf/jobs', /connected/);
  },

  '11-scale-out-worker': async (run) => {
    // The dispatcher (on 10's tab) runs the demo fleet's inventory through this worker.
    await run.inject('run the inventory');
    const [summary] = await run.debug('summary', 1, 60000);
    assert.match(summary, /"jobs":11/, summary);
    assert.match(summary, /"ok":10/, summary);
    assert.match(summary, /"unreachable-11"[^}]*"NETCONF_CONNECT"|"NETCONF_CONNECT"[^}]*"unreachable-11"/, summary);
  },
};
