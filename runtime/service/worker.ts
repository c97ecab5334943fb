import { EngineError } from '../../engine/errors.ts';
import type { EngineConfig } from '../config/config.ts';
import type { Profile } from '../profiles/profile.ts';
import { fireDueWaits } from '../approvals/expire-waits.ts';
import { recoverInterruptedRuns } from '../worker/recovery.ts';
import type { RunWorker } from '../worker/run-worker.ts';
import { assembleRuntime, type RuntimeOptions } from './assemble.ts';

export interface WorkerOptions extends RuntimeOptions {
  /** How often abandoned and unannounced runs are looked for (default 60 s). */
  sweepEveryMs?: number;
}

export interface RunningWorker {
  profile: Profile;
  worker: RunWorker;
  /** One reconciliation pass: re-announce queued runs, recover runs abandoned by dead workers, fire due timers. */
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
  const runtime = await assembleRuntime(config, options);
  const { clock, logger, profile, worker, tracker } = runtime;

  const iso = (ms: number): string => new Date(ms).toISOString();
  const sweep = async (): Promise<void> => {
    const now = clock.now();
    const stale = (await profile.records.queuedRuns(1000)).filter((r) => Date.parse(r.queuedAt) < now - ANNOUNCE_GRACE_MS).map((r) => r.runId);
    if (stale.length > 0) {
      await profile.queue.enqueue(stale);
      logger.warn({ runs: stale.length }, 're-announced queued runs');
    }
    await recoverInterruptedRuns({ records: profile.records, queue: profile.queue, logger }, iso(now - config.runLeaseMs), iso(now));
    await fireDueWaits({ records: profile.records, queue: profile.queue, clock, logger });
  };
  await sweep();
  runtime.consume();
  const timer = setInterval(() => sweep().catch((e: unknown) => logger.error({ err: e }, 'sweep failed')), options.sweepEveryMs ?? 60_000);
  timer.unref();
  const watcher = await runtime.watch();
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
        await runtime.adapters.close();
        await profile.close();
      })();
      return closing;
    },
  };
}
