import { fireDueWaits } from '../approvals/expire-waits.ts';
import { buildSourceTable } from '../http/source-table.ts';
import { knownSecrets } from '../http/secrets.ts';
import { AesGcmSecrets } from '../secrets/aes-gcm-secrets.ts';
import { loadSecretKey } from '../secrets/load-secret-key.ts';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { RunSummary } from '../../engine/run/result.ts';
import { CommitBatcher } from '../admission/commit-batcher.ts';
import { EventAdmission } from '../admission/event-admission.ts';
import type { EngineConfig } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { Metrics } from '../observability/metrics.ts';
import { PlaybookRegistry, type ReloadReport } from '../playbooks/registry.ts';
import { watchPlaybooks } from '../playbooks/watch.ts';
import { openProfile } from '../profiles/open.ts';
import type { Profile } from '../profiles/profile.ts';
import { RandomIds } from '../random-ids.ts';
import { SystemClock } from '../system-clock.ts';
import { RunWorker } from '../worker/run-worker.ts';
import { logReload } from './reload-log.ts';
import { WorkTracker } from './work-tracker.ts';
import { reportAdapters, serverPorts, type World } from './world.ts';
import { buildConfiguredWorld, type ConfiguredWorld } from './configured-world.ts';
import { EngineError } from '../../engine/errors.ts';

/** What `engine serve` and `engine worker` share in their options. */
export interface RuntimeOptions {
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
  /** Where the adapters of engine.config.yaml read their secrets (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A running playbook watcher; `close` stops it. */
type PlaybookWatcher = ReturnType<typeof watchPlaybooks>;

/** The parts of a process that runs playbooks, wired together but not yet taking work. */
export interface AssembledRuntime {
  clock: Clock;
  ids: Ids;
  logger: Logger;
  metrics: Metrics;
  registry: PlaybookRegistry;
  profile: Profile;
  ports: Ports;
  admission: EventAdmission;
  worker: RunWorker;
  /** Seals the secrets runs keep in their journal (and opens them to read a journal back). */
  sealer: AesGcmSecrets;
  /** Counts the jobs this process runs, so shutdown and tests can await "nothing running". */
  tracker: WorkTracker;
  /** The adapters engine.config.yaml configured: their health for /readyz, closed at shutdown. */
  adapters: Pick<ConfiguredWorld, 'health' | 'close'>;
  /** Takes jobs from the profile's queue in this process; a failed job is logged. */
  consume(): void;
  /**
   * Reloads the playbooks when their folders change, logs each reload, then calls `afterReload`.
   * Resolves once the watcher is ready; null when the options turned watching off.
   */
  watch(afterReload?: (report: ReloadReport) => void | Promise<void>): Promise<PlaybookWatcher | null>;
}

/**
 * The start-up common to `engine serve` and `engine worker`: defaults for the injected ports,
 * the first playbook load, the profile, admission and the run worker.
 */
export async function assembleRuntime(config: EngineConfig, options: RuntimeOptions): Promise<AssembledRuntime> {
  const clock = options.clock ?? new SystemClock();
  const ids = options.ids ?? new RandomIds();
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = options.metrics ?? new Metrics();
  // Before anything is opened: the distributed profile refuses to start without a shared key.
  const keys = loadSecretKey(config, config.dataDir, logger);
  const sealer = new AesGcmSecrets({ key: keys.current, previous: keys.previous, clock });
  const registry = new PlaybookRegistry({ root: config.root, playbooksDir: config.playbooksDir, intentsDir: config.intentsDir, promptsDir: config.promptsDir });
  logReload(logger, registry.reload(), registry);

  const profile = options.profile ?? (await openProfile(config, clock, logger));
  registry.retain(await profile.records.livePlaybookHashes());
  // The adapters engine.config.yaml configures; what the caller gives (tests) replaces them.
  const configured = buildConfiguredWorld(config.adapters, { env: options.env ?? process.env, root: config.root, logger, clock, state: profile.state, tools: () => registry.current().tools });
  if (!configured.ok) {
    if (!options.profile) await profile.close();
    throw new EngineError('CONFIG_INVALID', `cannot start: ${configured.errors.join('; ')}`);
  }
  const world = { ...configured.value.world, ...options.world };
  const ports = serverPorts(profile, clock, ids, logger, world);
  const adapters = reportAdapters(world);
  logger.info({ adapters, configured: configured.value.lines }, `adapters: ${adapters.configured.join(', ')} configured; not configured: ${Object.keys(adapters.notConfigured).join(', ') || 'none'}`);
  for (const line of configured.value.lines) logger.info(line);
  const batcher = new CommitBatcher((b) => profile.records.commitIngest(b));
  const admission = new EventAdmission({ registry, state: profile.state, commit: (b) => batcher.commit(b), queue: profile.queue, clock, ids, metrics, shadow: config.shadow, logger });
  const worker = new RunWorker({
    records: profile.records,
    registry,
    ports,
    admission,
    metrics,
    logger,
    sealer,
    secrets: configuredSecrets(config),
    wakeAt: (runId, at) => profile.queue.wakeAt(runId, at - clock.now()),
    onWake: async (runId) => void (await fireDueWaits({ records: profile.records, queue: profile.queue, clock, logger }, runId)),
    ...(options.onRunFinished ? { onRunFinished: options.onRunFinished } : {}) });
  const tracker = new WorkTracker();

  return {
    clock,
    ids,
    logger,
    metrics,
    registry,
    profile,
    ports,
    admission,
    worker,
    sealer,
    tracker,
    adapters: configured.value,
    consume() {
      profile.queue.consume(
        tracker.wrap((job) => worker.handle(job), (job, e) => logger.error({ err: e, job }, 'job failed')),
        { concurrency: config.workerConcurrency },
      );
    },
    async watch(afterReload) {
      if (options.watch === false) return null;
      const watcher = watchPlaybooks(registry, {
        paths: [config.playbooksDir, config.intentsDir, config.promptsDir],
        debounceMs: 250,
        onReload: async (report) => {
          logReload(logger, report, registry);
          // The versions live runs were admitted with outlive the reloads that replace them.
          registry.retain(await profile.records.livePlaybookHashes());
          await afterReload?.(report);
        },
        onError: (e) => logger.error({ err: e }, 'playbook reload failed; the last good version stays in force'),
      });
      await watcher.ready;
      return watcher;
    },
  };
}

/** The secret values the configuration holds (source tokens and HMAC secrets, the read and approve tokens): masked in traces, sealed in journals. */
function configuredSecrets(config: EngineConfig): string[] {
  const built = buildSourceTable(config.sources);
  const sources = built.ok ? built.table : new Map();
  return knownSecrets({
    sources,
    readAuth: config.readToken ? { bearer: config.readToken } : null,
    approvals: { bearer: config.approveToken },
  });
}
