/**
 * The same fleet backup with Ansible (issue 18's comparison): N simulated devices in another
 * process, an inventory generated for them (connection ansible.netcommon.netconf over ncclient,
 * network_os default, host key checking off: the keys are fresh per run), and a playbook of one
 * `ansible.netcommon.netconf_get` (source running) run with `ansible-playbook -f <forks>`. Reports
 * the wall time, the hosts that were ok, and the peak of the summed RSS of ansible's process group
 * (controller, forks and the persistent ansible-connection processes), sampled every 250 ms.
 *
 *   node dist/bench/worker-fleet-ansible.js --devices 500 --forks 50
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet } from '../test/helpers/fleet-process';
import { emit, parseArgs, runMain } from './common';

const PLAYBOOK = `- hosts: fleet
  gather_facts: no
  tasks:
    - ansible.netcommon.netconf_get:
        source: running
      register: config
`;

/** Summed RSS (bytes) of a process group; 0 when it is gone. */
function groupRss(pgid: number): number {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
    return (
      out
        .split('\n')
        .map((l) => Number(l.trim()) || 0)
        .reduce((a, b) => a + b, 0) * 1024
    );
  } catch {
    return 0;
  }
}

/**
 * Ends what this playbook left: its process group, and its persistent ansible-connection daemons
 * (they leave the group; each names the playbook's pid on its command line).
 */
function endPersistent(pid: number): void {
  const pids = [-pid];
  try {
    const out = execFileSync('pgrep', ['-f', `ansible-connection ${pid} `], { encoding: 'utf8' });
    pids.push(
      ...out
        .split('\n')
        .map(Number)
        .filter((p) => p > 0),
    );
  } catch {
    // none left
  }
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function runPlaybook(
  dir: string,
  forks: number,
): Promise<{ ms: number; peakRss: number; stdout: string; code: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(
      'ansible-playbook',
      ['-i', join(dir, 'inventory.ini'), '-f', String(forks), join(dir, 'play.yml')],
      {
        cwd: dir,
        detached: true, // its own process group, whose RSS is summed
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ANSIBLE_HOST_KEY_CHECKING: 'False',
          ANSIBLE_RETRY_FILES_ENABLED: 'False',
          ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
          ANSIBLE_PERSISTENT_CONTROL_PATH_DIR: join(dir, 'pc'),
          ANSIBLE_NOCOLOR: '1',
        },
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, groupRss(child.pid ?? 0))), 250);
    // 'exit', not 'close': the persistent ansible-connection processes hold the pipes open after the playbook ended
    child.on('exit', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - t0;
      // the persistent ansible-connection processes may outlive the playbook: end them (our group only)
      endPersistent(child.pid ?? 0);
      setTimeout(() => resolve({ ms, peakRss, stdout, code: code ?? -1 }), 200); // the last output
    });
  });
}

async function main(): Promise<void> {
  const a = parseArgs();
  const devices = Number(a.devices ?? 500);
  const forks = Number(a.forks ?? 50);
  const fleet = await startFleet(devices);
  const dir = mkdtempSync(join(tmpdir(), 'fleet-ansible-'));
  try {
    const hosts = fleet.devices.map((d, i) => `dev${i} ansible_host=${d.host} ansible_port=${d.port}`);
    const vars = [
      'ansible_connection=ansible.netcommon.netconf',
      'ansible_network_os=default',
      'ansible_user=admin',
      'ansible_password=admin',
      'ansible_python_interpreter=/usr/bin/python3',
    ];
    writeFileSync(join(dir, 'inventory.ini'), ['[fleet]', ...hosts, '[fleet:vars]', ...vars, ''].join('\n'));
    writeFileSync(join(dir, 'play.yml'), PLAYBOOK);
    const before = await fleet.stats();
    const run = await runPlaybook(dir, forks);
    const after = await fleet.stats();
    const ok = /ok=1\s/g;
    emit({
      devices,
      forks,
      ms: run.ms,
      peakRss: run.peakRss,
      code: run.code,
      ok: (run.stdout.match(ok) ?? []).length,
      getConfigs: after.getConfigs - before.getConfigs,
      serverPeakSessions: after.peakLive,
    });
    if (run.code !== 0) process.stderr.write(run.stdout.slice(-3000));
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
