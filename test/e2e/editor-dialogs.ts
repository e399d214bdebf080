/**
 * The edit dialogs of the editor suite (editor.test.ts), one function per dialog: each drags its
 * node in (or opens one), fills the form as a user does, checks that validation reacts, reads the
 * node's help and takes the dialog's screenshot. They run in order on one page: the get dialog
 * adds the device that the others choose, and the deploy step later uses every node placed here.
 */
import assert from 'node:assert/strict';
import { freePort, waitFor } from './harness';
import type { EditorPage, EditorRed } from './editor-page';

declare const RED: EditorRed;

/** Get: add a device with Fetch and Test connection, see validation react, read the help. */
export async function deviceAndGetDialog(ui: EditorPage): Promise<void> {
  const { page, device } = ui;
  const id = await ui.dragIn('netconf-get', 220, 80);
  ui.placed.set('netconf-get', id);
  await ui.openEditor(id);
  // No device yet: the required device select is marked.
  assert.ok(await ui.hasInputError('#node-input-device'), 'device select not marked while empty');
  await ui.checkHelp('netconf-get');

  // The device config dialog.
  await page.locator('#node-input-btn-device-add').click();
  await page.locator('#node-config-input-host').waitFor({ state: 'visible' });
  await page.waitForTimeout(400);
  // An empty Host is valid: it makes a fleet device, whose pool settings then show.
  assert.equal(await ui.hasInputError('#node-config-input-host'), false, 'empty host (a fleet) marked as an error');
  assert.ok(await page.locator('.netconf-row-fleet').first().isVisible(), 'fleet settings hidden for an empty host');
  await ui.fillAndLeave('#node-config-input-name', 'demo device');
  await ui.fillAndLeave('#node-config-input-host', '127.0.0.1');
  assert.equal(await ui.hasInputError('#node-config-input-host'), false);
  assert.equal(await page.locator('.netconf-row-fleet').first().isVisible(), false, 'fleet settings shown for a host');
  await ui.fillAndLeave('#node-config-input-port', 'eight-thirty');
  assert.ok(await ui.hasInputError('#node-config-input-port'), 'non-numeric port not marked');
  await ui.fillAndLeave('#node-config-input-port', String(device.sim.port));
  assert.equal(await ui.hasInputError('#node-config-input-port'), false);
  assert.ok(
    await page.locator('#node-config-input-verifyHostKey').isChecked(),
    'host key verification is not on by default',
  );
  await ui.checkHelp('netconf-device');

  // Fetch the host key: the editor's own dialog shows the fingerprint; "Do not pin" leaves the field
  // alone, "Pin this key" pins it.
  await page.locator('#netconf-device-fetch').click();
  await ui.answerFetch(false);
  assert.equal(await page.locator('#node-config-input-hostFingerprint').inputValue(), '', 'pinned without asking');
  await page.locator('#netconf-device-fetch').click();
  await ui.answerFetch(true);
  await waitFor(
    'the pinned fingerprint',
    async () => (await page.locator('#node-config-input-hostFingerprint').inputValue()) === device.sim.hostFingerprint,
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
  await ui.shot('netconf-device-dialog', ui.tray());
  await page.locator('#node-config-dialog-ok').click();
  await page.locator('#node-config-input-host').waitFor({ state: 'detached' });

  ui.deviceId = await page.locator('#node-input-device').inputValue();
  assert.notEqual(ui.deviceId, '_ADD_');
  assert.equal(await ui.hasInputError('#node-input-device'), false);

  // The get form: a subtree filter.
  await page.locator('#node-input-operation').selectOption('get-config');
  await page.locator('#node-input-source').selectOption('running');
  await ui.chooseTypedInput('#node-input-filter', 'xpath');
  assert.ok(await page.locator('.netconf-get-namespaces').first().isVisible(), 'XPath did not show the namespaces row');
  await ui.chooseTypedInput('#node-input-filter', 'subtree');
  assert.equal(await page.locator('.netconf-get-namespaces').first().isVisible(), false);
  const filterInput = page.locator('#node-input-filter + .red-ui-typedInput-container input.red-ui-typedInput-input');
  await filterInput.fill('<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>');
  await filterInput.press('Home');
  await ui.shot('netconf-get-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  const saved = await page.evaluate((nid) => {
    const n = RED.nodes.node(nid);
    return { device: n.device, filter: n.filter, filterType: n.filterType, valid: n.valid };
  }, id);
  assert.deepEqual(saved, {
    device: ui.deviceId,
    filter: '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>',
    filterType: 'subtree',
    valid: true,
  });
}

