import type { Logger } from 'pino';
import type { RunQueue } from '../queue/run-queue.ts';
import type { Records, RunRow } from '../records/records.ts';
import { failedSummary } from './failed-summary.ts';

/** A run that crashed its process this many times is not tried again. */
const MAX_ATTEMPTS = 3;

export interface RecoveryReport {
  requeued: string[];
  failed: { runId: string; reason: string }[];
}

/**
 * Runs left `running` by a process that died. A journaled run is queued again: the worker
 * rebuilds it from its journal, uses the recorded results, and reconciles what was in flight (a
 * change is checked by its intent's verify:, never run blindly twice). A run without a journal
 * (admitted by an older engine) that had started a command is marked failed and never retried:
 * the command may have run. The reason names the command so the on-call engineer knows where.
 */
export async function recoverInterruptedRuns(
  deps: { records: Records; queue: RunQueue; logger: Logger },
  olderThan: string,
  now: string,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: [], failed: [] };
  for (const row of await deps.records.runningRuns(olderThan)) {
    const reason = await refusalToRetry(deps.records, row);
    if (reason === null) {
      await deps.records.requeueRun(row.runId);
      report.requeued.push(row.runId);
      continue;
    }
    await deps.records.finishRun(row.runId, 'failed', failedSummary(row, reason, now), now);
    report.failed.push({ runId: row.runId, reason });
  }
  if (report.requeued.length > 0) await deps.queue.enqueue(report.requeued);
  if (report.requeued.length + report.failed.length > 0) deps.logger.warn(report, 'recovered runs interrupted by a stopped process');
  return report;
}

async function refusalToRetry(records: Records, row: RunRow): Promise<string | null> {
  const journal = await records.readJournal(row.runId);
  // A worker takes a run once, and once more each time it is woken from a wait (a decision, a
  // timer); every other take followed an interruption, and so does the one that just stopped.
  const wakes = journal.filter((e) => e.kind === 'decision' || e.kind === 'timer').length;
  const interrupted = row.attempts - wakes;
  if (interrupted >= MAX_ATTEMPTS) return `interrupted ${interrupted} times; not retried again`;
  if (journal.length > 0) return null;
  const executed = (await records.auditTrail(row.runId)).filter((a) => !a.shadow && a.status !== 'refused' && a.status !== 'shadowed' && a.status !== 'not_run');
  if (executed.length === 0) return null;
  const completed = new Set(executed.filter((a) => a.status !== 'pending_execution').map((a) => a.auditId));
  const open = executed.find((a) => !completed.has(a.auditId));
  const last = open ?? executed[executed.length - 1]!;
  const what = `${last.intent} on ${last.target ?? '-'}@${last.host ?? '-'} (${last.validatedCommand})`;
  return open
    ? `interrupted while executing ${what}; not retried because the command may have run: check the host`
    : `interrupted after executing ${what}; not retried so the command does not run twice`;
}

