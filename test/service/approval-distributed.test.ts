import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../engine/run/result.ts';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { RandomIds } from '../../runtime/random-ids.ts';
import { createScriptedWorld, type ScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { startWorker, type RunningWorker } from '../../runtime/service/worker.ts';
import { answer, request } from '../http/harness.ts';
import { testDatabaseUrl, uniqueSchema } from '../stores/postgres-test-db.ts';
import { cleanDistributed } from '../support/distributed-cleanup.ts';
import { REPO } from '../support/fixture-project.ts';

const NOW = '2026-11-21T23:04:00Z';
const body = readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8');
const SHELL = { 'systemctl restart -- nginx': { exitCode: 0, stdout: '', stderr: '' } };

const PLAYBOOK = `apiVersion: heal/v1
kind: Playbook
metadata: { name: ask_first, version: "1" }
on: { webhook: uptime-kuma, when: event.status == "down" }
steps:
  - { id: ask, use: approval.request, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", reason: "restart?" } }
  - { id: restart, use: intent.run, with: { intent: restart_service, target: "\${event.service}", host: "\${event.host}", source: human } }
`;

const WAITS = `apiVersion: heal/v1
kind: Playbook
metadata: { name: settle_first, version: "1" }
on: { webhook: alertmanager }
steps:
  - { id: settle, use: wait, with: { for: 1s } }
  - { id: after, use: value, with: { at: "\${settle.waited_until}" } }
`;

/** The distributed profile: the worker that parked the run is gone; another one resumes it when people decide. */
describe('distributed profile: an approval parks the run in PostgreSQL and another worker resumes it', () => {
  const schema = uniqueSchema('apr');
  const tag = schema.slice(-12);
  let root: string;
  let config: EngineConfig;
  let server: RunningServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'engine-apr-dist-'));
    mkdirSync(join(root, 'playbooks'));
    writeFileSync(join(root, 'playbooks', 'ask-first.yaml'), PLAYBOOK);
    writeFileSync(join(root, 'playbooks', 'settle-first.yaml'), WAITS);
    const loaded = loadConfig(
      {
        PORT: '0',
        ENGINE_ROOT: REPO,
        PLAYBOOKS_DIR: join(root, 'playbooks'),
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: await testDatabaseUrl(),
        DATABASE_SCHEMA: schema,
        ENGINE_SECRET_KEY: 'd'.repeat(64),
        QUEUE_NAME: `runs-${tag}`,
        REDIS_PREFIX: `apr-${tag}`,
      },
      process.cwd(),
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
    const world = createScriptedWorld({ now: NOW });
    server = await startServer(config, { clock: world.clock, ids: new RandomIds(), logger: createLogger({ level: 'silent' }), world, watch: false });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await cleanDistributed(config, schema);
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  const worker = async (): Promise<{ worker: RunningWorker; world: ScriptedWorld; next: () => Promise<RunSummary> }> => {
    const world = createScriptedWorld({ now: NOW, shell: SHELL });
    let resolve: (s: RunSummary) => void = () => {};
    let pending = new Promise<RunSummary>((r) => (resolve = r));
    const w = await startWorker(config, {
      clock: world.clock,
      ids: new RandomIds(),
      logger: createLogger({ level: 'silent' }),
      world,
      watch: false,
      sweepEveryMs: 3_600_000,
      onRunFinished: (s) => {
        resolve(s);
        pending = new Promise<RunSummary>((r) => (resolve = r));
      },
    });
    return { worker: w, world, next: () => pending };
  };

  it('waits with no worker holding it, and the approval resumes it in a worker that did not start it', async () => {
    const a = await worker();
    const parked = a.next();
    const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const runId = ((await res.json()) as { runs: string[] }).runs[0]!;
    expect(await parked).toMatchObject({ runId, outcome: 'waiting', path: ['ask'] });
    await a.worker.close();

    const b = await worker();
    const resumed = b.next();
    const decided = await fetch(`${server.url}/runs/${runId}/approvals`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step: 'ask', decision: 'approve', by: 'carol' }) });
    expect(decided.status).toBe(200);
    expect(await resumed).toMatchObject({ runId, outcome: 'succeeded', path: ['ask', 'restart'], commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx'] });
    expect(a.world.shell.calls).toEqual([]);
    expect(b.world.shell.calls.map((c) => c.argv.join(' '))).toEqual(['systemctl restart -- nginx', 'systemctl is-active -- nginx']);
    const run = answer(await request(`${server.url}/runs/${runId}`), 'run');
    expect(run).toMatchObject({ status: 'succeeded', attempts: 2 });
    await b.worker.close();
  }, 30_000);

  it('a wait is a delayed BullMQ job: the run parks, and the worker that takes the job resumes it', async () => {
    const w = await worker();
    const parked = w.next();
    const res = await fetch(`${server.url}/hooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(join(REPO, 'examples/alertmanager/firing.json'), 'utf8') });
    const runId = ((await res.json()) as { runs: string[] }).runs[0]!;
    expect(await parked).toMatchObject({ runId, outcome: 'waiting', path: ['settle'] });
    const resumed = w.next();
    // The worker's clock reaches the deadline; BullMQ delivers the wake once its own delay is over.
    w.world.clock.advance(1000);
    expect(await resumed).toMatchObject({ runId, outcome: 'succeeded', path: ['settle', 'after'] });
    await w.worker.close();
  }, 30_000);
});
