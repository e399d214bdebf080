#!/usr/bin/env node
/**
 * Standalone simulator: `node dist/simulator/cli.js --port 8300 --user admin:admin`.
 * Options: --host H, --port N, --user NAME:PASSWORD (repeatable), --authorized-key FILE,
 * --host-key FILE, --base 1.0|1.1|both, --notify-interval MS (default 10000, 0 = off),
 * --config FILE (initial running configuration XML).
 */
import { readFileSync } from 'node:fs';
import { NetconfSimulator } from './server';
import type { BaseVersion, SimulatorOptions } from './options';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage: cli.js [--host 127.0.0.1] [--port 8300] [--user admin:admin]... [--authorized-key FILE]...\n' +
      '              [--host-key FILE] [--base both|1.0|1.1] [--notify-interval MS] [--config FILE]\n',
  );
  process.exit(message ? 2 : 0);
}

/** --user NAME:PASSWORD (the password may itself contain colons). */
function addUser(users: Record<string, string>, value: string): void {
  const colon = value.indexOf(':');
  if (colon <= 0) usage('--user wants NAME:PASSWORD');
  users[value.slice(0, colon)] = value.slice(colon + 1);
}

/** An authorized_keys file: one key a line, comments and blank lines skipped. */
function readKeyLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
}

function baseVersions(value: string): BaseVersion[] {
  const map: Record<string, BaseVersion[]> = { both: ['1.0', '1.1'], '1.0': ['1.0'], '1.1': ['1.1'] };
  if (!map[value]) usage('--base wants both, 1.0 or 1.1');
  return map[value];
}

export function parseArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = { port: 8300, notificationIntervalMs: 10000 };
  const users: Record<string, string> = {};
  const keys: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--host':
        options.host = next();
        break;
      case '--port':
        options.port = Number(next());
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) usage('bad --port');
        break;
      case '--user':
        addUser(users, next());
        break;
      case '--authorized-key':
        keys.push(...readKeyLines(next()));
        break;
      case '--host-key':
        options.hostKey = readFileSync(next());
        break;
      case '--base':
        options.baseVersions = baseVersions(next());
        break;
      case '--notify-interval':
        options.notificationIntervalMs = Number(next());
        break;
      case '--config':
        options.initialConfig = readFileSync(next(), 'utf8');
        break;
      case '-h':
      case '--help':
        usage();
        break;
      default:
        usage(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) options.users = users;
  if (keys.length > 0) options.authorizedKeys = keys;
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sim = new NetconfSimulator(options);
  await sim.listen();
  // The heartbeat timer is unref'd for tests; the CLI stays up because the listener does.
  sim.on('session-start', (id: number, user: string) => process.stdout.write(`session ${id} opened by ${user}\n`));
  sim.on('session-end', (id: number, end: { closeSession: boolean; reason: string }) =>
    process.stdout.write(`session ${id} ended (${end.closeSession ? 'close-session' : end.reason})\n`),
  );
  process.stdout.write(`NETCONF simulator listening on ${sim.host}:${sim.port}\n`);
  process.stdout.write(`host key fingerprint ${sim.hostFingerprint}\n`);
  process.stdout.write(`users: ${Object.keys(options.users ?? { admin: 'admin' }).join(', ')}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
