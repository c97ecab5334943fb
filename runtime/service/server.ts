import { compileProgram } from '../../engine/run/program.ts';
import { summarize } from '../../engine/run/result.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { journaledSoFar } from '../driver/stored-run.ts';
import { decideApproval } from '../approvals/decide-approval.ts';
import { fireDueWaits } from '../approvals/expire-waits.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { EngineError } from '../../engine/errors.ts';
import type { EventAdmission } from '../admission/event-admission.ts';
import type { EngineConfig } from '../config/config.ts';
import { createHttpApp } from '../http/app.ts';
import { buildSourceTable } from '../http/source-table.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PlaybookRegistry } from '../playbooks/registry.ts';
import type { Profile } from '../profiles/profile.ts';
import { recoverInterruptedRuns } from '../worker/recovery.ts';
import { assembleRuntime, type RuntimeOptions } from './assemble.ts';
import { scheduleSpecs } from './schedule-specs.ts';

/** The options of `engine serve`: those every runtime process takes. */
export interface ServerOptions extends RuntimeOptions {
  /** How often expired approvals and due waits are looked for besides their wakes (default 60 s). */
  timersEveryMs?: number;
}

export interface RunningServer {
  url: string;
  profile: Profile;
  registry: PlaybookRegistry;
  admission: EventAdmission;
  logger: Logger;
  metrics: Metrics;
  /** One pass of the durable timers: expired approvals and due waits resume their runs. */
  fireTimers(): Promise<string[]>;
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
  // Checked before anything is opened: a refused start leaves nothing to close.
  const built = buildSourceTable(config.sources);
  if (!built.ok) throw new EngineError('CONFIG_INVALID', `sources: ${built.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const sources = built.table;
  const runtime = await assembleRuntime(config, options);
  const { clock, logger, metrics, registry, profile, admission, tracker } = runtime;

  if (profile.name === 'embedded') {
    // One process: whatever was running when it stopped was interrupted by that stop.
    const now = clock.now();
    await recoverInterruptedRuns({ records: profile.records, queue: profile.queue, logger }, new Date(now + 1).toISOString(), new Date(now).toISOString());
    runtime.consume();
  }
  const schedules = profile.createSchedules(
    async (playbook, firedAt) => void (await admission.admitSchedule(playbook, firedAt)),
    (playbook, e) => logger.error({ err: e, playbook }, `schedule of ${playbook} failed`),
  );
  await schedules.sync(scheduleSpecs(registry.current().playbooks));
  const watcher = await runtime.watch(() => schedules.sync(scheduleSpecs(registry.current().playbooks)));
  const fireTimers = () => fireDueWaits({ records: profile.records, queue: profile.queue, clock, logger });
  // Each waiting run has a wake at its deadline (an in-process timer, or a delayed BullMQ job);
  // this sweep is the safety net: deadlines that passed while no process was up, lost wakes.
  await fireTimers();
  const timers = setInterval(() => fireTimers().catch((e: unknown) => logger.error({ err: e }, 'timers failed')), options.timersEveryMs ?? 60_000);
  timers.unref();

  let accepting = true;
  const app = createHttpApp({
    admission,
    records: profile.records,
    sources,
    metrics,
    logger,
    clock,
    limits: config.limits,
    accepting: () => accepting,
    queueDepth: () => profile.queue.depth(),
    readiness: async () => {
      const report = await profile.readiness();
      report.checks['accepting'] = accepting ? { ok: true } : { ok: false, message: 'shutting down' };
      const adapters = runtime.adapters.health();
      return Object.keys(adapters).length > 0 ? { ...report, adapters } : report;
    },
    readAuth: config.readToken ? { bearer: config.readToken } : null,
    liveRun: async (row) => {
      const pinned = registry.byHash(row.playbook.hash);
      if (!pinned) return null;
      const program = compileProgram(pinned.playbook, { catalog: pinned.catalog, tools: pinned.tools, prompts: pinned.prompts, executors: STEP_EXECUTORS });
      const live = await journaledSoFar(program, row, profile.records, runtime.sealer);
      return live ? summarize(live) : null;
    },
    approvals: { decide: (answer) => decideApproval({ records: profile.records, queue: profile.queue, clock }, answer), bearer: config.approveToken },
  });
  const server = createServer(app.callback());
  // A slow or stalled sender must not hold a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, config.port, config.host);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // Which /hooks/<name> exist and how each is authenticated: a configured normalizer replaces its default.
  const hooks = [...sources.values()].map((s) => `${s.name} (${s.normalizer}, ${s.auth === null ? 'no auth' : 'bearer' in s.auth ? 'bearer' : 'hmac'})`);
  logger.info({ url, profile: profile.name, playbooks: registry.current().playbooks.map((p) => p.ref.name), sources: hooks, shadow: config.shadow }, `engine serving on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    profile,
    registry,
    admission,
    logger,
    metrics,
    fireTimers,
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
        clearInterval(timers);
        await schedules.stop();
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs, 'timeout').unref());
        const outcome = await Promise.race([profile.queue.stop().then(() => 'done' as const), timeout]);
        if (outcome === 'timeout') logger.warn({ inFlight: tracker.inFlight }, 'runs still running at the shutdown deadline: they are recovered at the next start');
        await stopped;
        await runtime.adapters.close();
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
