import type { TraceEvent } from '../trace/trace.ts';
import type { JsonValue } from './state-store.ts';

/** One row of the append-only audit trail (seed 003): written before execution, completed after. */
export interface AuditRow {
  auditId: string;
  runId: string;
  at: string;
  decisionSource: string;
  intent: string;
  target: string | null;
  host: string | null;
  validatedCommand: string;
  argv: string[];
  playbook: { name: string; version: string; hash: string };
  shadow: boolean;
  /** `not_run`: the command never reached the host (no adapter, connection refused); no executedAt. */
  status: 'pending_execution' | 'success' | 'failure' | 'not_run' | 'shadowed' | 'refused';
  executedAt?: string;
  result?: { exitCode: number | null; stdout: string; stderr: string };
}

/** One record of a named log (the incident log, the agent log): what a playbook chose to keep. */
export interface LogRecord {
  log: string;
  runId: string;
  playbook: string;
  at: string;
  record: JsonValue;
}

export interface RunRecord {
  runId: string;
  playbook: { name: string; version: string; hash: string };
  status: string;
  startedAt: string;
  endedAt?: string;
  trace: TraceEvent[];
}

/**
 * What a run writes while it runs: the append-only audit trail. Runs themselves are stored by the
 * runtime around the interpreter (runtime/records), not by the interpreter.
 */
export interface RecordStore {
  appendAudit(row: AuditRow): Promise<void>;
  /** Completion of a pending row: stored as a new row for the same auditId, never an overwrite. */
  completeAudit(auditId: string, completion: Pick<AuditRow, 'status' | 'executedAt' | 'result'>): Promise<void>;
  /** Appends to a named log; entries are kept in append order. */
  appendLog(entry: LogRecord): Promise<void>;
}
