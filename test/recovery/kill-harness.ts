import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO } from '../support/fixture-project.ts';

export interface KilledChild {
  /** Every line the child printed before it was killed (or ended). */
  lines: string[];
  /** True when it was killed at the boundary; false when the run finished first. */
  killed: boolean;
}

/**
 * Starts kill-child.ts, lets `act` drive it once it is ready (post the webhook), then SIGKILLs
 * it the moment it announces the chosen boundary, or lets it end when it prints FINISHED.
 */
export async function runChildUntilKilled(env: Record<string, string>, killAt: string, act: (readyLine: string) => Promise<void>): Promise<KilledChild> {
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'bin/run-ts.js'), join(REPO, 'test/recovery/kill-child.ts')], {
    env: { ...process.env, ...env, KILL_AT: killAt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [n, phase] = killAt.split(':');
  let killed = false;
  const done = new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('READY ')) act(line.slice(6)).catch(reject);
      if (line.startsWith(`BOUNDARY ${n} ${phase} `)) {
        killed = true;
        child.kill('SIGKILL');
        resolve();
      }
      if (line.startsWith('FINISHED ')) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then((code) => (killed || lines.some((l) => l.startsWith('FINISHED')) ? resolve() : reject(new Error(`the child exited (${code}) before the boundary: ${stderr.slice(-2000)}`))));
  });
  await done;
  await exited;
  return { lines, killed };
}
