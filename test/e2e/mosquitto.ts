/**
 * Debian's mosquitto (MQTT 5) for the scale-out tests and bench: started with a config file of its
 * own (one listener on 127.0.0.1 at a free port, anonymous clients, no persistence), stopped with
 * SIGTERM, killed if the test process exits early.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, portClosed, ROOT, waitFor } from './harness';

/** The demo's lookup (mosquitto on PATH, else Debian's /usr/sbin/mosquitto), so tests and `npm start` agree. */
const demoBroker = createRequire(__filename)(path.join(ROOT, 'scripts', 'demo-broker.js')) as {
  findMosquitto(): string | undefined;
};
export const findMosquitto = (): string | undefined => demoBroker.findMosquitto();

export interface Broker {
  port: number;
  url: string;
  proc: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

export async function startMosquitto(dir: string): Promise<Broker> {
  const bin = findMosquitto();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install mosquitto; .ci/run installs it)');
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      // queued QoS 1 messages per client while its Node-RED is busy (the default is 1000)
      'max_queued_messages 10000',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      '',
    ].join('\n'),
  );
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  process.on('exit', () => proc.kill('SIGKILL'));
  await waitFor(`mosquitto on port ${port}`, async () => {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${log}`);
    return !(await portClosed(port));
  });
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return { port, url: `mqtt://127.0.0.1:${port}`, proc, log: () => log, stop };
}
