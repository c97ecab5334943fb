import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../engine/run/result.ts';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { startWorker, type RunningWorker } from '../../runtime/service/worker.ts';
import { testDatabaseUrl, uniqueSchema } from '../stores/postgres-test-db.ts';
import { cleanDistributed } from '../support/distributed-cleanup.ts';
import { startProxy } from '../support/tcp-relay.ts';
import { fixtureEnv } from '../support/fixture-project.ts';

const NOW = '2026-11-21T23:04:00Z';
const example = (path: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../examples', path), 'utf8'));
const llm = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/llm-auto-execute.json'), 'utf8')) as Record<string, unknown>;

/** Waits for runs by id through the workers' callback: no polling, no sleeping. */
class Finished {
  readonly #done = new Map<string, RunSummary>();
  readonly #waiting = new Map<string, (s: RunSummary) => void>();
  record = (s: RunSummary): void => {
    this.#done.set(s.runId, s);
    this.#waiting.get(s.runId)?.(s);
  };
  wait(runId: string): Promise<RunSummary> {
    const done = this.#done.get(runId);
    return done ? Promise.resolve(done) : new Promise((resolve) => this.#waiting.set(runId, resolve));
  }
}

describe('distributed profile: engine serve + two engine workers on real Redis (BullMQ) and PostgreSQL', () => {
  const schema = uniqueSchema('dist');
  const tag = schema.slice(-12);
  let config: EngineConfig;
  let server: RunningServer;
  const workers: RunningWorker[] = [];
  const finished = new Finished();
  let relay: Awaited<ReturnType<typeof startProxy>>;

  beforeAll(async () => {
    relay = await startProxy(6379);
    const loaded = loadConfig(
      {
        PORT: '0',
        ...fixtureEnv(),
        // Through a relay, so the test can take Redis away and bring it back.
        REDIS_URL: `redis://127.0.0.1:${relay.port}`,
        DATABASE_URL: await testDatabaseUrl(),
        ENGINE_SECRET_KEY: 'a'.repeat(64),
        DATABASE_SCHEMA: schema,
        QUEUE_NAME: `runs-${tag}`,
        REDIS_PREFIX: `test-${tag}`,
      },
      process.cwd(),
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
    const world = createScriptedWorld({ now: NOW, llm });
    const common = {
      clock: world.clock,
      logger: createLogger({ level: 'silent' }),
      world: { llm: world.llm, shell: world.shell, memory: world.memory, notifier: world.notifier, tools: world.tools },
      watch: false,
      onRunFinished: finished.record,
    };
    server = await startServer(config, { ...common, ids: new CounterIds() });
    for (let i = 0; i < 2; i++) workers.push(await startWorker(config, { ...common, ids: new CounterIds(), sweepEveryMs: 3_600_000 }));
  }, 30_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await server?.close();
    await cleanDistributed(config, schema);
    await relay.stop();
  }, 30_000);

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('ingests an Uptime Kuma alert, a worker runs it, and GET /runs/:id serves the trace from PostgreSQL', async () => {
    const res = await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'));
    expect(res.status).toBe(202);
    const { runs } = (await res.json()) as { runs: string[] };
    expect(runs).toHaveLength(1);
    const summary = await finished.wait(runs[0]!);
    expect(summary).toMatchObject({ outcome: 'succeeded', decision: 'AUTO_EXECUTE' });
    const run = (await (await fetch(`${server.url}/runs/${runs[0]}`)).json()) as Record<string, unknown>;
    expect(run).toMatchObject({ status: 'succeeded', attempts: 1, commands: expect.arrayContaining(['systemctl restart -- nginx']) });
  });

  it('dedups through Redis: the same alert again is refused, an Alertmanager alert for another fingerprint runs', async () => {
    const again = (await (await post('/hooks/uptime-kuma', example('uptime-kuma/down.json'))).json()) as { runs: string[]; skipped: { reason: string }[] };
    expect(again.runs).toEqual([]);
    expect(again.skipped[0]!.reason).toMatch(/^dedup: duplicate/);
    const am = (await (await post('/hooks/alertmanager', example('alertmanager/firing.json'))).json()) as { runs: string[] };
    expect(am.runs).toHaveLength(1);
    await finished.wait(am.runs[0]!);
    const events = (await (await fetch(`${server.url}/events?limit=10`)).json()) as { events?: unknown[] } | unknown[];
    expect(Array.isArray(events) ? events : events.events).toHaveLength(3);
  });

  it('reports not-ready while Redis is away, refuses webhooks with 503 (nothing accepted), and recovers', async () => {
    await relay.stop();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    // A firing alert needs the gates, so Redis; a resolved one matches no playbook and needs only PostgreSQL.
    const down = await post('/hooks/alertmanager', example('alertmanager/group-firing.json'));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).not.toBeNull();
    await relay.start();
    // ioredis reconnects on its own schedule; readiness is the signal to wait for.
    let status = 503;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${server.url}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    const after = await post('/hooks/alertmanager', example('alertmanager/group-firing.json'));
    expect(after.status).toBe(202);
    const { runs } = (await after.json()) as { runs: string[] };
    expect(runs.length).toBeGreaterThan(0);
    for (const id of runs) await finished.wait(id);
  });
});
