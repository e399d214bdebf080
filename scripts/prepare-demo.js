#!/usr/bin/env node
/**
 * First half of `npm start` on a fresh clone: install the dependencies when they are missing
 * (npm ci, from the lock file) and build dist/. Kept in plain JavaScript with no dependencies,
 * because it runs before anything is installed.
 */
'use strict';
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (command) => execSync(command, { cwd: root, stdio: 'inherit' });

if (
  !fs.existsSync(path.join(root, 'node_modules', 'typescript')) ||
  !fs.existsSync(path.join(root, 'node_modules', 'node-red')) ||
  // the ops dashboard example's Dashboard 2.0 (a devDependency: a clone installed before it lacks it)
  !fs.existsSync(path.join(root, 'node_modules', '@flowfuse', 'node-red-dashboard'))
) {
  console.log('npm start: installing dependencies (npm ci)...');
  // npm ci runs the package's `prepare` script, which builds a missing dist/.
  run('npm ci --no-audit --no-fund');
}
// Always rebuild: the demo must run the sources as they are now.
console.log('npm start: building...');
run('npm run build');
