import { nextDeadline } from '../approvals/expire-waits.ts';
import type { Logger } from 'pino';
import { describeError } from '../../engine/errors.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { compileProgram } from '../../engine/run/program.ts';
import type { Secrets } from '../../engine/ports/secrets.ts';
import { driveStoredRun } from '../driver/stored-run.ts';
import { summarize, type RunSummary } from '../../engine/run/result.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import type { Admission } from '../admission/admission.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { PlaybookRegistry } from '../playbooks/registry.ts';
import type { QueueJob } from '../queue/run-queue.ts';
import type { Records } from '../records/records.ts';
import { failedSummary } from './failed-summary.ts';

export interface RunWorkerDeps {
  records: Records;
  registry: PlaybookRegistry;
  /** The world the interpreter reaches; `records` here is the audit side of the same store. */
  ports: Ports;
  admission: Admission;
  metrics: Metrics;
  logger: Logger;
  secrets?: readonly string[];
  /** Seals configured secret values in the journal; without it they are masked there. */
  sealer?: Secrets | null;
  /** Arranges a wake of a run that waits, at its earliest deadline (epoch ms). */
  wakeAt?: (runId: string, at: number) => Promise<void>;
  /** A wake came: fire what is due for that run. */
  onWake?: (runId: string) => Promise<void>;
  /** Called after each run is recorded (tests await runs with it instead of polling). */
  onRunFinished?: (summary: RunSummary) => void;
}

/**
 * Runs queued runs with the same interpreter as dry-run and `engine test`; only the adapters
 * differ. A run is taken once (`startRun` moves it from queued to running atomically), run with
 * the gate verdicts it was admitted with, and recorded with its dry-run shape.
 */
export class RunWorker {
  readonly #d: RunWorkerDeps;

  constructor(deps: RunWorkerDeps) {
    this.#d = deps;
  }

  /** The queue's handler. A `schedule` job admits a run, which the queue then delivers. */
  async handle(job: QueueJob): Promise<void> {
    if (job.kind === 'schedule') {
      await this.#d.admission.admitSchedule(job.playbook, job.firedAt);
      return;
    }
    if (job.kind === 'wake') {
      await this.#d.onWake?.(job.runId);
      return;
    }
    await this.run(job.runId);
  }

  /** Runs one queued run; its summary as recorded, or null when another worker took it or it ended. */
  async run(runId: string): Promise<RunSummary | null> {
    const { records, ports, logger } = this.#d;
    const row = await records.startRun(runId, iso(ports.clock.now()));
    if (!row) return null; // taken by another worker, or already ended
    // The exact version the run was admitted with (content hash), never a newer one of its name.
    const pinned = this.#d.registry.byHash(row.playbook.hash);
    let summary: RunSummary;
    let replayed = 0;
    let deadline: number | null = null;
    if (!pinned) {
      summary = failedSummary(row, `playbook ${row.playbook.name} version ${row.playbook.version} (${row.playbook.hash}) is no longer loaded; the run was admitted with it and is not run with another version`, iso(ports.clock.now()));
    } else {
      try {
        const program = compileProgram(pinned.playbook, { catalog: pinned.catalog, tools: pinned.tools, prompts: pinned.prompts, executors: STEP_EXECUTORS, secrets: this.#d.secrets ?? [] });
        const driven = await driveStoredRun(program, row, { records, ports, secrets: this.#d.sealer ?? null, secretValues: this.#d.secrets ?? [] });
        summary = summarize(driven);
        replayed = driven.replayed;
        if (driven.state.status === 'waiting') deadline = nextDeadline(Object.values(driven.state.pending));
      } catch (e) {
        if ((e as { code?: unknown }).code === 'RUN_TAKEN') {
          logger.warn({ runId }, `run ${runId} is advanced by another process; left to it`);
          return null;
        }
        // The step function records step failures itself; reaching here means the driver or a store broke.
        const err = describeError(e);
        summary = failedSummary(row, `${err.code}: ${err.message}`, iso(ports.clock.now()));
      }
    }
    await records.finishRun(runId, summary.outcome, summary, iso(ports.clock.now()));
    if (deadline !== null) await this.#wake(runId, deadline);
    this.#observe(summary, replayed);
    this.#d.onRunFinished?.(summary);
    logger.info(
      { runId, playbook: summary.playbook.name, version: summary.playbook.version, outcome: summary.outcome, decision: summary.decision, path: summary.path, commands: summary.commands.length, reason: summary.reason },
      `run ${runId} ${summary.playbook.name} ${summary.outcome}`,
    );
    return summary;
  }

  /** A wake that cannot be arranged is logged: the timers' sweep still fires the deadline. */
  async #wake(runId: string, at: number): Promise<void> {
    try {
      await this.#d.wakeAt?.(runId, at);
    } catch (e) {
      this.#d.logger.warn({ err: e, runId }, `could not arrange the wake of ${runId}; the timers' sweep will fire it`);
    }
  }

  /** Counts what happened in this process: events rebuilt from the journal were counted when they happened. */
  #observe(summary: RunSummary, replayed: number): void {
    const { metrics } = this.#d;
    const playbook = summary.playbook.name;
    if (summary.outcome !== 'waiting') {
      metrics.runsFinished.inc({ playbook, outcome: summary.outcome });
      if (summary.decision !== null) metrics.decisions.inc({ playbook, decision: summary.decision });
    }
    for (const e of summary.trace.slice(replayed)) {
      if (e.type === 'step.end') metrics.stepDuration.observe({ playbook, step: e.step, status: e.status }, e.durationMs / 1000);
      else if (e.type === 'command') metrics.commands.inc({ playbook, intent: e.intent, status: e.status });
    }
  }
}


function iso(ms: number): string {
  return new Date(ms).toISOString();
}
