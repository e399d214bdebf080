/** Starts the netconfd lab and the fast reply server when they are not up, and stops what it started. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { labJsonPath, loadLab, type Lab } from './common';
import { listening } from './child';
import { LAB_SCRIPTS } from './paths';
import { log } from './report';

const started = { lab: false, replay: false };

export async function ensureLab(): Promise<Lab> {
  const up = existsSync(labJsonPath()) && (await listening(8830)) && (await listening(8831));
  if (!up) {
    log('lab not running: starting it (test/interop/lab/start.sh)');
    execFileSync('bash', [join(LAB_SCRIPTS, 'start.sh')], { stdio: ['ignore', 2, 2] });
    started.lab = true;
  } else log('lab already running: using it');
  if (!(await listening(8840))) {
    execFileSync('bash', [join(LAB_SCRIPTS, 'replay.sh'), 'start'], { stdio: ['ignore', 2, 2] });
    started.replay = true;
  }
  return loadLab();
}

export function stopLab(): void {
  try {
    if (started.lab) execFileSync('bash', [join(LAB_SCRIPTS, 'stop.sh')], { stdio: ['ignore', 2, 2] });
    else if (started.replay)
      execFileSync('bash', [join(LAB_SCRIPTS, 'replay.sh'), 'stop'], { stdio: ['ignore', 2, 2] });
  } catch (err) {
    log(`stopping the lab: ${(err as Error).message}`);
  }
}
