/**
 * `npm start`'s demo fleet (issue 18), started by scripts/start.js after it wrote the demo flows:
 * 10 simulated devices on 127.0.0.1 ports 8301-8310, each with its own configuration (hostname,
 * location, interfaces), and port 8311 where nothing listens (the unreachable one). It writes
 * `demo-fleet-known_hosts` in the Node-RED user dir (Node-RED's working directory there, which is
 * where the "demo fleet" device's relative known_hosts path points) and adds the "demo fleet"
 * config node (id a1b2c3d4e5f60002, Host empty) with the demo credentials to the demo flows, so
 * examples/06-fleet-backup.json and 09-ops-dashboard.json work offline at once.
 *
 * The simulators run in this process and end with it.
 */
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const FLEET_ID = 'a1b2c3d4e5f60002';
const FIRST_PORT = 8301;
const DEVICES = 10;
/** Nothing listens there: the inventory's unreachable device. */
const UNREACHABLE_PORT = FIRST_PORT + DEVICES;
const KNOWN_HOSTS = 'demo-fleet-known_hosts';
const CREDENTIAL_SECRET = 'netconf-demo';
const DEMO_USER = { username: 'admin', password: 'admin' };

const ROLES = ['core', 'core', 'edge', 'edge', 'edge', 'access', 'access', 'access', 'access', 'lab'];
const SITES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Oslo', 'Vienna', 'Prague', 'Lisbon', 'Dublin', 'Athens'];

/** Device i's configuration: its own hostname, location, NTP servers and 2 to 6 interfaces. */
function deviceConfig(i, ns) {
  const interfaces = [];
  const count = 2 + (i % 5);
  for (let k = 0; k < count; k++) {
    const enabled = (i + k) % 4 !== 3;
    interfaces.push(
      `<interface><name>eth${k}</name><description>${ROLES[i]} port ${k}</description>` +
        `<type>ianaift:ethernetCsmacd</type><enabled>${enabled}</enabled></interface>`,
    );
  }
  const ntp =
    i % 2 === 0
      ? '<ntp-server>192.0.2.1</ntp-server>'
      : '<ntp-server>192.0.2.2</ntp-server><ntp-server>192.0.2.3</ntp-server>';
  return (
    `<interfaces xmlns="${ns.NS_IF}" xmlns:ianaift="${ns.NS_IANAIFT}">${interfaces.join('')}` +
    `<interface><name>lo0</name><type>ianaift:softwareLoopback</type></interface></interfaces>` +
    `<system xmlns="${ns.NS_SIM}"><hostname>${ROLES[i]}-${i + 1}</hostname><location>${SITES[i]}</location>${ntp}</system>`
  );
}

/** Node-RED's credentials file format (aes-256-ctr, key = sha256 of the secret), both ways. */
function credentialKey() {
  return crypto.createHash('sha256').update(CREDENTIAL_SECRET).digest();
}
function decrypt(file) {
  if (!fs.existsSync(file)) return {};
  const { $: text } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const decipher = crypto.createDecipheriv('aes-256-ctr', credentialKey(), Buffer.from(text.slice(0, 32), 'hex'));
  return JSON.parse(decipher.update(text.slice(32), 'base64', 'utf8') + decipher.final('utf8'));
}
function encrypt(credentials) {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-ctr', credentialKey(), iv);
  return {
    $: iv.toString('hex') + cipher.update(JSON.stringify(credentials), 'utf8', 'base64') + cipher.final('base64'),
  };
}

/** The "demo fleet" node exactly as examples/06-fleet-backup.json has it (so importing it adds no copy). */
function fleetNode(root) {
  const example = JSON.parse(fs.readFileSync(path.join(root, 'examples', '06-fleet-backup.json'), 'utf8'));
  return example.find((n) => n.id === FLEET_ID);
}

/** Adds the fleet config node and its credentials to the demo flows, unless the user's flows have it. */
function addToFlows(root, userDir) {
  const flowsFile = path.join(userDir, 'flows.json');
  if (!fs.existsSync(flowsFile)) return;
  const flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8'));
  if (!flows.some((n) => n.id === FLEET_ID)) {
    flows.push(fleetNode(root));
    fs.writeFileSync(flowsFile, JSON.stringify(flows, null, 2));
  }
  const credFile = path.join(userDir, 'flows_cred.json');
  const credentials = decrypt(credFile);
  if (!credentials[FLEET_ID]) {
    credentials[FLEET_ID] = { ...DEMO_USER };
    fs.writeFileSync(credFile, JSON.stringify(encrypt(credentials), null, 2));
  }
}

/**
 * The fleet's life for the ops dashboard (examples/09-ops-dashboard.json): the counters of every
 * device grow on their own (simulator/demo-model.ts); device 3 (edge-3) flaps eth1 now and then,
 * each change a <link-state-change> notification.
 */
const FLAPPING = { device: 2, interface: 'eth1' };
const FLAP = { everyMs: 90000, downMs: 15000 };

/**
 * Starts the fleet, writes its known_hosts and the flows' config node; resolves to the simulators.
 * Tests pass `firstPort: 0` (every device on a free port: read them from the simulators),
 * `flap` (shorter flap timings) and `confirmTimeoutUnitMs`.
 */
async function startDemoFleet({
  root,
  userDir,
  host = '127.0.0.1',
  hostKey,
  firstPort = FIRST_PORT,
  flap = FLAP,
  confirmTimeoutUnitMs,
}) {
  const sim = require(path.join(root, 'dist', 'simulator', 'index.js'));
  const sims = [];
  for (let i = 0; i < DEVICES; i++) {
    const port = firstPort === 0 ? 0 : firstPort + i;
    const device = new sim.NetconfSimulator({
      host,
      port,
      hostKey,
      users: { [DEMO_USER.username]: DEMO_USER.password },
      initialConfig: deviceConfig(i, sim),
      confirmTimeoutUnitMs,
    });
    try {
      await device.listen();
      if (i === FLAPPING.device) device.links.flap({ interface: FLAPPING.interface, ...flap });
      sims.push(device);
    } catch (err) {
      console.error(`npm start: demo fleet device ${host}:${port} not started (${err.message})`);
    }
  }
  const lines = sims.map((s) => `[${host}]:${s.port} ${s.hostPublicKey}`);
  fs.writeFileSync(path.join(userDir, KNOWN_HOSTS), `${lines.join('\n')}\n`, { mode: 0o600 });
  addToFlows(root, userDir);
  if (firstPort === FIRST_PORT)
    console.log(
      `  Demo fleet: ${sims.length} devices on ${host}:${FIRST_PORT}-${FIRST_PORT + DEVICES - 1}, ` +
        `${host}:${UNREACHABLE_PORT} unreachable, edge-3 flaps eth1 (device "demo fleet", examples 06 and 09)`,
    );
  return sims;
}

/** The demo fleet's names (as in examples 06 and 09: core-1 ... lab-10). */
function deviceName(i) {
  return `${ROLES[i]}-${i + 1}`;
}

module.exports = {
  startDemoFleet,
  deviceConfig,
  deviceName,
  FLEET_ID,
  FIRST_PORT,
  DEVICES,
  UNREACHABLE_PORT,
  KNOWN_HOSTS,
  FLAPPING,
};
