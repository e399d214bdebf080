/**
 * `npm start`'s MQTT 5 broker for the scale-out examples (10 dispatcher, 11 worker), started by
 * scripts/start.js when Debian's `mosquitto` is installed (on PATH, or /usr/sbin/mosquitto where
 * Debian puts it). It listens on 127.0.0.1 only (port 1884, else one the OS picks; tests set
 * NETCONF_DEMO_BROKER_PORT), with a config file of its own in the user dir (no persistence,
 * anonymous clients: loopback only), and adds the "demo broker" config node (id a1b2c3d4e5f60003,
 * as in the examples) to the demo flows, pointed at that port, so both examples work once imported.
 *
 * Without mosquitto nothing is started and one line says what the examples need.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const BROKER_ID = 'a1b2c3d4e5f60003';
const PREFERRED_PORT = Number(process.env.NETCONF_DEMO_BROKER_PORT) || 1884;
const CONFIG = 'demo-broker.conf';

/** mosquitto on PATH, else Debian's /usr/sbin/mosquitto (sbin is often not on a user's PATH). */
function findMosquitto() {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/sbin']) {
    const file = path.join(dir, 'mosquitto');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function freePort(host, preferred) {
  const tryListen = (port) =>
    new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, host, () => {
        const { port: got } = server.address();
        server.close(() => resolve(got));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}

/** MQTT 5 (mosquitto 2 speaks 3.1, 3.1.1 and 5 on every listener), loopback only, nothing on disk. */
function writeConfig(userDir, host, port) {
  const file = path.join(userDir, CONFIG);
  const text = [
    '# Written by scripts/demo-broker.js for npm start; regenerated on every start.',
    `listener ${port} ${host}`,
    'allow_anonymous true',
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n');
  fs.writeFileSync(file, text);
  return file;
}

function accepting(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Adds the "demo broker" node from example 10 (or moves it to `port`) in the demo flows. */
function addToFlows(root, userDir, host, port) {
  const flowsFile = path.join(userDir, 'flows.json');
  if (!fs.existsSync(flowsFile)) return;
  const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8'));
  const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', '10-scale-out-dispatcher.json'), 'utf8'));
  const node = example.find((n) => n.id === BROKER_ID);
  const existing = flows.findIndex((n) => n.id === BROKER_ID);
  if (existing < 0) flows.push({ ...node, broker: host, port: String(port) });
  else if (flows[existing].broker === host) flows[existing] = { ...flows[existing], port: String(port) };
  fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
}

/** Starts the broker; resolves to [handle] (handle.close() stops it), or [] without mosquitto. */
async function startDemoBroker({ root, userDir, host = '127.0.0.1' }) {
  const bin = findMosquitto();
  if (!bin) {
    console.log(
      '  No MQTT broker: the scale-out examples (10, 11) need an MQTT 5 broker on 127.0.0.1:1884 (apt-get install mosquitto, then npm start again).',
    );
    return [];
  }
  const port = await freePort(host, PREFERRED_PORT);
  const proc = spawn(bin, ['-c', writeConfig(userDir, host, port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const deadline = Date.now() + 10000;
  while (!(await accepting(host, port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      console.error(`npm start: the demo MQTT broker (${bin}) did not start on ${host}:${port}`);
      return [];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  addToFlows(root, userDir, host, port);
  console.log(`  Demo MQTT 5 broker: ${host}:${port} (mosquitto; "demo broker", examples 10 and 11)`);
  const close = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return [{ port, close }];
}

module.exports = { startDemoBroker, findMosquitto, BROKER_ID };
