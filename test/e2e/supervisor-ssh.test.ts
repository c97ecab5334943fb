import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunCommand } from '../../cli/commands/dry-run.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { startWorker } from '../../runtime/service/worker.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import { testDatabaseUrl, uniqueSchema } from '../stores/postgres-test-db.ts';
import { cleanDistributed } from '../support/distributed-cleanup.ts';
import { startSshd, type TestSshd } from '../adapters/ssh/support/sshd.ts';
import { REPO } from '../support/fixture-project.ts';

/**
 * The supervisor end to end on real peers: an Uptime Kuma webhook, the gates, scripted models,
 * the restart over SSH on a host managed by a real OpenSSH server (its systemctl is a script that
 * supervises a real process), the intent's verification, and the success mail through a real SMTP
 * server. Then the same event as a dry-run: the same path, decision and commands.
 */
const LLM = {
  diagnostician: { observation: 'nginx refuses connections', intent: 'restart_service', target: 'nginx', confidence: 0.9, reasoning: 'the process died' },
  validator: { agreement: 'AGREE', score: 0.9, objections: [] },
};

let sshd: TestSshd;
let smtp: SMTPServer;
let smtpPort = 0;
const mails: string[] = [];
let dir = '';

/** The managed host's systemctl and journalctl: nginx is a real process under a pid file. */
function installHostTools(bin: string, state: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh
# systemctl ACTION -- UNIT, as the catalog renders it; the unit is a sleep under a pid file.
action="$1"; unit="$3"; pid="${state}/$unit.pid"
alive() { [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; }
case "$action" in
  restart|start|reload)
    if alive; then kill "$(cat "$pid")"; fi
    setsid sleep 3600 </dev/null >/dev/null 2>&1 &
    echo $! > "$pid"; echo "$(date +%s) $action $unit" >> "${state}/actions.log" ;;
  is-active) if alive; then echo active; exit 0; else echo inactive; exit 3; fi ;;
  *) echo "unknown action $action" >&2; exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  writeFileSync(join(bin, 'journalctl'), `#!/bin/sh\necho "nginx.service: Main process exited, code=killed, status=9/KILL"\n`, { mode: 0o755 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'heal-e2e-'));
  installHostTools(join(dir, 'bin'), join(dir, 'state'));
  mkdirSync(join(dir, 'state'));
  sshd = await startSshd({ setEnv: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin` } });
  smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _s, cb) => (auth.username === 'heal' && auth.password === 'smtp-secret-e2e' ? cb(null, { user: 'heal' }) : cb(new Error('bad credentials'))),
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as { port: number }).port;
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  // The service the test started on the "host".
  const pid = join(dir, 'state', 'nginx.pid');
  if (existsSync(pid)) {
    try {
      process.kill(Number(readFileSync(pid, 'utf8')));
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function engineConfig(): string {
  return `hosts:
  - { name: web-1, address: 127.0.0.1, port: ${sshd.port}, user: ${sshd.user}, key_file: ${sshd.userKeyFile}, host_key: "${sshd.hostKey}" }
notifiers:
  channels: { ops: [mail-ops], escalation: [mail-ops] }
  targets:
    mail-ops: { type: smtp, host: 127.0.0.1, port: ${smtpPort}, secure: false, user_env: SMTP_USER, password_env: SMTP_PASSWORD, from: heal@example.org, to: [oncall@example.org] }
`;
}

describe('the supervisor restarts a failed service on a real sshd-managed host (embedded profile)', () => {
  let server: RunningServer;

  it('webhook, gates, models, SSH restart, verification, mail: the service runs again', async () => {
    const root = join(dir, 'engine');
    mkdirSync(join(root, 'playbooks'), { recursive: true });
    copyFileSync(join(REPO, 'playbooks/supervisor.yaml'), join(root, 'playbooks/supervisor.yaml'));
    writeFileSync(join(root, 'engine.config.yaml'), engineConfig());
    const loaded = loadConfig({ DATA_DIR: join(root, 'data'), PORT: '0', ENGINE_ROOT: REPO, PLAYBOOKS_DIR: join(root, 'playbooks'), ENGINE_CONFIG: join(root, 'engine.config.yaml') }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const world = createScriptedWorld({ now: '2026-11-21T23:04:00Z', llm: LLM });
    server = await startServer(loaded.config, {
      clock: world.clock,
      ids: new CounterIds(),
      logger: createLogger({ level: 'silent' }),
      world: { llm: world.llm, memory: world.memory },
      watch: false,
      env: { SMTP_USER: 'heal', SMTP_PASSWORD: 'smtp-secret-e2e' },
    });
    try {
      // nginx is down on web-1: no process behind its pid file.
      expect(execFileSync(join(dir, 'bin', 'systemctl'), ['is-active', '--', 'nginx'], { encoding: 'utf8' }).trim()).toBe('inactive');
    } catch (e) {
      expect((e as { status?: number }).status).toBe(3);
    }
    try {
      const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8') });
      expect(res.status).toBe(202);
      const { runs } = (await res.json()) as { runs: string[] };
      await server.settled();
      const run = (await (await fetch(`${server.url}/runs/${runs[0]}`)).json()) as { status: string; decision: string; path: string[]; commands: string[]; trace: { type: string; note?: string; status?: string }[] };
      expect(run.status).toBe('succeeded');
      expect(run.decision).toBe('AUTO_EXECUTE');
      expect(run.path).toEqual(['context', 'memory', 'logs', 'diagnosis', 'validation', 'check', 'decision', 'route', 'execute', 'remember', 'notify_success']);
      expect(run.commands).toEqual(['journalctl --no-pager -n 200 -u nginx', 'systemctl restart -- nginx', 'systemctl is-active -- nginx']);
      expect(run.trace.filter((e) => e.type === 'command').map((e) => e.note ?? e.status)).toEqual(['succeeded', 'succeeded', 'verify']);
      // On the host: restarted once, and running.
      expect(readFileSync(join(dir, 'state', 'actions.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').slice(1).join(' '))).toEqual(['restart nginx']);
      expect(execFileSync(join(dir, 'bin', 'systemctl'), ['is-active', '--', 'nginx'], { encoding: 'utf8' }).trim()).toBe('active');
      // The success mail reached the SMTP server.
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/^Subject: \[INFO\] Resolved: nginx on web-1/m);
      expect(mails[0]).toMatch(new RegExp(`^X-Heal-Key: ${runs[0]}/notify_success/1/1`, 'm'));
      expect(mails[0]).toMatch(/^To: oncall@example\.org/m);

      // The same event as a dry-run: the same path, decision and commands; only the effect
      // executor differs (scripted answers instead of SSH and SMTP), and nothing is executed.
      writeFileSync(join(dir, 'llm.json'), JSON.stringify(LLM));
      const out: string[] = [];
      const code = await dryRunCommand(
        { event: join(REPO, 'examples/uptime-kuma/down.json'), source: 'uptime-kuma', llm: join(dir, 'llm.json'), format: 'json', playbooks: [join(root, 'playbooks')], playbook: 'supervisor', now: '2026-11-21T23:04:00Z' },
        { stdout: (t) => out.push(t), stderr: (t) => out.push(t) },
      );
      expect(code, out.join('\n')).toBe(0);
      const dry = JSON.parse(out.join('\n')) as { outcome: string; decision: string; path: string[]; commands: string[] };
      expect({ outcome: dry.outcome, decision: dry.decision, path: dry.path, commands: dry.commands }).toEqual({ outcome: 'succeeded', decision: run.decision, path: run.path, commands: run.commands });
      expect(readFileSync(join(dir, 'state', 'actions.log'), 'utf8').trim().split('\n')).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('the same on the distributed profile: engine serve ingests, an engine worker restarts over SSH (Redis, PostgreSQL)', () => {
  it('the worker restarts the service and verifies it; the mail goes out once', async () => {
    const root = join(dir, 'engine-distributed');
    mkdirSync(join(root, 'playbooks'), { recursive: true });
    copyFileSync(join(REPO, 'playbooks/supervisor.yaml'), join(root, 'playbooks/supervisor.yaml'));
    writeFileSync(join(root, 'engine.config.yaml'), engineConfig());
    // The service is down again before this run.
    execFileSync('sh', ['-c', `kill "$(cat ${join(dir, 'state', 'nginx.pid')})" 2>/dev/null; rm -f ${join(dir, 'state', 'nginx.pid')} ${join(dir, 'state', 'actions.log')}`]);
    const before = mails.length;
    const schema = uniqueSchema('e2essh');
    const tag = schema.slice(-12);
    const loaded = loadConfig(
      {
        PORT: '0',
        ENGINE_ROOT: REPO,
        PLAYBOOKS_DIR: join(root, 'playbooks'),
        ENGINE_CONFIG: join(root, 'engine.config.yaml'),
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: await testDatabaseUrl(),
        ENGINE_SECRET_KEY: 'b'.repeat(64),
        DATABASE_SCHEMA: schema,
        QUEUE_NAME: `runs-${tag}`,
        REDIS_PREFIX: `test-${tag}`,
      },
      process.cwd(),
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const world = createScriptedWorld({ now: '2026-11-21T23:04:00Z', llm: LLM });
    let done: (s: RunSummary) => void = () => {};
    const finished = new Promise<RunSummary>((resolve) => (done = resolve));
    const common = { clock: world.clock, logger: createLogger({ level: 'silent' }), world: { llm: world.llm, memory: world.memory }, watch: false, env: { SMTP_USER: 'heal', SMTP_PASSWORD: 'smtp-secret-e2e' } };
    const server = await startServer(loaded.config, { ...common, ids: new CounterIds() });
    const worker = await startWorker(loaded.config, { ...common, ids: new CounterIds(), sweepEveryMs: 3_600_000, onRunFinished: (s) => done(s) });
    try {
      const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8') });
      expect(res.status).toBe(202);
      const summary = await finished;
      expect(summary).toMatchObject({ outcome: 'succeeded', decision: 'AUTO_EXECUTE', commands: ['journalctl --no-pager -n 200 -u nginx', 'systemctl restart -- nginx', 'systemctl is-active -- nginx'] });
      expect(readFileSync(join(dir, 'state', 'actions.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').slice(1).join(' '))).toEqual(['restart nginx']);
      expect(execFileSync(join(dir, 'bin', 'systemctl'), ['is-active', '--', 'nginx'], { encoding: 'utf8' }).trim()).toBe('active');
      expect(mails.slice(before)).toEqual([expect.stringMatching(/^Subject: \[INFO\] Resolved: nginx on web-1/m)]);
    } finally {
      await worker.close();
      await server.close();
      await cleanDistributed(loaded.config, schema);
    }
  }, 60_000);
});
