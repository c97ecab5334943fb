import type { RunSummary } from '../../../engine/run/result.ts';
import type { RunStatus } from '../../records/records.ts';
import { RUN_COLUMNS } from './rows.ts';

/** One run to take: queued → running at `at`. */
export interface StartItem {
  runId: string;
  at: string;
}

/** One run to record as ended (or parked, for `waiting`). */
export interface FinishItem {
  runId: string;
  status: RunStatus;
  result: RunSummary;
  at: string;
}

/**
 * Takes many runs in one statement; only the rows still `queued` change, so among workers racing
 * for a run exactly one gets it back. $1 run ids, $2 start times (ISO text, kept as given).
 */
export function startRunsSql(runs: string): string {
  const returning = RUN_COLUMNS.split(',').map((c) => `r.${c.trim()}`).join(', ');
  return `UPDATE ${runs} AS r
    SET status = 'running', attempts = r.attempts + 1, started_at = v.at, started_ts = v.at::timestamptz
    FROM unnest($1::text[], $2::text[]) AS v(run_id, at)
    WHERE r.run_id = v.run_id AND r.run_id = ANY($1::text[]) AND r.status = 'queued'
    RETURNING ${returning}`;
}

export function startRunsParams(items: readonly StartItem[]): unknown[] {
  return [items.map((i) => i.runId), items.map((i) => i.at)];
}

/** Records many ends in one statement; returns the run ids it found. `waiting` has no end time. */
export function finishRunsSql(runs: string): string {
  return `UPDATE ${runs} AS r
    SET status = v.status, result = v.result::jsonb, reason = v.reason, decision = v.decision, ended_at = v.ended_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
      AS v(run_id, status, result, reason, decision, ended_at)
    WHERE r.run_id = v.run_id AND r.run_id = ANY($1::text[])
    RETURNING r.run_id`;
}

export function finishRunsParams(items: readonly FinishItem[]): unknown[] {
  return [
    items.map((i) => i.runId),
    items.map((i) => i.status),
    items.map((i) => JSON.stringify(i.result)),
    items.map((i) => i.result.reason),
    items.map((i) => i.result.decision),
    items.map((i) => (i.status === 'waiting' ? null : i.at)),
  ];
}
