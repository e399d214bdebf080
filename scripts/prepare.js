#!/usr/bin/env node
/**
 * npm's `prepare` hook: runs after `npm install` in a git clone (so `npm install <git url>` gets a
 * built dist/), on `npm ci`, and before `npm pack` / `npm publish`. It builds only when dist/ is
 * missing: `npm pack` inside the e2e suite must not delete the dist/ the suite runs from, and CI
 * builds again in each suite anyway. Run `npm run build` yourself before packing changed sources.
 */
'use strict';
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = ['dist/src/index.js', 'dist/nodes/netconf-device.js', 'dist/nodes/netconf-device.html'].every((f) =>
  fs.existsSync(path.join(root, f)),
);
if (built) {
  console.log('prepare: dist/ is built (run `npm run build` to rebuild)');
} else if (!fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
  // An install without devDependencies (e.g. `npm ci --omit=dev` of a packed tarball) cannot build.
  console.log('prepare: dist/ is missing and TypeScript is not installed; skipping the build');
} else {
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
