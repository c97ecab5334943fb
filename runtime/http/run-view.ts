import type { RunSummary } from '../../engine/run/result.ts';
import type { RunRow } from '../records/records.ts';

/**
 * What GET /runs/:id answers: the dry-run shape (so a production run and `engine dry-run` read
 * the same), plus where the run stands. Before a worker finished it (queued, running) the keys
 * are the same, filled from what admission recorded: its gate verdicts, no path, no commands.
 */
export interface RunView extends Omit<RunSummary, 'outcome'> {
  /** Null until the run ended or parked. */
  outcome: RunSummary['outcome'] | null;
  status: RunRow['status'];
  trigger: RunRow['trigger'];
  shadow: boolean;
  eventId: string;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  attempts: number;
}

export function runView(row: RunRow): RunView {
  const state = {
    status: row.status,
    trigger: row.trigger,
    shadow: row.shadow,
    eventId: row.eventId,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    attempts: row.attempts,
  };
  if (row.result !== null) return { ...row.result, ...state };
  return {
    runId: row.runId,
    playbook: row.playbook,
    gates: row.admission.map((g) => ({ gate: g.gate, verdict: g.verdict, reason: g.reason })),
    path: [],
    decision: row.decision,
    commands: [],
    not_run: [],
    refusals: [],
    outcome: null,
    reason: row.reason,
    trace: row.admission,
    ...state,
  };
}

/** A line of GET /runs: the view without its trace, which can be long. */
export function runListItem(row: RunRow): Omit<RunView, 'trace'> {
  const { trace: _trace, ...item } = runView(row);
  return item;
}