/** Edit-config: transaction and confirmed options, timeout validation. */
export async function editConfigDialog(ui: EditorPage): Promise<void> {
  const { page } = ui;
  const id = await ui.dragIn('netconf-edit-config', 220, 160);
  ui.placed.set('netconf-edit-config', id);
  await ui.openEditor(id);
  await ui.chooseDevice();
  await page.locator('#node-input-transaction').check();
  assert.equal(
    await page.locator('.netconf-edit-target').first().isVisible(),
    false,
    'target still shown for a transaction',
  );
  await page.locator('#node-input-confirmed').check();
  await page.locator('#node-input-confirmTimeout').waitFor({ state: 'visible' });
  await ui.fillAndLeave('#node-input-confirmTimeout', 'soon');
  assert.ok(await ui.hasInputError('#node-input-confirmTimeout'), 'non-numeric confirm timeout not marked');
  await ui.fillAndLeave('#node-input-confirmTimeout', '120');
  assert.equal(await ui.hasInputError('#node-input-confirmTimeout'), false);
  await page.locator('#node-input-name').fill('apply change');
  await ui.checkHelp('netconf-edit-config');
  await ui.shot('netconf-edit-config-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  const saved = await page.evaluate((nid) => {
    const n = RED.nodes.node(nid);
    return { transaction: n.transaction, confirmed: n.confirmed, confirmTimeout: n.confirmTimeout, valid: n.valid };
  }, id);
  assert.deepEqual(saved, { transaction: true, confirmed: true, confirmTimeout: '120', valid: true });
}

