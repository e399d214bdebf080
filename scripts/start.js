#!/usr/bin/env node
/**
 * `npm start`: the demo. Installs and builds when needed (scripts/prepare-demo.js), starts the
 * device simulator on 127.0.0.1 (the "demo device"), writes a Node-RED user directory in
 * .node-red-demo/ (settings, our package linked in, the quick-start flow and the shared "demo
 * device" config node that every example uses, pinned to the simulator's host key, its
 * credentials encrypted in flows_cred.json), starts Node-RED on 127.0.0.1 and prints the editor URL.
 *
 * Ctrl-C, SIGINT or SIGTERM stop Node-RED and the simulator. The npm script is this one command
 * (no `a && b`), so the shell execs node and npm's forwarded signals reach this process.
 *
 * Environment (for tests): NETCONF_DEMO_DIR (user dir), NETCONF_DEMO_EDITOR_PORT,
 * NETCONF_DEMO_DEVICE_PORT, NETCONF_DEMO_SKIP_BUILD=1 (use dist/ as it is).
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.resolve(process.env.NETCONF_DEMO_DIR || path.join(root, '.node-red-demo'));
const HOST = '127.0.0.1';
const PREFERRED_EDITOR_PORT = Number(process.env.NETCONF_DEMO_EDITOR_PORT) || 1880;
// 8300, not 8830: the interop lab's netconfd (test/interop) listens on 8830 on the same machine.
const PREFERRED_DEVICE_PORT = Number(process.env.NETCONF_DEMO_DEVICE_PORT) || 8300;
const CREDENTIAL_SECRET = 'netconf-demo';
const DEMO_USER = { username: 'admin', password: 'admin' };
/** The quick-start example, deployed on the demo's first start. */
const EXAMPLE = path.join(root, 'examples', '01-quick-start-get-config.json');
/**
 * The device config node every example uses (same id in each examples/*.json): the demo always
 * has it, configured, so an imported example reuses it and works at once.
 */
const DEMO_DEVICE_ID = 'a1b2c3d4e5f60001';
/** How long Node-RED may take to stop (it closes our sessions) before it is killed. */
const STOP_BOUND_MS = 10000;

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

/** The port if it is free on HOST, else one the OS picks. */
function freePort(preferred) {
  const tryListen = (port) =>
    new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, HOST, () => {
        const { port: got } = server.address();
        server.close(() => resolve(got));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}

/** The simulator's host key is kept in the user dir, so the pinned fingerprint stays valid across runs. */
function demoHostKey() {
  const file = path.join(userDir, 'demo-device-host-key');
  if (!fs.existsSync(file)) {
    const { generateHostKey } = require(path.join(root, 'dist', 'simulator', 'ssh-listener.js'));
    fs.writeFileSync(file, generateHostKey(), { mode: 0o600 });
  }
  return fs.readFileSync(file);
}

async function startDevice() {
  const serverFile = path.join(root, 'dist', 'simulator', 'server.js');
  if (!fs.existsSync(serverFile)) fail('dist/ is missing: run `npm run build` first (npm start does).');
  const { NetconfSimulator } = require(serverFile);
  const port = await freePort(PREFERRED_DEVICE_PORT);
  const sim = new NetconfSimulator({
    host: HOST,
    port,
    hostKey: demoHostKey(),
    users: { [DEMO_USER.username]: DEMO_USER.password },
    notificationIntervalMs: 10000,
  });
  await sim.listen();
  return sim;
}

/** Node-RED's encrypted credentials file format (aes-256-ctr, key = sha256 of the secret). */
function encryptCredentials(credentials) {
  const key = crypto.createHash('sha256').update(CREDENTIAL_SECRET).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-ctr', key, iv);
  return {
    $: iv.toString('hex') + cipher.update(JSON.stringify(credentials), 'utf8', 'base64') + cipher.final('base64'),
  };
}

function decryptCredentials(file) {
  try {
    const { $: text } = JSON.parse(fs.readFileSync(file, 'utf8'));
    const key = crypto.createHash('sha256').update(CREDENTIAL_SECRET).digest();
    const decipher = crypto.createDecipheriv('aes-256-ctr', key, Buffer.from(text.slice(0, 32), 'hex'));
    return JSON.parse(decipher.update(text.slice(32), 'base64', 'utf8') + decipher.final('utf8'));
  } catch {
    return {};
  }
}

function writeSettings(editorPort) {
  const settings = `// Written by scripts/start.js for the demo; regenerated on every npm start.
module.exports = {
    uiHost: ${JSON.stringify(HOST)},
    uiPort: ${editorPort},
    flowFile: 'flows.json',
    credentialSecret: ${JSON.stringify(CREDENTIAL_SECRET)},
    telemetry: { enabled: false, updateNotification: false },
    editorTheme: { tours: false, palette: {}, projects: { enabled: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } }
};
`;
  fs.writeFileSync(path.join(userDir, 'settings.js'), settings);
}

/** Makes Node-RED load this package from the user dir, as if it had been installed there. */
function linkPackage() {
  const pkgFile = path.join(userDir, 'package.json');
  if (!fs.existsSync(pkgFile)) {
    fs.writeFileSync(
      pkgFile,
      JSON.stringify(
        { name: 'node-red-demo', private: true, dependencies: { 'node-red-contrib-netconf': 'file:..' } },
        null,
        2,
      ),
    );
  }
  const modules = path.join(userDir, 'node_modules');
  const link = path.join(modules, 'node-red-contrib-netconf');
  fs.mkdirSync(modules, { recursive: true });
  let existing;
  try {
    existing = fs.readlinkSync(link);
  } catch {
    existing = undefined;
  }
  if (existing !== root) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(root, link, 'dir');
  }
}

