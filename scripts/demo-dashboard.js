/**
 * `npm start`'s part for the ops dashboard (examples/09-ops-dashboard.json): FlowFuse Dashboard
 * 2.0 is a devDependency of the repository (never a dependency of the package), so `npm ci` has
 * it in node_modules/; this links it into the demo's user dir, where every Node-RED looks first
 * (also one started from another installation, NETCONF_DEMO_NODE_RED), and after the start
 * checks that Node-RED loaded it and gives the banner's dashboard line.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const MODULE = '@flowfuse/node-red-dashboard';

/** Links the repository's Dashboard 2.0 into <userDir>/node_modules (replacing a stale link). */
function linkDashboard(root, userDir) {
  const source = path.join(root, 'node_modules', ...MODULE.split('/'));
  if (!fs.existsSync(path.join(source, 'package.json')))
    throw new Error(`${MODULE} is missing from node_modules: run \`npm ci\` (npm start does when it is missing)`);
  const link = path.join(userDir, 'node_modules', ...MODULE.split('/'));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  let existing;
  try {
    existing = fs.readlinkSync(link);
  } catch {
    existing = undefined;
  }
  if (existing !== source) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(source, link, 'dir');
  }
}

/** The modules Node-RED loaded (GET /nodes of the admin API). */
function loadedModules(host, port) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host, port, path: '/nodes', headers: { Accept: 'application/json' }, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          try {
            resolve(new Set(JSON.parse(body).map((n) => n.module)));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('GET /nodes timed out')));
  });
}

/** The banner's lines for the dashboard, once the editor answers (says so when it did not load). */
async function dashboardBanner(host, port) {
  let loaded;
  try {
    loaded = (await loadedModules(host, port)).has(MODULE);
  } catch (err) {
    return `  Ops dashboard: could not ask Node-RED whether ${MODULE} loaded (${err.message})\n`;
  }
  if (!loaded) return `  Ops dashboard: Node-RED did not load ${MODULE}: see its log above\n`;
  return [
    `  Ops dashboard:                  http://${host}:${port}/dashboard`,
    '                                  (import example 09-ops-dashboard and Deploy: fleet, interfaces, events, changes)',
    '',
  ].join('\n');
}

module.exports = { linkDashboard, dashboardBanner, MODULE };
