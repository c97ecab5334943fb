import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNotStarted, type ShellRequest } from '../../../engine/ports/shell.ts';
import { renderCommand } from '../../../engine/intents/render.ts';
import { readSshConfig, type SshConfig } from '../../../runtime/adapters/ssh/config.ts';
import { SshShell } from '../../../runtime/adapters/ssh/ssh-shell.ts';
import { performEffect } from '../../../runtime/driver/perform-effect.ts';
import { SystemClock } from '../../../runtime/system-clock.ts';
import type { Effect } from '../../../engine/effects/effect.ts';
import type { Ports } from '../../../engine/ports/index.ts';
import { startSshd, type TestSshd } from './support/sshd.ts';

// One real OpenSSH server for the whole file (test/adapters/ssh/support/sshd.ts).
let sshd: TestSshd;
let shell: SshShell;
let argdump: string;
let svcctl: string;

function config(overrides: Record<string, unknown> = {}, name = 'box'): SshConfig {
  const read = readSshConfig(
    [{ name, address: '127.0.0.1', port: sshd.port, user: sshd.user, key_file: sshd.userKeyFile, host_key: sshd.hostKey, connect_timeout: '5s', ...overrides }],
    {},
  );
  if (!read.ok) throw new Error(read.errors.join('\n'));
  return read.value;
}

const req = (argv: string[], more: Partial<ShellRequest> = {}): ShellRequest => ({ host: 'box', argv, timeoutMs: 10_000, ...more });

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  sshd = await startSshd();
  // Prints its argument count, then its first argument's bytes in hex: what the remote side received.
  argdump = sshd.script('argdump', `#!/bin/sh\nprintf '%s\\n' "$#"\nprintf '%s' "$1" | od -An -v -tx1 | tr -d ' \\n'\n`);
  // A tiny systemctl for one fake service (a sleep under a pid file), with systemctl's exit codes.
  svcctl = sshd.script(
    'svcctl',
    `#!/bin/sh
set -u
action=$1; shift
[ "\${1:-}" = "--" ] && shift
pidfile="${sshd.dir}/svc-$1.pid"
running() {
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
  [ "$state" != Z ]
}
case $action in
  is-active) if running; then echo active; exit 0; else echo inactive; exit 3; fi ;;
  stop) if running; then kill "$(cat "$pidfile")"; fi; rm -f "$pidfile" ;;
  restart)
    if running; then kill "$(cat "$pidfile")"; fi
    nohup sleep 3600 </dev/null >/dev/null 2>&1 &
    echo $! > "$pidfile" ;;
  *) echo "svcctl: unknown action $action" >&2; exit 2 ;;
esac
`,
  );
  shell = new SshShell(config({ max_output: 1000 }));
});

afterAll(async () => {
  if (shell) await shell.close();
  if (sshd) {
    await new SshShell(config()).exec(req([svcctl, 'stop', '--', 'web'])).catch(() => {});
    await sshd.stop();
  }
});