/** The example's device config node, pointed at the simulator with its key pinned. */
function demoDevice(example, sim) {
  const device = example.find((n) => n.id === DEMO_DEVICE_ID);
  if (!device) fail(`${path.relative(root, EXAMPLE)} has no device config node ${DEMO_DEVICE_ID}`);
  return pointAtSimulator(device, sim);
}

function pointAtSimulator(n, sim) {
  return { ...n, host: HOST, port: String(sim.port), hostFingerprint: sim.hostFingerprint, verifyHostKey: true };
}

/**
 * The quick-start flow on its own tab and the demo device, on the first start. Later starts keep
 * the user's edits: devices on HOST follow the simulator's port and key, and the demo device
 * (with its credentials) comes back if it is missing, e.g. in a demo dir from an older version.
 */
function writeFlows(sim) {
  const flowsFile = path.join(userDir, 'flows.json');
  const credFile = path.join(userDir, 'flows_cred.json');
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const device = demoDevice(example, sim);
  let flows;
  let credentials;
  if (fs.existsSync(flowsFile)) {
    flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8')).map((n) =>
      n.type === 'netconf-device' && n.host === HOST ? pointAtSimulator(n, sim) : n,
    );
    credentials = decryptCredentials(credFile);
    if (!flows.some((n) => n.id === DEMO_DEVICE_ID)) flows.push(device);
  } else {
    const tab = {
      id: 'netconf-demo-tab',
      type: 'tab',
      label: 'NETCONF quick start',
      info: 'Deployed by npm start: the quick-start example against the demo device.',
    };
    flows = [tab, ...example.map((n) => (n.id === DEMO_DEVICE_ID ? device : { ...n, z: tab.id }))];
    credentials = {};
  }
  if (!credentials[DEMO_DEVICE_ID]) credentials[DEMO_DEVICE_ID] = { ...DEMO_USER };
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  fs.writeFileSync(credFile, JSON.stringify(encryptCredentials(credentials), null, 2));
}