/** Commit: confirmed-commit shows its fields and validates the timeout. */
export async function commitDialog(ui: EditorPage): Promise<void> {
  const { page } = ui;
  const id = await ui.dragIn('netconf-commit', 220, 240);
  ui.placed.set('netconf-commit', id);
  await ui.openEditor(id);
  await ui.chooseDevice();
  await page.locator('#node-input-operation').selectOption('confirmed-commit');
  await page.locator('#node-input-confirmTimeout').waitFor({ state: 'visible' });
  await ui.fillAndLeave('#node-input-confirmTimeout', 'abc');
  assert.ok(await ui.hasInputError('#node-input-confirmTimeout'));
  await ui.fillAndLeave('#node-input-confirmTimeout', '300');
  assert.equal(await ui.hasInputError('#node-input-confirmTimeout'), false);
  await page.locator('#node-input-operation').selectOption('validate');
  assert.ok(await page.locator('.netconf-commit-source').first().isVisible(), 'validate did not show the source');
  assert.equal(await page.locator('.netconf-commit-confirmed').first().isVisible(), false);
  await page.locator('#node-input-operation').selectOption('commit');
  await ui.checkHelp('netconf-commit');
  await ui.shot('netconf-commit-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate((nid) => RED.nodes.node(nid).operation, id), 'commit');
}

/** Lock: operation and target. */
export async function lockDialog(ui: EditorPage): Promise<void> {
  const { page } = ui;
  const id = await ui.dragIn('netconf-lock', 220, 320);
  ui.placed.set('netconf-lock', id);
  await ui.openEditor(id);
  await ui.chooseDevice();
  await page.locator('#node-input-operation').selectOption('lock');
  await page.locator('#node-input-target').selectOption('candidate');
  await ui.checkHelp('netconf-lock');
  await ui.shot('netconf-lock-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  const label = await ui.workspaceNode(id).locator('.red-ui-flow-node-label').textContent();
  assert.match(label ?? '', /lock candidate/);
}

/** Rpc: the XML editor, and the label follows the RPC name. */
export async function rpcDialog(ui: EditorPage): Promise<void> {
  const { page } = ui;
  const id = await ui.dragIn('netconf-rpc', 460, 80);
  ui.placed.set('netconf-rpc', id);
  await ui.openEditor(id);
  await ui.chooseDevice();
  const rpc =
    '<get-schema xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring">\n  <identifier>ietf-interfaces</identifier>\n</get-schema>';
  await page.locator('#node-input-rpc-editor').click();
  await page.keyboard.insertText(rpc);
  await page.keyboard.press('Control+Home');
  await ui.checkHelp('netconf-rpc');
  await ui.shot('netconf-rpc-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  // The editor indents as it goes: compare without the whitespace between elements.
  const squeeze = (x: string): string => x.replace(/>\s+</g, '><').trim();
  assert.equal(squeeze(String(await page.evaluate((nid) => RED.nodes.node(nid).rpc, id))), squeeze(rpc));
  assert.equal((await ui.workspaceNode(id).locator('.red-ui-flow-node-label').textContent())?.trim(), 'get-schema');
}

/** Notification: stream, filter and start-time validation. */
export async function notificationDialog(ui: EditorPage): Promise<void> {
  const { page } = ui;
  const id = await ui.dragIn('netconf-notification', 460, 160);
  ui.placed.set('netconf-notification', id);
  await ui.openEditor(id);
  await ui.chooseDevice();
  await page.locator('#node-input-stream').fill('NETCONF');
  await ui.fillAndLeave('#node-input-startTime', 'yesterday-ish');
  assert.ok(await ui.hasInputError('#node-input-startTime'), 'a start time that is no date not marked');
  await ui.fillAndLeave('#node-input-startTime', '');
  assert.equal(await ui.hasInputError('#node-input-startTime'), false);
  await ui.chooseTypedInput('#node-input-filter', 'xpath');
  assert.ok(await page.locator('.netconf-notification-namespaces').first().isVisible());
  await ui.chooseTypedInput('#node-input-filter', 'none');
  await ui.checkHelp('netconf-notification');
  await ui.shot('netconf-notification-dialog', ui.tray());
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
}

/** Call home: a listener added from a call-home device, port validation. */
export async function callhomeDialog(ui: EditorPage): Promise<void> {
  const { page, device } = ui;
  const getId = ui.placed.get('netconf-get')!;
  await ui.openEditor(getId);
  await page.locator('#node-input-btn-device-add').click();
  await page.locator('#node-config-input-transport').waitFor({ state: 'visible' });
  await page.waitForTimeout(400);
  await page.locator('#node-config-input-transport').selectOption('callhome-ssh');
  assert.equal(await page.locator('#node-config-input-host').isVisible(), false, 'host shown for call home');
  assert.equal(await ui.hasInputError('#node-config-input-host'), false, 'host required for call home');
  await page.locator('#node-config-input-btn-callhome-add').click();
  await page.locator('#node-config-input-bindTo').waitFor({ state: 'visible' });
  await page.waitForTimeout(400);
  ui.callhomePort = await freePort();
  await ui.fillAndLeave('#node-config-input-bindTo', '127.0.0.1');
  await ui.fillAndLeave('#node-config-input-port', 'x');
  assert.ok(await ui.hasInputError('#node-config-input-port'));
  await ui.fillAndLeave('#node-config-input-port', String(ui.callhomePort));
  assert.equal(await ui.hasInputError('#node-config-input-port'), false);
  await ui.checkHelp('netconf-callhome');
  await ui.shot('netconf-callhome-dialog', ui.tray());
  await page.locator('#node-config-dialog-ok').last().click();
  await page.locator('#node-config-input-bindTo').waitFor({ state: 'detached' });
  // The call-home device pins the device's host key.
  await page.locator('#node-config-input-hostFingerprint').fill(device.sim.hostFingerprint);
  await ui.fillAndLeave('#node-config-input-name', 'call-home device');
  await ui.shot('netconf-device-callhome-dialog', ui.tray());
  await page.locator('#node-config-dialog-cancel').click();
  await page.locator('#node-config-input-transport').waitFor({ state: 'detached' });
  await page.locator('#node-dialog-cancel').click();
  await page.locator('#node-dialog-cancel').waitFor({ state: 'detached' });
  assert.equal(
    await page.evaluate((nid) => RED.nodes.node(nid).device, getId),
    ui.deviceId,
    'cancel changed the get node',
  );
}