describe('SshShell against a real sshd', () => {
  it('runs a command: exit code, stdout, stderr and duration come back; a non-zero exit is data', async () => {
    const ok = await shell.exec(req(['sh', '-c', 'echo out; echo err >&2']));
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    const failed = await shell.exec(req(['sh', '-c', 'echo nope >&2; exit 7']));
    expect(failed).toMatchObject({ exitCode: 7, stdout: '', stderr: 'nope\n' });
  });

  it('restarts a stopped service with the catalog style of command, and a status command verifies it', async () => {
    const intent = (command: string[]) => ({ name: 'restart_service', command, targets: new Set(['web']), escalate: false });
    const restart = renderCommand(intent([svcctl, 'restart', '--', '{target}']), 'web');
    const status = renderCommand(intent([svcctl, 'is-active', '--', '{target}']), 'web');
    expect(restart.command).toBe(`${svcctl} restart -- web`);

    await shell.exec(req([svcctl, 'stop', '--', 'web']));
    expect(await shell.exec(req(status.argv))).toMatchObject({ exitCode: 3, stdout: 'inactive\n' });
    expect(await shell.exec(req(restart.argv))).toMatchObject({ exitCode: 0 });
    expect(await shell.exec(req(status.argv))).toMatchObject({ exitCode: 0, stdout: 'active\n' });
    const first = (await shell.exec(req(['cat', join(sshd.dir, 'svc-web.pid')]))).stdout;
    await shell.exec(req(restart.argv));
    const second = (await shell.exec(req(['cat', join(sshd.dir, 'svc-web.pid')]))).stdout;
    expect(second).not.toBe(first);
    expect(await shell.exec(req(status.argv))).toMatchObject({ exitCode: 0, stdout: 'active\n' });
  });

  it('refuses a host whose key is not the pinned one: SSH_HOST_KEY_MISMATCH, started:false, nothing ran', async () => {
    const canary = join(sshd.dir, 'CANARY-hostkey');
    const logins = sshd.logins();
    for (const pinned of [sshd.otherHostKey, sshd.otherTypeHostKey]) {
      const wrong = new SshShell(config({ host_key: pinned }));
      const e = await rejection(wrong.exec(req(['touch', canary])));
      expect(e.code).toBe('SSH_HOST_KEY_MISMATCH');
      expect(commandNotStarted(e)).toBe(true);
      expect(wrong.health()[0]).toMatchObject({ ok: false, connected: false, connects: 0 });
      await wrong.close();
    }
    expect(existsSync(canary)).toBe(false);
    expect(sshd.logins()).toBe(logins);
  });

  it('times a hung command out with STEP_TIMEOUT (may have run), and the connection stays usable', async () => {
    await shell.exec(req(['true']));
    const connects = shell.health()[0]!.connects;
    const pidfile = join(sshd.dir, 'hung.pid');
    const e = await rejection(shell.exec(req(['sh', '-c', `echo $$ > ${pidfile}; exec sleep 30`], { timeoutMs: 500 })));
    expect(e.code).toBe('STEP_TIMEOUT');
    expect(commandNotStarted(e)).toBe(false);
    // The channel was signalled (TERM). OpenSSH delivers signals to privilege-separated sessions
    // only, which a root login is not: as root, sshd logs that it refused the signal it got.
    const pid = readFileSync(pidfile, 'utf8').trim();
    if (process.getuid?.() === 0) {
      await until(() => sshd.log().includes('session_signal_req: session signalling requires privilege separation'));
      killIfAlive(pid);
    } else {
      await until(() => !alive(pid));
    }
    expect(await shell.exec(req(['echo', 'still here']))).toMatchObject({ exitCode: 0, stdout: 'still here\n' });
    expect(shell.health()[0]!.connects).toBe(connects);
  });

  it('aborts a running command through the signal, as a timeout does', async () => {
    const control = new AbortController();
    const marker = join(sshd.dir, 'abort-started');
    const running = shell.exec(req(['sh', '-c', `echo $$ > ${marker}.tmp; mv ${marker}.tmp ${marker}; exec sleep 30`], { signal: control.signal }));
    await until(() => existsSync(marker)); // the command runs: sshd is on the same machine
    control.abort();
    const e = await rejection(running);
    expect(e.code).toBe('SSH_ABORTED');
    expect(commandNotStarted(e)).toBe(false);
    killIfAlive(readFileSync(marker, 'utf8').trim()); // a root session takes no signal (see the timeout test)
    const before = new AbortController();
    before.abort();
    const early = await rejection(shell.exec(req(['touch', join(sshd.dir, 'CANARY-abort')], { signal: before.signal })));
    expect(early.code).toBe('SSH_ABORTED');
    expect(commandNotStarted(early)).toBe(true);
    expect(existsSync(join(sshd.dir, 'CANARY-abort'))).toBe(false);
  });

  it('passes every hostile target as exactly one argument, byte for byte, and never runs any of it', async () => {
    const canary = join(sshd.dir, 'CANARY');
    const hostile = [
      `; touch ${canary}`,
      `$(touch ${canary})`,
      `\`touch ${canary}\``,
      `x && touch ${canary}`,
      `x || touch ${canary}`,
      `x | touch ${canary}`,
      `x\ntouch ${canary}`,
      `x\rtouch ${canary}`,
      `'; touch ${canary}; '`,
      `"; touch ${canary}; "`,
      `'\\''`,
      `\\`,
      '*',
      '~',
      '-rf',
      '--',
      '$HOME ${IFS} $1 $@',
      `a b\tc`,
      '',
      ' ',
      '=cmd',
      `> ${canary}`,
      `< /etc/passwd`,
      `x & touch ${canary}`,
      'nginx\u202e.service',
      'é—😀 ünïcödé',
      `${'A'.repeat(20_000)}; touch ${canary}`,
    ];
    const wide = new SshShell(config()); // the default 1 MiB bound: the long one's hex is 40 KB
    for (const target of hostile) {
      const result = await wide.exec(req([argdump, target]));
      const [count, hex = ''] = result.stdout.split('\n');
      const shown = JSON.stringify(target.length > 80 ? `${target.slice(0, 40)}...${target.slice(-40)}` : target);
      expect({ target: shown, count, same: hex === Buffer.from(target, 'utf8').toString('hex'), stderr: result.stderr }).toEqual({ target: shown, count: '1', same: true, stderr: '' });
    }
    await wide.close();
    expect(existsSync(canary)).toBe(false);
  }, 60_000);

  it('refuses an argument with NUL before anything is sent', async () => {
    const e = await rejection(shell.exec(req(['echo', 'a\u0000b'])));
    expect(e.code).toBe('SHELL_QUOTE_NUL');
    expect(commandNotStarted(e)).toBe(true);
  });

  it('reuses one connection for many commands, and opens a new one after a drop', async () => {
    const reused = new SshShell(config());
    const logins = sshd.logins();
    // Three commands at once on a cold adapter share the one connection they wait for.
    const cold = await Promise.all(['1', '2', '3'].map((n) => reused.exec(req(['echo', n]))));
    expect(cold.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n']);
    await reused.exec(req(['true']));
    expect(reused.health()[0]).toMatchObject({ ok: true, connected: true, connects: 1 });
    expect(sshd.logins() - logins).toBe(1);

    // The remote shell kills its own sshd session: the connection drops under the command.
    const orphan = join(sshd.dir, 'orphan.pid');
    const dropped = await rejection(reused.exec(req(['sh', '-c', `echo $$ > ${orphan}; kill -TERM $PPID; exec sleep 10`])));
    killIfAlive(readFileSync(orphan, 'utf8').trim());
    expect(dropped.code).toBe('SSH_CONNECTION_LOST');
    expect(commandNotStarted(dropped)).toBe(false);
    expect(reused.health()[0]).toMatchObject({ ok: false, connected: false });
    expect(await reused.exec(req(['echo', 'back']))).toMatchObject({ stdout: 'back\n' });
    expect(reused.health()[0]).toMatchObject({ ok: true, connected: true, connects: 2 });
    expect(sshd.logins() - logins).toBe(2);
    await reused.close();
    expect(reused.health()[0]!.connected).toBe(false);
    const closed = await rejection(reused.exec(req(['true'])));
    expect(closed.code).toBe('SSH_CLOSED');
  });

  it('cuts output beyond max_output with a note, reading the rest, and keeps the exit code', async () => {
    const result = await shell.exec(req(['sh', '-c', "head -c 3000000 /dev/zero | tr '\\0' a; echo tail >&2; exit 4"]));
    expect(result.exitCode).toBe(4);
    expect(result.stdout.startsWith('a'.repeat(1000))).toBe(true);
    expect(result.stdout).toContain('[output cut at 1000 bytes: 2999000 more bytes dropped]');
    expect(result.stdout.length).toBeLessThan(1100);
    expect(result.stderr).toBe('tail\n');
    // A cut never leaves half a UTF-8 character.
    const utf8 = await shell.exec(req(['sh', '-c', "printf 'a'; i=0; while [ $i -lt 600 ]; do printf '\\303\\251'; i=$((i+1)); done"]));
    expect(utf8.stdout).not.toContain('\ufffd');
    expect(utf8.stdout).toMatch(/^aé{499}\n\[output cut at 1000 bytes: 201 more bytes dropped\]$/);
  });

  it('scrubs secrets from stdout and stderr', async () => {
    const result = await shell.exec(req(['sh', '-c', 'echo "db password=hunter2 ok"; echo "Authorization: Bearer abcdefghijklmnopqrstuvwxyz" >&2']));
    expect(result.stdout).toBe('db password=[REDACTED] ok\n');
    expect(result.stderr).toBe('Authorization: Bearer [REDACTED]\n');
    expect(result.stdout + result.stderr).not.toMatch(/hunter2|abcdefghijklmnop/);
  });

  it('refuses, without sending anything: no host, an unknown host, a bad key, a closed port', async () => {
    const noHost = await rejection(shell.exec(req(['true'], { host: null })));
    expect([noHost.code, commandNotStarted(noHost)]).toEqual(['SSH_NO_HOST', true]);
    const unknown = await rejection(shell.exec(req(['true'], { host: 'elsewhere' })));
    expect([unknown.code, commandNotStarted(unknown)]).toEqual(['SSH_UNKNOWN_HOST', true]);

    const stranger = new SshShell(config({ key_file: sshd.strangerKeyFile }));
    const auth = await rejection(stranger.exec(req(['true'])));
    expect([auth.code, commandNotStarted(auth)]).toEqual(['SSH_AUTH_FAILED', true]);
    expect(stranger.health()[0]).toMatchObject({ ok: false });
    expect(stranger.health()[0]!.error).toMatch(/^SSH_AUTH_FAILED/);
    await stranger.close();

    const closedPort = new SshShell(config({ port: await closedLocalPort() }));
    const refused = await rejection(closedPort.exec(req(['true'])));
    expect([refused.code, commandNotStarted(refused)]).toEqual(['SSH_CONNECT_FAILED', true]);
    await closedPort.close();

    // A peer that accepts TCP and never speaks SSH: the connect timeout ends the wait.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    const mute = new SshShell(config({ port, connect_timeout: '300ms' }));
    const timedOut = await rejection(mute.exec(req(['true'])));
    expect([timedOut.code, commandNotStarted(timedOut)]).toEqual(['SSH_CONNECT_TIMEOUT', true]);
    await mute.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('answers the driver as the journal keeps it: the result with its duration, a timeout that may have run, a refusal that did not', async () => {
    const ports = { shell, clock: new SystemClock() } as unknown as Ports;
    const effect = (argv: string[], host: string | null, timeoutMs: number, step: { ms: number } | null = null): Effect => ({
      id: 'run_1/restart/1/1',
      step: 'restart',
      mode: 'write',
      request: { kind: 'shell.exec', host, argv, timeoutMs, readOnly: false, verify: null },
      timeout: step === null ? null : { deadline: Date.now() + step.ms, step: 'restart', ms: step.ms },
    });
    const ran = await performEffect(effect(['sh', '-c', 'echo done; exit 3'], 'box', 5000), ports, { shadow: false });
    expect(ran).toMatchObject({ ok: true, value: { exitCode: 3, stdout: 'done\n', stderr: '' } });
    expect(JSON.parse(JSON.stringify(ran))).toHaveProperty('value.durationMs');

    const hung = await performEffect(effect(['sleep', '30'], 'box', 300), ports, { shadow: false });
    expect(hung).toMatchObject({ ok: false, error: { code: 'STEP_TIMEOUT', details: { host: 'box', timeoutMs: 300 } } });
    expect(commandNotStarted((hung as { error: unknown }).error)).toBe(false);

    // The step's own deadline, shorter than the command's: the driver aborts the port's call.
    const cut = await performEffect(effect(['sleep', '30'], 'box', 30_000, { ms: 300 }), ports, { shadow: false });
    expect(cut).toMatchObject({ ok: false, error: { code: 'STEP_TIMEOUT' } });

    const refused = await performEffect(effect(['true'], 'nowhere', 5000), ports, { shadow: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SSH_UNKNOWN_HOST', details: { started: false } } });
    expect(await shell.exec(req(['echo', 'ok']))).toMatchObject({ stdout: 'ok\n' });
  });

  it('describes itself in one line, and reports health without connecting', () => {
    expect(new SshShell(config({}, 'web-1')).describe()).toBe(`ssh: 1 host (web-1 127.0.0.1:${sshd.port} as ${sshd.user})`);
    expect(new SshShell(config({}, 'web-1')).health()).toEqual([{ host: 'web-1', ok: null, connected: false, at: null, error: null, connects: 0 }]);
  });
});

/** Polls a condition the test awaits (a file the remote side writes), up to a bound. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a process is running (not gone, not a zombie nobody reaped). */
function alive(pid: string): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function killIfAlive(pid: string): void {
  try {
    process.kill(Number(pid), 'SIGTERM');
  } catch {
    // already gone
  }
}

/** A port nothing listens on: one the OS handed out and that was closed again. */
async function closedLocalPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });
}
