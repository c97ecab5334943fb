import type { PlaybookRef, RunOutcome, TraceEvent } from '../trace/trace.ts';

/** What a run leaves behind; the dry-run JSON and GET /runs/:id are views of it. */
export interface RunResult {
  runId: string;
  playbook: PlaybookRef;
  outcome: RunOutcome;
  reason: string | null;
  decision: string | null;
  path: string[];
  trace: TraceEvent[];
}

export interface RunSummary {
  runId: string;
  playbook: PlaybookRef;
  gates: { gate: string; verdict: string; reason: string }[];
  path: string[];
  decision: string | null;
  /** Commands that reached a host, in order (whatever their exit code). */
  commands: string[];
  /** Commands rendered but not run: shadowed, or never sent (no adapter, connection refused, cooling down). */
  not_run: { step: string; command: string; status: 'shadowed' | 'not_run'; reason: string }[];
  refusals: { step: string; code: string; reason: string }[];
  outcome: RunOutcome;
  reason: string | null;
  trace: TraceEvent[];
}

/** The fixed dry-run shape: playbook, gates, path, decision, commands (run and not run), outcome (and the trace). */
export function summarize(result: RunResult): RunSummary {
  const gates: RunSummary['gates'] = [];
  const commands: string[] = [];
  const notRun: RunSummary['not_run'] = [];
  const refusals: RunSummary['refusals'] = [];
  for (const e of result.trace) {
    if (e.type === 'gate') gates.push({ gate: e.gate, verdict: e.verdict, reason: e.reason });
    else if (e.type === 'command') {
      if (e.executed) commands.push(e.command);
      else notRun.push({ step: e.step, command: e.command, status: e.status === 'shadowed' ? 'shadowed' : 'not_run', reason: e.note ?? e.status });
    }
    else if (e.type === 'intent.refused') refusals.push({ step: e.step, code: e.code, reason: e.reason });
  }
  return {
    runId: result.runId,
    playbook: result.playbook,
    gates,
    path: result.path,
    decision: result.decision,
    commands,
    not_run: notRun,
    refusals,
    outcome: result.outcome,
    reason: result.reason,
    trace: result.trace,
  };
}
