/**
 * The SSH stack's own floor for small RPCs: the ssh2 client (the SSH library our transport uses)
 * and the same minimal framer as the OpenSSH reference (openssh-raw.ts), no XML looked at. Ours
 * over ssh2-raw is the cost of our client above its SSH library; ssh2-raw over openssh-raw is
 * the cost of ssh2 (JavaScript crypto and channel handling) against OpenSSH in C.
 */
import { readFileSync } from 'node:fs';
import { Client, type ClientChannel } from 'ssh2';
import type { Lab } from './common';
import { CLIENT_HELLO, RawPipeline, type Run, type SmallRunOptions } from './openssh-raw';

function openChannel(lab: Lab, port: number): Promise<{ client: Client; channel: ClientChannel }> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () =>
      client.subsys('netconf', (err, channel) => (err ? reject(err) : resolve({ client, channel }))),
    );
    client.connect({
      host: lab.host,
      port,
      username: lab.users.admin.username,
      privateKey: readFileSync(lab.clientKeys.ed25519),
      readyTimeout: 60000,
    });
  });
}

export async function ssh2Raw(lab: Lab, o: SmallRunOptions): Promise<Run> {
  const { client, channel } = await openChannel(lab, o.port);
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let resolveHello!: () => void;
  const hello = new Promise<void>((resolve) => (resolveHello = resolve));
  const closed = new Promise<never>((_, reject) =>
    channel.on('close', () => reject(new Error('the netconf channel closed before all replies came'))),
  );
  closed.catch(() => undefined);
  const run = new RawPipeline((b) => channel.write(b), o, resolveHello, resolveDone);
  channel.setEncoding('latin1');
  channel.on('data', (s: string) => run.onData(s));
  channel.write(CLIENT_HELLO);
  await Promise.race([hello, closed]);
  if (o.warm > 0) run.send(1);
  else {
    run.t0 = performance.now();
    run.send(o.inflight);
  }
  await Promise.race([done, closed]);
  const seconds = (performance.now() - run.t0) / 1000;
  client.end();
  return { seconds, latencies: run.latencies };
}
