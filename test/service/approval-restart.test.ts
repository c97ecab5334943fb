import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { approveCommand } from '../../cli/commands/approve.ts';
import { loadConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld, type ScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import { captureIo } from '../cli/capture.ts';
import { answer, request } from '../http/harness.ts';
import { REPO } from '../support/fixture-project.ts';

const NOW = '2026-11-21T23:04:00Z';
const body = readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8');

const PLAYBOOK = `apiVersion: heal/v1
kind: Playbook
metadata: { name: ask_first, version: "1" }
on: { webhook: uptime-kuma, when: event.status == "down" }
on_error: escalate
steps:
  - id: ask
    use: approval.request
    with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", reason: "restart \${event.service}?", expires_in: 30m }
    on_timeout: too_late
  - { id: restart, use: intent.run, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", source: human } }
  - { id: done, use: value, with: { approved_by: "\${ask.by}" }, next: end }
  - { id: too_late, use: escalate, with: { level: N2, reason: "nobody approved the restart of \${event.service}" }, next: end }
  - { id: escalate, use: escalate, with: { level: N2, reason: "\${default(error.message, 'failed')}" } }
`;

interface Started {
  server: RunningServer;
  world: ScriptedWorld;
}

/**
 * Two servers, one after the other, on one data folder: what an engine restart is. Each has its
 * own scripted world, so what the second one executes is told apart from the first.
 */
describe('an approval waits durably: across a restart, decided by engine approve, or expired by the timers', () => {
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const project = (): { dataDir: string; playbooks: string } => {
    const root = mkdtempSync(join(tmpdir(), 'engine-approval-'));
    dirs.push(root);
    const playbooks = join(root, 'playbooks');
    mkdirSync(playbooks);
    writeFileSync(join(playbooks, 'ask-first.yaml'), PLAYBOOK);
    return { dataDir: join(root, 'data'), playbooks };
  };

  const start = async (p: { dataDir: string; playbooks: string }, env: Record<string, string> = {}, onRunFinished?: (s: RunSummary) => void): Promise<Started> => {
    const loaded = loadConfig({ DATA_DIR: p.dataDir, PORT: '0', ENGINE_ROOT: REPO, PLAYBOOKS_DIR: p.playbooks, ...env }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const world = createScriptedWorld({ now: NOW, shell: { 'systemctl restart -- nginx': { exitCode: 0, stdout: '', stderr: '' } } });
    const server = await startServer(loaded.config, { clock: world.clock, ids: new CounterIds(), logger: createLogger({ level: 'silent' }), world, watch: false, ...(onRunFinished ? { onRunFinished } : {}) });
    servers.push(server);
    return { server, world };
  };

  const post = async (server: RunningServer): Promise<string> => {
    const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(202);
    const runId = ((await res.json()) as { runs: string[] }).runs[0]!;
    await server.settled();
    return runId;
  };

  const stop = async (s: Started): Promise<void> => {
    servers.splice(servers.indexOf(s.server), 1);
    await s.server.close();
  };

  it('waits with nothing in memory, survives a restart, and resumes in the new process when approved', async () => {
    const p = project();
    const first = await start(p);
    const runId = await post(first.server);
    const waiting = answer(await request(`${first.server.url}/runs/${runId}`), 'run');
    expect(waiting).toMatchObject({ status: 'waiting', path: ['ask'], commands: [] });
    expect(waiting.reason).toMatch(/^approval apr_\S+ requested at step ask: restart nginx\?$/);
    expect(first.world.notifier.sent.map((n) => n.channel)).toEqual(['approvals']);
    await stop(first);

    const second = await start(p);
    expect(answer(await request(`${second.server.url}/runs/${runId}`), 'run').status).toBe('waiting');
    const io = captureIo();
    const code = await approveCommand({ runId, step: 'ask', approve: true, by: 'alice', reason: 'checked the disk', url: second.server.url, format: 'text' }, io.io);
    expect(io.stderr.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toBe(`approved: restart_service nginx on run ${runId} (step ask) by alice at ${new Date(Date.parse(NOW)).toISOString()}; the run resumes`);
    await second.server.settled();

    const done = answer(await request(`${second.server.url}/runs/${runId}`), 'run');
    expect(done).toMatchObject({ status: 'succeeded', path: ['ask', 'restart', 'done'], commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx'] });
    expect(done.trace.find((e) => e.type === 'step.end' && e.step === 'done')).toMatchObject({ output: { approved_by: 'alice' } });
    // The restart ran once, in the second process; the first never ran it.
    expect(first.world.shell.calls).toEqual([]);
    expect(second.world.shell.calls.map((c) => c.argv.join(' '))).toEqual(['systemctl restart -- nginx', 'systemctl is-active -- nginx']);
    // The approval notification was not sent again by the resumed run.
    expect(second.world.notifier.sent).toEqual([]);
    const audit = answer(await request(`${second.server.url}/audit?run=${runId}`), 'audit').audit;
    expect(audit).toEqual([expect.objectContaining({ intent: 'restart_service', decisionSource: 'human', status: 'success' })]);

    // Decided once: a second decision is refused, and says why.
    const again = captureIo();
    expect(await approveCommand({ runId, step: 'ask', reject: true, by: 'bob', url: second.server.url, format: 'text' }, again.io)).toBe(1);
    expect(again.stderr.join('\n')).toBe(`approve: 409 APPROVAL_NOT_PENDING: run ${runId} is succeeded, not waiting for an approval`);
  });

  it('rejected: nothing runs, and the run is escalated with who rejected it', async () => {
    const s = await start(project());
    const runId = await post(s.server);
    const res = await fetch(`${s.server.url}/runs/${runId}/approvals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step: 'ask', decision: 'reject', by: 'bob', reason: 'not during the sale' }) });
    expect(res.status).toBe(200);
    await s.server.settled();
    const run = answer(await request(`${s.server.url}/runs/${runId}`), 'run');
    expect(run).toMatchObject({ status: 'escalated', path: ['ask', 'escalate'], commands: [], reason: 'N2: bob rejected restart_service on nginx: not during the sale' });
    expect(s.world.shell.calls).toEqual([]);
  });

  it('expired: the durable timer takes on_timeout: once the time has passed, even after a restart', async () => {
    const p = project();
    const first = await start(p);
    const runId = await post(first.server);
    expect(await first.server.fireTimers()).toEqual([]);
    await stop(first);
    const second = await start(p);
    second.world.clock.advance(30 * 60_000 + 1);
    expect(await second.server.fireTimers()).toEqual([runId]);
    await second.server.settled();
    const run = answer(await request(`${second.server.url}/runs/${runId}`), 'run');
    expect(run).toMatchObject({ status: 'escalated', path: ['ask', 'too_late'], commands: [] });
    const io = captureIo();
    expect(await approveCommand({ runId, step: 'ask', approve: true, by: 'alice', url: second.server.url, format: 'text' }, io.io)).toBe(1);
  });

  it('expired in the same process: the run\'s own wake fires at its deadline, without a sweep', async () => {
    let done: (s: RunSummary) => void = () => {};
    const ended = new Promise<RunSummary>((resolve) => (done = resolve));
    const s = await start(project(), {}, (summary) => summary.outcome !== 'waiting' && done(summary));
    const runId = await post(s.server);
    s.world.clock.advance(30 * 60_000 - 1);
    expect(answer(await request(`${s.server.url}/runs/${runId}`), 'run').status).toBe('waiting');
    s.world.clock.advance(1);
    expect(await ended).toMatchObject({ runId, outcome: 'escalated', path: ['ask', 'too_late'] });
  });

  it('refuses a decision with a reason: unknown step, bad body, and without the token when APPROVE_TOKEN is set', async () => {
    const s = await start(project(), { APPROVE_TOKEN: 'approve-token-0123' });
    const runId = await post(s.server);
    const send = (b: unknown, token: string | null = 'approve-token-0123') =>
      fetch(`${s.server.url}/runs/${runId}/approvals`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(b) });
    expect((await send({ step: 'ask', decision: 'approve', by: 'alice' }, null)).status).toBe(401);
    const wrongStep = await send({ step: 'restart', decision: 'approve', by: 'alice' });
    expect(wrongStep.status).toBe(409);
    expect(await wrongStep.json()).toMatchObject({ error: { code: 'APPROVAL_NOT_PENDING', message: `run ${runId} has no approval waiting at step restart (waiting: ask)` } });
    const bad = await send({ step: 'ask', decision: 'maybe', by: 'alice' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'APPROVAL_INVALID', path: 'decision' } });
    expect((await send({ step: 'ask', decision: 'approve', by: '' })).status).toBe(400);
    const unknownRun = await fetch(`${s.server.url}/runs/run_nope/approvals`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer approve-token-0123' }, body: JSON.stringify({ step: 'ask', decision: 'approve', by: 'alice' }) });
    expect(unknownRun.status).toBe(404);
    expect(answer(await request(`${s.server.url}/runs/${runId}`), 'run').status).toBe('waiting');
  });
});
