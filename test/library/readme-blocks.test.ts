/**
 * The code blocks of README.md and docs/library.md run as written (issue 15). Every fenced block
 * must say its language, from a known set: `js` blocks run with Node.js as CommonJS files, the
 * package resolvable by name, against the device simulator (they read its address and host key
 * from NETCONF_HOST, NETCONF_PORT, NETCONF_HOST_KEY, defaulting to the demo's); `js norun` blocks
 * need other equipment (a TLS device, call home) and must still be valid JavaScript (`node
 * --check`, which rejects top-level await in CommonJS); `sh` are commands, and `xml`, `json`,
 * `text` are data, not run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NetconfSimulator } from '../../simulator';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FILES = ['README.md', 'docs/library.md'];
const KNOWN = new Set(['js', 'js norun', 'sh', 'xml', 'json', 'text']);

interface Block {
  file: string;
  line: number;
  info: string;
  code: string;
}

function blocksOf(file: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: Block | undefined;
  lines.forEach((text, i) => {
    const fence = /^```(.*)$/.exec(text);
    if (!fence) {
      if (open) open.code += `${text}\n`;
    } else if (open) {
      blocks.push(open);
      open = undefined;
    } else open = { file, line: i + 1, info: fence[1].trim(), code: '' };
  });
  assert.equal(open, undefined, `${file}: a code block is not closed`);
  return blocks;
}

const blocks = FILES.flatMap(blocksOf);
const where = (b: Block): string => `${b.file}:${b.line}`;

describe('README and docs/library.md code blocks', { timeout: 120000 }, () => {
  let sim: NetconfSimulator;
  let dir: string;
  before(async () => {
    sim = await new NetconfSimulator({ users: { admin: 'admin' } }).listen();
    // A project directory where `require('node-red-contrib-netconf')` finds this package.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-blocks-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'node-red-contrib-netconf'), 'dir');
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every block names a known language', () => {
    assert.ok(blocks.length > 5, `only ${blocks.length} blocks found`);
    for (const b of blocks) assert.ok(KNOWN.has(b.info), `${where(b)}: unknown or missing language "${b.info}"`);
    assert.ok(
      blocks.some((b) => b.info === 'js'),
      'no runnable js block',
    );
  });

  for (const b of blocks.filter((x) => x.info === 'js' || x.info === 'js norun')) {
    it(`${where(b)} (${b.info}) is valid CommonJS${b.info === 'js' ? ' and runs against the simulator' : ''}`, async () => {
      const file = path.join(dir, `block-${path.basename(b.file, '.md')}-${b.line}.js`);
      fs.writeFileSync(file, b.code);
      const checked = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      assert.equal(checked.status, 0, `${where(b)}: ${checked.stderr}`);
      if (b.info !== 'js') return;
      // Asynchronously: the simulator answers from this process's event loop.
      const ran = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const env = {
          ...process.env,
          NETCONF_HOST: '127.0.0.1',
          NETCONF_PORT: String(sim.port),
          NETCONF_HOST_KEY: sim.hostFingerprint,
        };
        execFile(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 60000, env }, (err, stdout, stderr) =>
          resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
      assert.equal(ran.status, 0, `${where(b)} exited with ${ran.status}: ${ran.stderr}`);
      assert.equal(ran.stderr, '', `${where(b)} wrote to stderr`);
      assert.ok(ran.stdout.length > 0, `${where(b)} printed nothing`);
    });
  }
});
