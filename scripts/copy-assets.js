#!/usr/bin/env node
// Node-RED finds a node's editor file by replacing ".js" with ".html" and its icons in an
// "icons" folder beside the .js, so the editor files, locales and icons are copied next to
// the compiled runtime files in dist/nodes.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'nodes');

function copyTree(from, to, filter) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, filter);
    else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

fs.mkdirSync(out, { recursive: true });
copyTree(path.join(root, 'nodes'), out, (name) => name.endsWith('.html') || name.endsWith('.json'));
copyTree(path.join(root, 'icons'), path.join(out, 'icons'), (name) => name.endsWith('.svg') || name.endsWith('.png'));
