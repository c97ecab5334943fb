import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../engine/run/result.ts';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { RandomIds } from '../../runtime/random-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import { startWorker } from '../../runtime/service/worker.ts';
import { answer, request } from '../http/harness.ts';
import { testDatabaseUrl, uniqueSchema } from '../stores/postgres-test-db.ts';
import { cleanDistributed } from '../support/distributed-cleanup.ts';
import { REPO } from '../support/fixture-project.ts';
import { runChildUntilKilled } from './kill-harness.ts';
import { KILL_NOW, KILL_PLAYBOOK, SHELL } from './kill-world.ts';

const body = readFileSync(join(REPO, 'examples/uptime-kuma/down.json'), 'utf8');

/**
 * The distributed profile: engine serve in this process, an engine worker in a child process
 * that is SIGKILLed at each effect boundary, then another engine worker that takes the run over
 * (its sweep finds the abandoned run; BullMQ delivers the dead worker's job again after QUEUE_LOCK).
 */
describe('kill at every effect boundary (distributed profile: PostgreSQL journal, BullMQ): another worker finishes the run', () => {
  const schema = uniqueSchema('kill');
  const tag = schema.slice(-12);
  let root: string;
  let env: Record<string, string>;
  let config: EngineConfig;
  let server: RunningServer;
  const redis = new Redis(6379, '127.0.0.1');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'engine-kill-dist-'));
    mkdirSync(join(root, 'playbooks'));
    writeFileSync(join(root, 'playbooks', 'crashy.yaml'), KILL_PLAYBOOK);
    env = {
      ENGINE_ROOT: REPO,
      PLAYBOOKS_DIR: join(root, 'playbooks'),
      DATA_DIR: join(root, 'data'),
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: await testDatabaseUrl(),
      DATABASE_SCHEMA: schema,
      ENGINE_SECRET_KEY: 'c'.repeat(64),
      QUEUE_NAME: `runs-${tag}`,
      REDIS_PREFIX: `kill-${tag}`,
      QUEUE_LOCK: '1s',
      RUN_LEASE: '1s',
    };
    const loaded = loadConfig({ ...env, PORT: '0' }, process.cwd());
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
    const world = createScriptedWorld({ now: KILL_NOW, shell: SHELL });
    server = await startServer(config, { clock: world.clock, ids: new CounterIds(), logger: createLogger({ level: 'silent' }), world, watch: false });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    redis.disconnect();
    await cleanDistributed(config, schema);
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  /** One run killed at `point` in a child worker, then finished by a worker in this process. */
  async function killAndRecover(point: string) {
    // Each run starts from a clean host state: the previous run's cooldown mark would refuse the restart.
    const stateKeys = await redis.keys(`${config.redisPrefix}:state:*`);
    if (stateKeys.length > 0) await redis.del(...stateKeys);
    const calls = join(root, `calls-${point.replace(':', '-')}.log`);
    writeFileSync(calls, '');
    let runId = '';
    const child = await runChildUntilKilled({ ...env, KILL_ROLE: 'worker', CALLS_LOG: calls }, point, async () => {
      const res = await fetch(`${server.url}/hooks/uptime-kuma`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      runId = ((await res.json()) as { runs: string[] }).runs[0]!;
    });
    const world = createScriptedWorld({ now: KILL_NOW, shell: SHELL });
    let finish: (s: RunSummary) => void = () => {};
    const finished = new Promise<RunSummary>((resolve) => (finish = resolve));
    const worker = await startWorker(config, {
      clock: world.clock,
      ids: new RandomIds(),
      logger: createLogger({ level: 'silent' }),
      world,
      watch: false,
      sweepEveryMs: 3_600_000,
      onRunFinished: (s) => s.runId === runId && s.outcome !== 'waiting' && finish(s),
    });
    if (child.killed) {
      // Past the lease by this worker's clock: its sweep takes the run as abandoned and queues it again.
      world.clock.advance(2_000);
      await worker.sweep();
    }
    const summary = child.killed ? await finished : null;
    await worker.close();
    const run = answer(await request(`${server.url}/runs/${runId}`), 'run');
    const audit = answer(await request(`${server.url}/audit?run=${runId}`), 'audit').audit;
    const executed = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
    return { child, summary, run, audit, executed, shell: world.shell.calls.map((c) => c.argv.join(' ')) };
  }

  it('uninterrupted, the worker runs the 9 port calls and succeeds', async () => {
    const r = await killAndRecover('none:none');
    expect(r.child.killed).toBe(false);
    expect(r.child.lines.filter((l) => / before /.test(l))).toHaveLength(9);
    expect(r.run).toMatchObject({ status: 'succeeded', path: ['look', 'restart', 'mark', 'tell'], commands: ['systemctl restart -- nginx', 'systemctl is-active -- nginx'] });
  }, 60_000);

  const points = Array.from({ length: 9 }, (_, i) => i + 1).flatMap((n) => [`${n}:before`, `${n}:after`]);
  it.each(points)('worker killed at %s: another worker ends the run as the uninterrupted one, the restart at most once', async (point) => {
    const r = await killAndRecover(point);
    expect(r.child.killed).toBe(true);
    expect(r.run).toMatchObject({ status: 'succeeded', path: ['look', 'restart', 'mark', 'tell'] });
    const restarts = [...r.executed, ...r.shell].filter((c) => c === 'systemctl restart -- nginx');
    // In flight at 5, the restart is checked by its verify: (reconciliation), then verified as every change is.
    if (point.startsWith('5:')) expect(r.shell).toEqual(['systemctl is-active -- nginx', 'systemctl is-active -- nginx']);
    else expect(restarts).toEqual(['systemctl restart -- nginx']);
    expect(restarts.length).toBeLessThanOrEqual(1);
    expect(r.audit).toEqual([expect.objectContaining({ intent: 'restart_service', status: 'success' })]);
  }, 60_000);
});
