import type { Logger } from 'pino';
import type { RunSummary } from '../../engine/run/result.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import { EngineError } from '../../engine/errors.ts';
import { CommitBatcher } from '../admission/commit-batcher.ts';
import { EventAdmission } from '../admission/event-admission.ts';
import type { EngineConfig } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { Metrics } from '../observability/metrics.ts';
import { PlaybookRegistry } from '../playbooks/registry.ts';
import { watchPlaybooks } from '../playbooks/watch.ts';
import { openProfile } from '../profiles/open.ts';
import type { Profile } from '../profiles/profile.ts';
import { RandomIds } from '../random-ids.ts';
import { SystemClock } from '../system-clock.ts';
import { recoverInterruptedRuns } from '../worker/recovery.ts';
import { RunWorker } from '../worker/run-worker.ts';
import { logReload } from './reload-log.ts';
import { WorkTracker } from './work-tracker.ts';
import { serverPorts, type World } from './world.ts';

export interface WorkerOptions {
  clock?: Clock;
  ids?: Ids;
  logger?: Logger;
  metrics?: Metrics;
  world?: Partial<World>;
  /** Called after each run this process ran is recorded. */
  onRunFinished?: (summary: RunSummary) => void;
  watch?: boolean;
  profile?: Profile;
  /** How often abandoned and unannounced runs are looked for (default 60 s). */
  sweepEveryMs?: number;
}

export interface RunningWorker {
  profile: Profile;
  worker: RunWorker;
  /** One reconciliation pass: re-announce queued runs, recover runs abandoned by dead workers. */
  sweep(): Promise<void>;
  idle(): Promise<void>;
  close(reason?: string): Promise<void>;
}

/** Queued runs younger than this are left alone by the sweep: their announcement may be on its way. */
const ANNOUNCE_GRACE_MS = 30_000;

/**
 * `engine worker` (distributed profile): takes runs and schedule firings from BullMQ, runs them,
 * and sweeps: queued runs whose announcement was lost are enqueued again (BullMQ ignores a job id
 * it already holds), and runs left `running` past the lease by a dead worker are recovered.
 */
export async function startWorker(config: EngineConfig, options: WorkerOptions = {}): Promise<RunningWorker> {
  if (!config.redisUrl || !config.databaseUrl) {
    throw new EngineError('CONFIG_INVALID', 'engine worker needs the distributed profile (REDIS_URL and DATABASE_URL); in the embedded profile engine serve runs the workers itself');
  }
  const clock = options.clock ?? new SystemClock();
  const ids = options.ids ?? new RandomIds();
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = options.metrics ?? new Metrics();
  const registry = new PlaybookRegistry({ root: config.root, playbooksDir: config.playbooksDir, intentsDir: config.intentsDir, promptsDir: config.promptsDir });
  logReload(logger, registry.reload(), registry);
  const profile = options.profile ?? (await openProfile(config, clock, logger));
  const ports = serverPorts(profile, clock, ids, logger, options.world);
  const batcher = new CommitBatcher((b) => profile.records.commitIngest(b));
  const admission = new EventAdmission({ registry, state: profile.state, commit: (b) => batcher.commit(b), queue: profile.queue, clock, ids, metrics, shadow: config.shadow, logger });
  const worker = new RunWorker({ records: profile.records, registry, ports, admission, metrics, logger, ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}) });
  const tracker = new WorkTracker();

  const iso = (ms: number): string => new Date(ms).toISOString();
  const sweep = async (): Promise<void> => {
    const now = clock.now();
    const stale = (await profile.records.queuedRuns(1000)).filter((r) => Date.parse(r.queuedAt) < now - ANNOUNCE_GRACE_MS).map((r) => r.runId);
    if (stale.length > 0) {
      await profile.queue.enqueue(stale);
      logger.warn({ runs: stale.length }, 're-announced queued runs');
    }
    await recoverInterruptedRuns({ records: profile.records, queue: profile.queue, logger }, iso(now - config.runLeaseMs), iso(now));
  };
  await sweep();
  profile.queue.consume(
    tracker.wrap((job) => worker.handle(job), (job, e) => logger.error({ err: e, job }, 'job failed')),
    { concurrency: config.workerConcurrency },
  );
  const timer = setInterval(() => sweep().catch((e: unknown) => logger.error({ err: e }, 'sweep failed')), options.sweepEveryMs ?? 60_000);
  timer.unref();
  const watcher =
    options.watch === false
      ? null
      : watchPlaybooks(registry, {
          paths: [config.playbooksDir, config.intentsDir, config.promptsDir],
          debounceMs: 250,
          onReload: (report) => logReload(logger, report, registry),
          onError: (e) => logger.error({ err: e }, 'playbook reload failed; the last good version stays in force'),
        });
  await watcher?.ready;
  logger.info({ concurrency: config.workerConcurrency, queue: config.queueName }, 'engine worker started');

  let closing: Promise<void> | null = null;
  return {
    profile,
    worker,
    sweep,
    idle: () => tracker.idle(),
    close(reason = 'shutdown') {
      closing ??= (async () => {
        logger.info({ reason }, 'worker shutting down: finishing running work');
        clearInterval(timer);
        await watcher?.close();
        await profile.queue.stop();
        await profile.close();
      })();
      return closing;
    },
  };
}
