import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Logger } from 'pino';
import { resume, type ApprovalDeps } from './decide-approval.ts';
import { pendingWaits } from './pending-waits.ts';

/** How many waiting runs one sweep looks at. */
const SWEEP_LIMIT = 1000;

/** The earliest deadline among a run's waits (an approval's expiry, a wait's time), or null. */
export function nextDeadline(pending: readonly Effect[]): number | null {
  let next: number | null = null;
  for (const e of pending) {
    const at = e.request.kind === 'approval.await' ? e.request.expiresAt : e.request.kind === 'timer.wait' ? e.request.until : null;
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

/**
 * The durable timers: waiting runs whose approval expired or whose `wait` is over get a `timer`
 * answer in their journal and go back to the queue. The deadlines live in the journal, so a
 * restart loses none; a sweep after downtime fires what fell due meanwhile.
 */
export async function fireDueWaits(deps: ApprovalDeps & { logger: Logger }, only?: string): Promise<string[]> {
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const fired: string[] = [];
  const one = only === undefined ? null : await deps.records.getRun(only);
  const rows = only === undefined ? await deps.records.listRuns({ status: 'waiting', limit: SWEEP_LIMIT }) : one?.status === 'waiting' ? [one] : [];
  for (const row of rows) {
    const entries = await deps.records.readJournal(row.runId);
    const due = pendingWaits(entries).filter((e) => (e.request.kind === 'approval.await' ? e.request.expiresAt : e.request.kind === 'timer.wait' ? e.request.until : Infinity) <= now);
    if (due.length === 0) continue;
    const batch = due.map((e, i) => {
      const outcome: EffectOutcome = { ok: true, value: e.request.kind === 'approval.await' ? { decision: 'expired', by: null, at, reason: null } : { firedAt: at } };
      return { runId: row.runId, seq: entries.length + 1 + i, kind: 'timer' as const, effectId: null, at, body: { effectId: e.id, outcome, at: now } };
    });
    try {
      await deps.records.appendJournal(batch);
    } catch (e) {
      // A decision arrived meanwhile: it wins; the run is resumed by it.
      if ((e as { code?: unknown }).code === 'JOURNAL_CONFLICT') continue;
      throw e;
    }
    if (await resume(deps, row.runId)) fired.push(row.runId);
  }
  if (fired.length > 0) deps.logger.info({ runs: fired }, `timers fired for ${fired.length} waiting run(s)`);
  return fired;
}
