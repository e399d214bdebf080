#!/usr/bin/env node
// Runs the Flow Library's scorecard (`node-red-dev validate`, the checks flows.nodered.org runs on
// every package it lists) on this package as npm would publish it, prints every check and exits 1
// when any check fails.
//
//   node scripts/scorecard.js [--dir <package dir>] [--json <scorecard.json>] [--no-pack]
//
// By default the package is packed with `npm pack` and the tarball is unpacked in a temporary
// directory, so the checks see what users get (the `files` whitelist, the built dist/), not the
// source tree. `--no-pack` validates the repository directory itself (dist/ must be built).
//
// catalogue.nodered.org (P08 similar names, N01 unique node types) is not reachable from CI, and
// node-red-dev aborts the whole run when it cannot fetch it; it is replaced by an empty catalogue,
// so P08/N01 only prove that the code path ran (there is no NETCONF package in the catalogue to
// collide with: see shared/design/NODE-RED-NOTES.md section 7). P06/P07 (Node-RED and Node.js
// compatibility with the latest Node-RED), D02 (bad packages in the tree) and D03 (latest majors)
// use the npm registry.
//
// node-red-dev is lenient in places, so three stricter checks are added (X01-X03):
//   X01 every file declared in package.json "node-red".nodes exists and its .html parses (node-red-dev
//       prints "Unable to parse" and silently drops the node from N02),
//   X02 keywords contain "node-red" (node-red-dev's P05 passes even without it),
//   X03 N02 counted every non-config node type (a node missing from the parse cannot be in N02).
'use strict';
const { spawnSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const EXPECTED = ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03'];
const TITLES = {
  P01: 'license is present',
  P03: 'repository or bugs is present',
  P04: 'package name (scoped, or node-red-contrib-*)',
  P05: 'keywords contain node-red',
  P06: 'node-red.version satisfied by the latest Node-RED',
  P07: 'engines.node compatible with the latest Node-RED',
  P08: 'no similarly named package in the catalogue',
  N01: 'node types unique in the catalogue',
  N02: 'examples use every node',
  D01: 'at most 6 dependencies',
  D02: 'no incompatible packages in the dependency tree',
  D03: 'dependencies at their latest version',
  X01: 'every declared node file exists and its editor html parses',
  X02: 'keywords really contain node-red',
  X03: 'N02 covered every non-config node type',
};

function parseArgs(argv) {
  const out = { dir: null, json: null, pack: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') out.dir = path.resolve(argv[++i]);
    else if (argv[i] === '--json') out.json = path.resolve(argv[++i]);
    else if (argv[i] === '--no-pack') out.pack = false;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return out;
}

/** npm pack the package and unpack the tarball; returns the unpacked package directory. */
function packAndUnpack(pkgDir, tmp) {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: pkgDir,
    encoding: 'utf8',
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr || r.stdout}`);
  const info = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
  const tgz = path.join(tmp, info[0].filename);
  const x = spawnSync('tar', ['-xzf', tgz, '-C', tmp], { encoding: 'utf8', timeout: 60000 });
  if (x.status !== 0) throw new Error(`tar failed: ${x.stderr}`);
  return path.join(tmp, 'package');
}

function writeStub(tmp) {
  const stub = path.join(tmp, 'offline-catalogue-stub.js');
  fs.writeFileSync(
    stub,
    `'use strict';
// Answers node-red-dev's requests to catalogue.nodered.org (unreachable here) with an empty catalogue.
const axios = require(require.resolve('axios', { paths: [require.resolve('node-red-dev/package.json', { paths: [${JSON.stringify(root)}] })] }));
const get = axios.get.bind(axios);
axios.get = (u, ...rest) => (String(u).startsWith('https://catalogue.nodered.org/') ? Promise.resolve({ data: { modules: [] } }) : get(u, ...rest));
`,
  );
  return stub;
}

/** The node types and categories in an editor html, the way node-red-dev reads them. */
function editorTypes(htmlFile) {
  const html = fs.readFileSync(htmlFile, 'utf8');
  const types = {};
  const re = /RED\.nodes\.registerType\(\s*['"]([^'"]+)['"]\s*,\s*\{[\s\S]*?category\s*:\s*['"]([^'"]+)['"]/g;
  let m;
  while ((m = re.exec(html)) !== null) types[m[1]] = m[2];
  return types;
}

function runValidate(pkgDir, out, stub) {
  const bin = path.join(path.dirname(require.resolve('node-red-dev/package.json', { paths: [root] })), 'bin', 'run');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', stub, bin, 'validate', '-p', pkgDir, '-o', out], {
      cwd: pkgDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    // npm-check and npm-remote-ls walk the registry; 3 minutes is far more than they need.
    const timer = setTimeout(() => child.kill('SIGKILL'), 180000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, log });
    });
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ncnr-scorecard-'));
  try {
    const source = args.dir || root;
    const pkgDir = args.pack ? packAndUnpack(source, tmp) : source;
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const out = path.join(tmp, 'scorecard.json');
    const stub = writeStub(tmp);
    console.log(`node-red-dev validate ${pkg.name}@${pkg.version} (${args.pack ? 'packed tarball' : pkgDir})`);
    const run = await runValidate(pkgDir, out, stub);
    const card = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(card, null, 2) + '\n');

    const results = [];
    for (const id of EXPECTED) {
      const c = card[id];
      results.push({
        id,
        ok: !!(c && c.test === true),
        detail: c
          ? JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'test')))
          : 'check did not run',
      });
    }

    // X01: each declared node file and its editor html.
    const declared = Object.entries((pkg['node-red'] && pkg['node-red'].nodes) || {});
    const problems = [];
    const nonConfig = [];
    if (declared.length === 0) problems.push('package.json declares no nodes');
    for (const [name, file] of declared) {
      const js = path.join(pkgDir, file);
      const html = js.replace(/\.js$/, '.html');
      if (!fs.existsSync(js)) problems.push(`${name}: ${file} is not in the package`);
      if (!fs.existsSync(html)) problems.push(`${name}: ${path.relative(pkgDir, html)} is not in the package`);
      else {
        const types = editorTypes(html);
        if (Object.keys(types).length === 0)
          problems.push(`${name}: no registerType with a literal category in ${path.relative(pkgDir, html)}`);
        for (const [t, cat] of Object.entries(types)) if (cat !== 'config') nonConfig.push(t);
      }
    }
    if (/Unable to parse/.test(run.log))
      problems.push(
        `node-red-dev could not parse: ${run.log
          .split('\n')
          .filter((l) => /Unable to parse/.test(l))
          .join('; ')}`,
      );
    results.push({
      id: 'X01',
      ok: problems.length === 0,
      detail: problems.join('; ') || `${declared.length} node files`,
    });

    const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
    results.push({ id: 'X02', ok: keywords.includes('node-red'), detail: JSON.stringify(keywords) });

    const n02nodes = (card.N02 && card.N02.nodes) || [];
    const missing = nonConfig.filter((t) => !n02nodes.includes(t));
    results.push({
      id: 'X03',
      ok: nonConfig.length > 0 && missing.length === 0,
      detail: missing.length
        ? `not in any example: ${missing.join(', ')}`
        : `${nonConfig.length} non-config types: ${nonConfig.join(', ')}`,
    });

    console.log('');
    for (const r of results)
      console.log(
        `${r.ok ? 'PASS' : 'FAIL'} ${r.id} ${TITLES[r.id]}${r.detail && r.detail !== '{}' ? `  ${r.detail}` : ''}`,
      );
    const failed = results.filter((r) => !r.ok);
    if (run.code !== 0 || failed.length) {
      console.log('\nnode-red-dev output:\n' + run.log.trim());
      if (run.code !== 0) console.log(`\nnode-red-dev exited with ${run.code ?? run.signal}`);
    }
    console.log(`\nscorecard: ${results.length - failed.length}/${results.length} checks passed`);
    return failed.length === 0 && run.code === 0 ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
