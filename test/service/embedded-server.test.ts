import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { openEmbeddedProfile } from '../../runtime/profiles/embedded.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { answer, request, type Answers } from '../http/harness.ts';
import { fixtureEnv } from '../support/fixture-project.ts';

const NOW = '2026-11-21T23:04:00Z';
const example = (path: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../examples', path), 'utf8'));
const llm = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;

describe('engine serve, embedded profile (SQLite), end to end over HTTP', () => {
  let dataDir: string;
  let config: EngineConfig;
  let server: RunningServer | null = null;

  let world: ReturnType<typeof createScriptedWorld>;
  const start = async (): Promise<RunningServer> => {
    world = createScriptedWorld({ now: NOW, llm });
    server = await startServer(config, {
      clock: world.clock,
      ids: new CounterIds(),
      logger: createLogger({ level: 'silent' }),
      world: { llm: world.llm, shell: world.shell, memory: world.memory, notifier: world.notifier, tools: world.tools },
      watch: false,
    });
    return server;
  };
  const post = (path: string, body: unknown) =>
    fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const get = async <K extends keyof Answers>(path: string, kind: K) => {
    const reply = await request(`${server!.url}${path}`);
    return { status: reply.status, body: answer(reply, kind) };
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-serve-'));
    const loaded = loadConfig({ DATA_DIR: dataDir, PORT: '0', ...fixtureEnv() }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts an Uptime Kuma alert, runs the supervisor and serves its trace', async () => {
    await start();
    const res = await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { runs: string[]; skipped: unknown[] };
    expect(accepted.runs).toHaveLength(1);
    await server!.settled();
    const run = await get(`/runs/${accepted.runs[0]}`, 'run');
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ status: 'succeeded', decision: 'AUTO_EXECUTE', playbook: { name: 'remediate' } });
    expect(run.body.commands).toContain('systemctl restart -- nginx');
    expect(run.body.gates.map((g) => g.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(run.body.trace.filter((e) => e.type === 'gate')[0]).toMatchObject({ gate: 'stale', verdict: 'pass' });
    expect(typeof run.body.queuedAt).toBe('string');
    expect(typeof run.body.endedAt).toBe('string');
  });

  it('accepts an Alertmanager alert and serves its trace', async () => {
    await start();
    const res = await post('/hooks/alertmanager', example('alertmanager/firing.json'));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { runs: string[] };
    expect(accepted.runs).toHaveLength(1);
    await server!.settled();
    const run = await get(`/runs/${accepted.runs[0]}`, 'run');
    expect(run.body.status).toBe('succeeded');
    const runStart = run.body.trace.find((e) => e.type === 'run.start');
    expect(runStart?.event).toMatchObject({ source: 'alertmanager', service: 'nginx', host: 'web-1' });
  });

  it('says why nothing ran: a duplicate within 20 minutes, and an UP event no playbook wants', async () => {
    await start();
    const first = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[] };
    const again = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[]; skipped: { playbook: string; reason: string }[] };
    expect(again.runs).toEqual([]);
    expect(again.skipped).toEqual([{ playbook: 'remediate', reason: expect.stringMatching(/^dedup: duplicate: .* already handled by run_/) }]);
    const up = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/up.json'))).json()) as { runs: string[]; skipped: { playbook: string; reason: string }[] };
    expect(up.runs).toEqual([]);
    expect(up.skipped[0]!.reason).toMatch(/on.when is false/);
    await server!.settled();
    const list = (await get('/events?source=uptime-kuma&limit=10', 'events')).body.events;
    expect(list).toHaveLength(3);
    expect(list[2]!.runs).toEqual(first.runs); // newest first
    expect(list[1]!.skipped).toHaveLength(1);
  });

  it('keeps accepted runs across a restart and recovers a run interrupted before it executed anything', async () => {
    await start();
    const accepted = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[] };
    await server!.settled();
    await server!.close();
    server = null;

    // A run left `running` by a killed process, which had not executed a command yet.
    const profile = openEmbeddedProfile({ dataDir, clock: { now: () => Date.parse(NOW), delay: async () => {} }, logger: createLogger({ level: 'silent' }) });
    const done = await profile.records.getRun(accepted.runs[0]!);
    const row = { ...done!, runId: 'run_interrupted', eventId: done!.eventId, status: 'queued' as const, startedAt: null, endedAt: null, attempts: 0, result: null, reason: null, decision: null };
    await profile.records.commitIngest({ events: [], runs: [row] });
    expect(await profile.records.startRun('run_interrupted', new Date(NOW).toISOString())).not.toBeNull();
    await profile.close();

    await start();
    await server!.settled();
    expect((await get(`/runs/${accepted.runs[0]}`, 'run')).body.status).toBe('succeeded');
    const recovered = await get('/runs/run_interrupted', 'run');
    // Re-run from the start; the first run's cooldown on restart_service:nginx@web-1 now sends it to a person.
    expect(recovered.body).toMatchObject({ status: 'escalated', attempts: 2 });
    expect(recovered.body.reason).toMatch(/restart_service on nginx at web-1 ran less than 300s ago/);
  });

  it('writes the audit trail before and after execution, and lists it at GET /audit', async () => {
    await start();
    const { runs } = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[] };
    await server!.settled();
    const { body } = await get(`/audit?run=${runs[0]}`, 'audit');
    const restart = body.audit.find((a) => a.intent === 'restart_service');
    expect(restart).toMatchObject({ status: 'success', validatedCommand: 'systemctl restart -- nginx', decisionSource: expect.any(String), playbook: { name: 'remediate', version: '1.0.0' } });
    expect(restart?.playbook.hash).toMatch(/^sha256:/);
    expect(world.shell.calls.map((c) => c.argv.join(' '))).toContain('systemctl restart -- nginx');
  });

  it('in global shadow mode (ENGINE_SHADOW=1) runs everything but executes nothing that changes a system', async () => {
    const loaded = loadConfig({ DATA_DIR: dataDir, PORT: '0', ...fixtureEnv(), ENGINE_SHADOW: '1' }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
    await start();
    const { runs } = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[] };
    await server!.settled();
    const run = await get(`/runs/${runs[0]}`, 'run');
    expect(run.body).toMatchObject({ shadow: true, decision: 'AUTO_EXECUTE' });
    expect(run.body.commands).not.toContain('systemctl restart -- nginx');
    expect(run.body.not_run).toEqual([expect.objectContaining({ command: 'systemctl restart -- nginx', status: 'shadowed' })]);
    expect(world.shell.calls.map((c) => c.argv.join(' '))).not.toContain('systemctl restart -- nginx');
    const { body } = await get(`/audit?run=${runs[0]}&intent=restart_service`, 'audit');
    expect(body.audit).toEqual([expect.objectContaining({ status: 'shadowed', shadow: true })]);
  });
});
