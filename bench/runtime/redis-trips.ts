/**
 * Redis round trips per alert on the gate path (distributed profile): `engine serve` in this
 * process on real Redis and PostgreSQL (isolated prefix, queue and schema, removed after), alerts
 * posted one at a time over HTTP, every Redis command seen through MONITOR on a separate
 * connection. A command is the state store's when one of its arguments is a key under the run's
 * `<prefix>:state:`; commands Lua scripts run inside Redis are counted apart (not round trips).
 * Phases are cut by ECHO markers sent after each phase's last answer. No worker runs: admitted
 * runs stay queued. The baseline is one round trip per state operation the supervisor's gates
 * plan (maintenance read, dedup claim, two rate hits).
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { loadConfig } from '../../runtime/config/config.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import type { BenchRow } from '../report.ts';
import { benchWorld, JSON_HEADERS, KUMA_PATH, REPO_ROOT, variedAlerts } from './fixtures.ts';
import { cleanDistributed, distributedEnv, distributedServices, isolation, REDIS_URL, type Isolation } from './services.ts';

const AIM = 2;
const MARKER = 'bench-marker-';

interface Tally {
  state: number;
  lua: number;
  queue: number;
}

interface Phase {
  name: string;
  alerts: number;
  runs: number;
  ms: number;
  tally: Tally;
}

export async function benchRedisTrips(options: { alerts?: number } = {}): Promise<BenchRow[]> {
  const n = options.alerts ?? 200;
  const services = await distributedServices();
  if (!services.ok) return [{ name: 'redis: gate path round trips', opsPerSec: 0, note: `not run: ${services.why}` }];
  const iso = isolation('trips');
  const loaded = loadConfig({ PORT: '0', ENGINE_ROOT: REPO_ROOT, ...distributedEnv(iso, services.databaseUrl) }, REPO_ROOT);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  let server: RunningServer | null = null;
  const monitor = new Redis(REDIS_URL);
  const marker = new Redis(REDIS_URL);
  let watch: Awaited<ReturnType<typeof watchCommands>> | null = null;
  try {
    server = await startServer(loaded.config, { logger: createLogger({ level: 'silent' }), watch: false, world: benchWorld(Date.now()) });
    watch = await watchCommands(monitor, iso);
    const alert = variedAlerts(Date.now());
    const post = async (id: number): Promise<number> => {
      const res = await fetch(`${server!.url}${KUMA_PATH}`, { method: 'POST', headers: JSON_HEADERS, body: alert(id), signal: AbortSignal.timeout(10_000) });
      if (res.status !== 202) throw new Error(`POST ${KUMA_PATH} answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { runs: string[] }).runs.length;
    };
    const phase = async (name: string, ids: number[]): Promise<Phase> => {
      const t0 = performance.now();
      let runs = 0;
      for (const id of ids) runs += await post(id);
      const ms = performance.now() - t0;
      const tally = await watch!.cut(marker, name);
      return { name, alerts: ids.length, runs, ms, tally };
    };
    await phase('warm-up', [0]); // loads the Lua scripts (EVALSHA, NOSCRIPT, EVAL) and the pools
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const phases = [await phase('new alerts', ids), await phase('duplicates', ids)];
    const stateOps = plannedStateOps(server);
    return phases.map((p) => row(p, stateOps));
  } finally {
    watch?.stop();
    monitor.disconnect();
    marker.disconnect();
    await server?.close();
    await cleanDistributed(iso, services.databaseUrl);
  }
}

/** Counts commands touching the isolation's keys, per phase; `cut` closes a phase with a marker. */
async function watchCommands(redis: Redis, iso: Isolation): Promise<{ cut(marker: Redis, phase: string): Promise<Tally>; stop(): void }> {
  const statePrefix = `${iso.redisPrefix}:state:`;
  const queuePrefix = `${iso.redisPrefix}:${iso.queueName}:`;
  let tally: Tally = { state: 0, lua: 0, queue: 0 };
  const waiting = new Map<string, (t: Tally) => void>();
  const m = await redis.monitor();
  m.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === 'echo' && args[1]?.startsWith(MARKER)) {
      const done = tally;
      tally = { state: 0, lua: 0, queue: 0 };
      waiting.get(args[1])?.(done);
      return;
    }
    const inScript = source === 'lua';
    if (args.some((a) => a.startsWith(statePrefix))) tally[inScript ? 'lua' : 'state'] += 1;
    else if (!inScript && args.some((a) => a.startsWith(queuePrefix))) tally.queue += 1;
  });
  return {
    // monitor() opened a connection of its own.
    stop: () => m.disconnect(),
    cut: (marker, phase) =>
      new Promise<Tally>((resolve, reject) => {
        const name = `${MARKER}${iso.redisPrefix}-${phase}`;
        const timer = setTimeout(() => reject(new Error(`MONITOR did not show the marker of ${phase} within 10 s`)), 10_000);
        waiting.set(name, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
        marker.echo(name).catch(reject);
      }),
  };
}

/** How many state operations the supervisor's gates plan for a new alert (stale needs none). */
function plannedStateOps(server: RunningServer): number {
  const supervisor = server.registry.find('supervisor');
  if (!supervisor) throw new Error('the supervisor playbook is not loaded');
  return supervisor.gates.filter((g) => g.kind !== 'stale').length;
}

function row(p: Phase, stateOps: number): BenchRow {
  const perAlert = p.tally.state / p.alerts;
  const verdict = perAlert <= AIM ? 'met' : 'missed';
  return {
    name: `redis: gate path, ${p.name} (distributed)`,
    opsPerSec: p.alerts / (p.ms / 1000),
    note:
      `${perAlert.toFixed(2)} state round trips/alert (aim <= ${AIM}: ${verdict}); ` +
      `${(perAlert / stateOps).toFixed(2)}x one trip per gate op (baseline: ${stateOps} ops); ` +
      `${(p.tally.lua / p.alerts).toFixed(1)} commands inside Lua/alert; BullMQ ${(p.tally.queue / p.alerts).toFixed(2)} commands/alert for ${p.runs} runs; alerts sent one at a time`,
  };
}
