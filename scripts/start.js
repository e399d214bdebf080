#!/usr/bin/env node
/**
 * `npm start`: the demo. Starts the device simulator on 127.0.0.1 (the "demo device"), writes a
 * Node-RED user directory in .node-red-demo/ (settings, our package linked in, the quick-start
 * flow pinned to the simulator's host key, its credentials encrypted in flows_cred.json), starts
 * Node-RED on 127.0.0.1 and prints the editor URL. Ctrl-C stops both.
 *
 * It runs the compiled code in dist/, so `npm run build` must have run (the npm script does it).
 */
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.join(root, '.node-red-demo');
const HOST = '127.0.0.1';
const PREFERRED_EDITOR_PORT = Number(process.env.NETCONF_DEMO_EDITOR_PORT) || 1880;
// 8300, not 8830: the interop lab's netconfd (test/interop) listens on 8830 on the same machine.
const PREFERRED_DEVICE_PORT = Number(process.env.NETCONF_DEMO_DEVICE_PORT) || 8300;
const CREDENTIAL_SECRET = 'netconf-demo';
const DEMO_USER = { username: 'admin', password: 'admin' };
/** The quick-start example's device node: the one the demo points at the simulator. */
const EXAMPLE = path.join(root, 'examples', '01-quick-start-get-config.json');

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

/** The quick-start flow on its own tab, with the device at the simulator and its key pinned. */
function writeFlows(sim) {
  const flowsFile = path.join(userDir, 'flows.json');
  const point = (n) =>
    n.type === 'netconf-device'
      ? { ...n, host: HOST, port: String(sim.port), hostFingerprint: sim.hostFingerprint, verifyHostKey: true }
      : n;
  if (fs.existsSync(flowsFile)) {
    // Keep the user's edits; only follow the simulator if its port changed.
    const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8'));
    fs.writeFileSync(
      flowsFile,
      JSON.stringify(
        flows.map((n) => (n.type === 'netconf-device' && n.host === HOST ? point(n) : n)),
        null,
        2,
      ),
    );
    return;
  }
  const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const tab = {
    id: 'netconf-demo-tab',
    type: 'tab',
    label: 'NETCONF quick start',
    info: 'Deployed by npm start: the quick-start example against the demo device.',
  };
  const flows = [tab, ...example.map((n) => (n.type === 'netconf-device' ? point(n) : { ...n, z: tab.id }))];
  const credentials = {};
  for (const n of flows) if (n.type === 'netconf-device') credentials[n.id] = { ...DEMO_USER };
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(encryptCredentials(credentials), null, 2));
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

async function main() {
  fs.mkdirSync(userDir, { recursive: true });
  const sim = await startDevice();
  const editorPort = await freePort(PREFERRED_EDITOR_PORT);
  writeSettings(editorPort);
  linkPackage();
  writeFlows(sim);
  await require('./demo-fleet').startDemoFleet({ root, userDir, host: HOST, hostKey: demoHostKey() }); // issue 18

  const red = spawn(
    process.execPath,
    [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    {
      cwd: userDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    if (red.exitCode === null) {
      red.kill('SIGINT');
      // Node-RED closes its nodes (and our sessions) within its own 15 s limit.
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          red.kill('SIGKILL');
          resolve();
        }, 20000);
        red.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await sim.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  red.on('exit', (code) => {
    if (!stopping) {
      console.error(`Node-RED exited (code ${code})`);
      void stop(code || 1);
    }
  });

  try {
    await waitForEditor(editorPort, red, 90000);
  } catch (err) {
    console.error(`npm start: ${err.message}`);
    return stop(1);
  }
  console.log(
    [
      '',
      `  Demo device (NETCONF over SSH): ${HOST}:${sim.port}  user ${DEMO_USER.username} / password ${DEMO_USER.password}`,
      `  Host key fingerprint:           ${sim.hostFingerprint}`,
      `  Node-RED editor:                http://${HOST}:${editorPort}/`,
      '',
      '  The "NETCONF quick start" tab is deployed; more examples: Menu > Import > Examples > node-red-contrib-netconf.',
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
