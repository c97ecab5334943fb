import type { RunSummary } from '../../engine/run/result.ts';
import type { RunRow } from '../records/records.ts';

/** The dry-run shape of a run that ended without the interpreter finishing it. */
export function failedSummary(row: RunRow, reason: string, at: string): RunSummary {
  return {
    runId: row.runId,
    playbook: row.playbook,
    gates: row.admission.map((g) => ({ gate: g.gate, verdict: g.verdict, reason: g.reason })),
    path: [],
    decision: null,
    commands: [],
    not_run: [],
    refusals: [],
    outcome: 'failed',
    reason,
    trace: [...row.admission, { type: 'run.end', at, outcome: 'failed', decision: null, durationMs: 0, reason }],
  };
}
