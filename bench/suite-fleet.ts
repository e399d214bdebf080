/**
 * Benchmark 5 (issue 18): fleet backup, a get-config of every device of a simulated fleet, from
 * one Node-RED process (a fleet netconf-device, maxSessions 50) and with Ansible
 * (ansible.netcommon.netconf_get over ncclient, forks 50) on the same kind of devices, in one run;
 * and the Node-RED job again over NETCONF over TLS (mutual TLS, a tls-config node).
 * Full run: 500 devices for all (Ansible takes minutes); smoke: 20.
 */
import { existsSync } from 'node:fs';
import { attempt, runWorker, sh } from './child';
import { args, smoke } from './options';
import { W } from './paths';
import { f0, f1, MB, num, say, table, target, type R } from './report';

export async function fleet(): Promise<void> {
  say('## 5. Fleet backup (Node-RED fleet device vs Ansible)');
  say();
  const devices = Number(args['fleet-devices'] ?? (smoke ? 20 : 500));
  const ansibleDevices = Number(args['ansible-devices'] ?? devices);
  const nr = await attempt(`fleet: Node-RED, ${devices} devices`, () =>
    runWorker('node', [W('fleet-nodered'), '--devices', String(devices), '--max', '50']),
  );
  const nrTls = await attempt(`fleet: Node-RED over TLS, ${devices} devices`, () =>
    runWorker('node', [W('fleet-nodered'), '--devices', String(devices), '--max', '50', '--transport', 'tls']),
  );
  const haveAnsible = existsSync('/usr/bin/ansible-playbook');
  const ans = haveAnsible
    ? await attempt(`fleet: Ansible, ${ansibleDevices} devices`, () =>
        runWorker('node', [W('fleet-ansible'), '--devices', String(ansibleDevices), '--forks', '50'], 3600),
      )
    : undefined;
  const ansibleVersion = haveAnsible ? sh('sh', ['-c', 'ansible --version | head -1']) : 'not installed';
  table(
    ['client', 'devices', 'wall s', 'devices / s', 'peak RSS MB', 'worst loop delay ms'],
    [
      nodeRedRow('Node-RED fleet device (maxSessions 50)', nr),
      nodeRedRow('Node-RED fleet device over TLS (maxSessions 50)', nrTls),
      [
        `Ansible netconf_get, forks 50 (${ansibleVersion})`,
        f0(num(ans, 'ok')),
        f1(num(ans, 'ms') / 1000),
        f1(num(ans, 'ok') / (num(ans, 'ms') / 1000)),
        f0(num(ans, 'peakRss') / MB),
        '-',
      ],
    ],
  );
  say(
    `Node-RED: server-side peak ${f0(num(nr, 'serverPeakSessions'))} sessions, ${f0(num(nr, 'serverPeakPerDevice'))} per device; ` +
      `${f0(num(nr, 'failed'))} failed; all ${f0(num(nr, 'openSessions'))} sessions open at once: ` +
      `${f1(num(nr, 'rssPerSession') / 1024)} KB RSS per open session; ${f0(num(nr, 'liveAfterRedeploy'))} left after redeploy.`,
  );
  say(
    `Over TLS: ${f0(num(nrTls, 'failed'))} failed; all ${f0(num(nrTls, 'openSessions'))} open at once: worst loop delay ` +
      `${f0(num(nrTls, 'allOpenWorstDelayMs'))} ms, ${f1(num(nrTls, 'rssPerSession') / 1024)} KB RSS per open session.`,
  );
  say();
  targets(nr, ans, devices);
  const tlsDelay = num(nrTls, 'worstDelayMs');
  target(
    'fleet over TLS: event loop never delayed > 100 ms',
    Number.isFinite(tlsDelay) ? tlsDelay <= 100 : undefined,
    `${f0(tlsDelay)} ms`,
  );
}

function nodeRedRow(client: string, r: R | undefined): string[] {
  return [
    client,
    f0(num(r, 'devices')),
    f1(num(r, 'ms') / 1000),
    f1(num(r, 'devices') / (num(r, 'ms') / 1000)),
    f0(num(r, 'peakRss') / MB),
    f0(num(r, 'worstDelayMs')),
  ];
}

/** The four targets. */
function targets(nr: R | undefined, ans: R | undefined, devices: number): void {
  // Ratio per device (Ansible may run on fewer devices when its size is set lower).
  const perDeviceNr = num(nr, 'ms') / num(nr, 'devices');
  const perDeviceAns = num(ans, 'ms') / num(ans, 'devices');
  const ratio = perDeviceAns / perDeviceNr;
  target('fleet: at least 10x faster than Ansible', Number.isFinite(ratio) ? ratio >= 10 : undefined, `${f1(ratio)}x`);
  const wall = num(nr, 'ms') / 1000;
  target(`fleet: ${devices} devices in under 10 s`, devices >= 500 ? wall < 10 : undefined, `${f1(wall)} s`);
  const perSession = num(nr, 'rssPerSession');
  target(
    'fleet: at most 1 MB RSS per open session',
    Number.isFinite(perSession) ? perSession <= MB : undefined,
    `${f0(perSession / 1024)} KB`,
  );
  const delay = num(nr, 'worstDelayMs');
  target(
    'fleet: event loop never delayed > 100 ms',
    Number.isFinite(delay) ? delay <= 100 : undefined,
    `${f0(delay)} ms`,
  );
}
