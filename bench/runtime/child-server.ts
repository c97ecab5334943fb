/**
 * Starts bench/runtime/serve-child.ts in its own Node process and talks to it over IPC; the
 * resident memory is read by the parent from /proc/<pid>/status (Linux), as `ps` would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.ts';

export interface ChildServer {
  url: string;
  pid: number;
  /** Waits until the server has no run queued or running. */
  settle(timeoutMs?: number): Promise<void>;
  /** VmRSS and VmHWM (peak) in bytes, or null where /proc is not there. */
  memory(): { rss: number; peak: number } | null;
  /** CPU time the process has used (user + system), in ms, or null where /proc is not there. */
  cpuMs(): number | null;
  /** SIGTERM (graceful close), then waits for the exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

type ChildMessage = { type: 'ready'; url: string } | { type: 'settled' } | { type: 'error'; message: string };

/** `execArgv`: Node flags for the server process, e.g. ['--cpu-prof'] to see where its time goes. */
export async function startChildServer(mode: 'engine' | 'bare', env: Record<string, string>, execArgv: string[] = [], timeoutMs = 30_000): Promise<ChildServer> {
  const child = fork(join(REPO_ROOT, 'bin/run-ts.js'), [join(REPO_ROOT, 'bench/runtime/serve-child.ts'), mode], {
    cwd: REPO_ROOT,
    execArgv,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await within<string>(timeoutMs, `${mode} server did not start`, child, (m, resolve, reject) => {
    if (m.type === 'ready') resolve(m.url);
    else if (m.type === 'error') reject(new Error(`${mode} server: ${m.message}`));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    settle: (ms = 60_000) =>
      within(ms, `${mode} server did not settle`, child, (m, resolve, reject) => {
        if (m.type === 'settled') resolve(undefined);
        else if (m.type === 'error') reject(new Error(`${mode} server: ${m.message}`));
      }, { type: 'settle' }),
    memory: () => procMemory(pid),
    cpuMs: () => procCpuMs(pid),
    async stop(ms = 30_000) {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) throw new Error(`${mode} server exited with ${String(code)}`);
    },
  };
}

/** Resolves with the first message `on` accepts; rejects on timeout or when the child exits first. */
function within<T>(
  ms: number,
  what: string,
  child: ChildProcess,
  on: (m: ChildMessage, resolve: (v: T) => void, reject: (e: Error) => void) => void,
  request?: unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', listen);
      child.off('exit', onExit);
    };
    const listen = (m: ChildMessage): void =>
      on(
        m,
        (v) => {
          done();
          resolve(v);
        },
        (e) => {
          done();
          reject(e);
        },
      );
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`${what}: the process exited with ${String(code)}`));
    };
    const timer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${what} within ${ms} ms`));
    }, ms);
    child.on('message', listen);
    child.once('exit', onExit);
    if (request !== undefined) child.send(request as object);
  });
}

function procMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

function procCpuMs(pid: number): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