/** Resolves once the editor answers, or rejects after `ms`. */
function waitForEditor(port, child, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (child.exitCode !== null) return reject(new Error(`Node-RED exited with code ${child.exitCode}`));
      const req = http.get({ host: HOST, port, path: '/settings', timeout: 2000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else retry();
      });
      req.on('error', retry);
      req.on('timeout', () => req.destroy());
    };
    const retry = () =>
      Date.now() > deadline
        ? reject(new Error(`the editor did not answer within ${ms / 1000} s`))
        : setTimeout(poll, 300);
    poll();
  });
}

/** Install and build first (the old `prepare-demo.js && start.js` script: a shell in between kept signals from us). */
function prepare() {
  if (process.env.NETCONF_DEMO_SKIP_BUILD === '1') return;
  const r = spawnSync(process.execPath, [path.join(__dirname, 'prepare-demo.js')], { stdio: 'inherit' });
  if (r.status !== 0) fail(`preparing the demo failed (${r.status ?? r.signal})`);
}

function startNodeRed() {
  return spawn(
    process.execPath,
    [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    {
      cwd: userDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      // Example 02 writes its backups here; an absolute path, so its debug message says where.
      env: {
        ...process.env,
        NETCONF_BACKUP_DIR: process.env.NETCONF_BACKUP_DIR || path.join(userDir, 'netconf-backups'),
      },
    },
  );
}

/**
 * Stops Node-RED (SIGINT: it closes its nodes and our sessions; SIGKILL after STOP_BOUND_MS) and
 * the simulators, then exits. SIGINT, SIGTERM and SIGHUP all stop; so does losing our parent
 * (npm killed without forwarding a signal), checked once a second.
 */
function stopOnSignals(red, sims) {
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    if (red.exitCode === null && red.signalCode === null) {
      const exited = new Promise((resolve) => red.once('exit', resolve));
      red.kill('SIGINT');
      const timer = setTimeout(() => red.kill('SIGKILL'), STOP_BOUND_MS);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all(sims.map((s) => s.close().catch(() => undefined)));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 1000).unref();
  red.on('exit', (code) => {
    if (!stopping) {
      console.error(`Node-RED exited (code ${code})`);
      void stop(code || 1);
    }
  });
  return stop;
}

function banner(sim, editorPort) {
  return [
    '',
    `  Demo device (NETCONF over SSH): ${HOST}:${sim.port}  user ${DEMO_USER.username} / password ${DEMO_USER.password}`,
    `  Host key fingerprint:           ${sim.hostFingerprint}`,
    `  Node-RED editor:                http://${HOST}:${editorPort}/`,
    `  Demo files (delete to reset):   ${userDir}`,
    '',
    '  On the "NETCONF quick start" tab, click the button of "read config": the running configuration',
    '  appears in the Debug sidebar. More examples: Menu > Import > Examples > node-red-contrib-netconf',
    '  (they all use the "demo device"; if Node-RED says the nodes already exist, choose "Import copy").',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main() {
  prepare();
  fs.mkdirSync(userDir, { recursive: true });
  const sim = await startDevice();
  const editorPort = await freePort(PREFERRED_EDITOR_PORT);
  writeSettings(editorPort);
  linkPackage();
  // The ops dashboard (example 09): Dashboard 2.0 linked into the user dir; its URL after the banner.
  const dashboard = require('./demo-dashboard');
  dashboard.linkDashboard(root, userDir);
  writeFlows(sim);
  // issue 18: the demo fleet's devices, closed with the demo device on stop
  const fleet = await require('./demo-fleet').startDemoFleet({ root, userDir, host: HOST, hostKey: demoHostKey() });
  // the scale-out examples' MQTT 5 broker, when mosquitto is installed; stopped with the simulators
  const broker = await require('./demo-broker').startDemoBroker({ root, userDir, host: HOST });
  const red = startNodeRed();
  const stop = stopOnSignals(red, [sim, ...fleet, ...broker]);
  try {
    await waitForEditor(editorPort, red, 90000);
  } catch (err) {
    console.error(`npm start: ${err.message}`);
    return stop(1);
  }
  console.log(banner(sim, editorPort));
  console.log(await dashboard.dashboardBanner(HOST, editorPort));
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
