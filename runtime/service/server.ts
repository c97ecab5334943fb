import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RunSummary } from '../../engine/run/result.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import { EngineError } from '../../engine/errors.ts';
import { CommitBatcher } from '../admission/commit-batcher.ts';
import { EventAdmission } from '../admission/event-admission.ts';
import type { EngineConfig } from '../config/config.ts';
import { createHttpApp } from '../http/app.ts';
import { buildSourceTable } from '../http/source-table.ts';
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
import { scheduleSpecs } from './schedule-specs.ts';
import { WorkTracker } from './work-tracker.ts';
import { serverPorts, type World } from './world.ts';

export interface ServerOptions {
  clock?: Clock;
  ids?: Ids;
  logger?: Logger;
  metrics?: Metrics;
  world?: Partial<World>;
  /** Called after each run this process ran is recorded. */
  onRunFinished?: (summary: RunSummary) => void;
  /** Watch the playbook folders and reload on change (default true). */
  watch?: boolean;
  /** A profile opened by the caller (tests); otherwise chosen by the configuration. */
  profile?: Profile;
}

export interface RunningServer {
  url: string;
  profile: Profile;
  registry: PlaybookRegistry;
  admission: EventAdmission;
  logger: Logger;
  metrics: Metrics;
  /** Resolves when no run is queued or running in this process (embedded profile). */
  settled(): Promise<void>;
  /** Graceful shutdown: stop taking webhooks, finish or hand back running work, close stores. */
  close(reason?: string): Promise<void>;
}

/**
 * `engine serve`: the HTTP ingest, the schedules and, in the embedded profile, the workers, in
 * one process. In the distributed profile the workers are `engine worker` processes.
 */
export async function startServer(config: EngineConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? new SystemClock();
  const ids = options.ids ?? new RandomIds();
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = options.metrics ?? new Metrics();
  const registry = new PlaybookRegistry({ root: config.root, playbooksDir: config.playbooksDir, intentsDir: config.intentsDir, promptsDir: config.promptsDir });
  logReload(logger, registry.reload(), registry);
  const sources = buildSourceTable(config.sources);
  if (!sources.ok) throw new EngineError('CONFIG_INVALID', `sources: ${sources.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);

  const profile = options.profile ?? (await openProfile(config, clock, logger));
  const ports = serverPorts(profile, clock, ids, logger, options.world);
  const batcher = new CommitBatcher((b) => profile.records.commitIngest(b));
  const admission = new EventAdmission({ registry, state: profile.state, commit: (b) => batcher.commit(b), queue: profile.queue, clock, ids, metrics, shadow: config.shadow, logger });
  const worker = new RunWorker({ records: profile.records, registry, ports, admission, metrics, logger, ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}) });
  const tracker = new WorkTracker();
  const onJobError = (job: unknown, e: unknown): void => logger.error({ err: e, job }, 'job failed');

  if (profile.name === 'embedded') {
    // One process: whatever was running when it stopped was interrupted by that stop.
    const now = clock.now();
    await recoverInterruptedRuns({ records: profile.records, queue: profile.queue, logger }, new Date(now + 1).toISOString(), new Date(now).toISOString());
    profile.queue.consume(tracker.wrap((job) => worker.handle(job), onJobError), { concurrency: config.workerConcurrency });
  }
  const schedules = profile.createSchedules(
    async (playbook, firedAt) => void (await admission.admitSchedule(playbook, firedAt)),
    (playbook, e) => logger.error({ err: e, playbook }, `schedule of ${playbook} failed`),
  );
  await schedules.sync(scheduleSpecs(registry.current().playbooks));
  const watcher =
    options.watch === false
      ? null
      : watchPlaybooks(registry, {
          paths: [config.playbooksDir, config.intentsDir, config.promptsDir],
          debounceMs: 250,
          onReload: async (report) => {
            logReload(logger, report, registry);
            await schedules.sync(scheduleSpecs(registry.current().playbooks));
          },
          onError: (e) => logger.error({ err: e }, 'playbook reload failed; the last good version stays in force'),
        });
  await watcher?.ready;

  let accepting = true;
  const app = createHttpApp({
    admission,
    records: profile.records,
    sources: sources.table,
    metrics,
    logger,
    clock,
    limits: config.limits,
    accepting: () => accepting,
    queueDepth: () => profile.queue.depth(),
    readiness: async () => {
      const report = await profile.readiness();
      report.checks['accepting'] = accepting ? { ok: true } : { ok: false, message: 'shutting down' };
      return report;
    },
    readAuth: config.readToken ? { bearer: config.readToken } : null,
  });
  const server = createServer(app.callback());
  // A slow or stalled sender must not hold a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, config.port, config.host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, profile: profile.name, playbooks: registry.current().playbooks.map((p) => p.ref.name), shadow: config.shadow }, `engine serving on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    profile,
    registry,
    admission,
    logger,
    metrics,
    async settled() {
      // Yield to the event loop until the queue is empty and nothing runs (no timers involved).
      for (;;) {
        await tracker.idle();
        if ((await profile.queue.depth()) === 0 && tracker.inFlight === 0) return;
        await new Promise((r) => setImmediate(r));
      }
    },
    close(reason = 'shutdown') {
      closing ??= (async () => {
        accepting = false;
        logger.info({ reason }, 'shutting down: no new webhooks; finishing running work');
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await watcher?.close();
        await schedules.stop();
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs, 'timeout').unref());
        const outcome = await Promise.race([profile.queue.stop().then(() => 'done' as const), timeout]);
        if (outcome === 'timeout') logger.warn({ inFlight: tracker.inFlight }, 'runs still running at the shutdown deadline: they are recovered at the next start');
        await stopped;
        await profile.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
