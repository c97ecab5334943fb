/**
 * The old code as the baseline of the redesigned runs: the last commit of the old design, checked
 * out from this repository's history into a temporary worktree (detached, in the OS temp folder)
 * for the length of one bench, then removed. The old code is never copied into the project tree;
 * a bench writes a small script beside the worktree and runs it there as a child process.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../runtime/fixtures.ts';

/** The last commit of the old design (the interpreter engine/run/interpreter.ts, unjournaled runs). */
export const OLD_COMMIT = '11241ec';

const run = promisify(execFile);
/** What a child script prints before its JSON answer, so logs on stdout do not confuse the parse. */
export const RESULT_MARK = 'BENCH_RESULT ';

export interface OldCheckout {
  /** The worktree of OLD_COMMIT, with this checkout's node_modules linked in. */
  tree: string;
  /** Its temporary parent folder, where scripts are written. */
  dir: string;
}

export type Measured<T> = { ok: true; value: T } | { ok: false; why: string };

/**
 * Runs `fn` with a temporary worktree of OLD_COMMIT; `ok: false` (and why) when this is not a git
 * checkout or the commit is not in its history. The worktree is removed whatever `fn` does.
 */
export async function withOldCheckout<T>(fn: (checkout: OldCheckout) => Promise<T>): Promise<Measured<T>> {
  const git = (...args: string[]) => run('git', ['-C', REPO_ROOT, ...args], { encoding: 'utf8' });
  try {
    await git('cat-file', '-e', `${OLD_COMMIT}^{commit}`);
  } catch {
    return { ok: false, why: `commit ${OLD_COMMIT} is not available (no git, not a git checkout, or a shallow history)` };
  }
  const modules = join(REPO_ROOT, 'node_modules');
  if (!existsSync(modules)) return { ok: false, why: 'no node_modules to link into the old checkout' };
  const dir = mkdtempSync(join(tmpdir(), 'bench-old-'));
  const tree = join(dir, 'tree');
  try {
    await git('worktree', 'add', '--detach', '--quiet', tree, OLD_COMMIT);
    // The lock file is the same at OLD_COMMIT, so the installed packages are the ones it ran with.
    symlinkSync(realpathSync(modules), join(tree, 'node_modules'));
    return { ok: true, value: await fn({ tree, dir }) };
  } finally {
    if (existsSync(tree)) await git('worktree', 'remove', '--force', tree).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `script` beside the old worktree and runs it there (`node bin/run-ts.js`, cwd the
 * worktree, as `npm run bench` runs a bench); the JSON it prints after RESULT_MARK.
 */
export function runOldScript(checkout: OldCheckout, name: string, script: string, timeoutMs: number): Promise<unknown> {
  // .mts: the temporary folder has no package.json to make a .ts file an ES module.
  const file = join(checkout.dir, `${name}.mts`);
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(checkout.tree, 'bin/run-ts.js'), file], { cwd: checkout.tree, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || line === undefined) {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${code}`;
        reject(new Error(`${name} at ${OLD_COMMIT}: ${why}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARK.length)) as unknown);
    });
  });
}
