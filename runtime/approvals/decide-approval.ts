import { EngineError } from '../../engine/errors.ts';
import type { ApprovalDecision, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { Records } from '../records/records.ts';
import { pendingWaits } from './pending-waits.ts';

export interface ApprovalAnswer {
  runId: string;
  /** The approval.request step that waits. */
  step: string;
  decision: 'approved' | 'rejected';
  /** Who decided: recorded in the journal and the run's trace. */
  by: string;
  reason: string | null;
}

export interface DecidedApproval {
  runId: string;
  step: string;
  approvalId: string;
  intent: string;
  target: string | null;
  host: string | null;
  decision: 'approved' | 'rejected';
  by: string;
  at: string;
}

export interface ApprovalDeps {
  records: Records;
  queue: Pick<RunQueue, 'enqueue'>;
  clock: Clock;
}

const NAME = /^[\p{L}\p{N} ._@'-]{1,100}$/u;

/**
 * Records people's decision on a waiting run's approval, then puts the run back in the queue:
 * any worker resumes it from its journal at the step that asked. The decision is journaled
 * once: a second decision, or one that loses the race to the expiry, is refused.
 */
export async function decideApproval(deps: ApprovalDeps, answer: ApprovalAnswer): Promise<DecidedApproval> {
  if (!NAME.test(answer.by)) throw new EngineError('APPROVAL_INVALID', 'by: give the name of who decides (letters, digits, spaces, . _ @ \' -; at most 100)');
  if (answer.reason !== null && answer.reason.length > 2000) throw new EngineError('APPROVAL_INVALID', 'reason: at most 2000 characters');
  const row = await deps.records.getRun(answer.runId);
  if (!row) throw new EngineError('UNKNOWN_RUN', `no run "${answer.runId.slice(0, 128)}"`);
  if (row.status !== 'waiting') throw new EngineError('APPROVAL_NOT_PENDING', `run ${row.runId} is ${row.status}, not waiting for an approval`);
  const entries = await deps.records.readJournal(row.runId);
  const waits = pendingWaits(entries).filter((e) => e.request.kind === 'approval.await');
  const wait = waits.find((e) => e.step === answer.step);
  if (!wait || wait.request.kind !== 'approval.await') {
    const steps = waits.map((e) => e.step).join(', ') || 'none';
    throw new EngineError('APPROVAL_NOT_PENDING', `run ${row.runId} has no approval waiting at step ${answer.step} (waiting: ${steps})`);
  }
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  if (now >= wait.request.expiresAt) throw new EngineError('APPROVAL_NOT_PENDING', `the approval at step ${answer.step} expired at ${new Date(wait.request.expiresAt).toISOString()}`);
  const value: ApprovalDecision = { decision: answer.decision, by: answer.by, at, reason: answer.reason };
  const outcome: EffectOutcome = { ok: true, value };
  try {
    await deps.records.appendJournal([{ runId: row.runId, seq: entries.length + 1, kind: 'decision', effectId: null, at, body: { effectId: wait.id, outcome, at: now } }]);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'JOURNAL_CONFLICT') throw new EngineError('APPROVAL_CONFLICT', `run ${row.runId} changed while deciding (another decision or its expiry); look again`);
    throw e;
  }
  await resume(deps, row.runId);
  const r = wait.request;
  return { runId: row.runId, step: answer.step, approvalId: r.approvalId, intent: r.intent, target: r.target, host: r.host, decision: answer.decision, by: answer.by, at };
}

/** Back to the queue; false when it is no longer waiting (another process resumed it). */
export async function resume(deps: ApprovalDeps, runId: string): Promise<boolean> {
  if (!(await deps.records.resumeRun(runId))) return false;
  await deps.queue.enqueue([runId]);
  return true;
}
