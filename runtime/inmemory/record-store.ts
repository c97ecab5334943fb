import { EngineError } from '../../engine/errors.ts';
import type { AuditRow, LogRecord, RecordStore, RunRecord } from '../../engine/ports/record-store.ts';
import { copyJson } from './json-copy.ts';

type Completion = Pick<AuditRow, 'status' | 'executedAt' | 'result'>;

/**
 * Runs and the append-only audit trail in one process. A completion is a new row for the same
 * auditId (the pending row stays as written), as the SQLite and PostgreSQL adapters must do.
 */
export class InMemoryRecordStore implements RecordStore {
  readonly #audit: AuditRow[] = [];
  readonly #runs = new Map<string, RunRecord>();
  readonly #logs: LogRecord[] = [];

  async appendLog(entry: LogRecord): Promise<void> {
    this.#logs.push(copyJson(entry, 'log record'));
  }

  /** A named log's records in append order. */
  logRecords(log: string): LogRecord[] {
    return this.#logs.filter((e) => e.log === log);
  }

  async appendAudit(row: AuditRow): Promise<void> {
    if (this.#audit.some((r) => r.auditId === row.auditId)) {
      throw new EngineError('AUDIT_DUPLICATE', `audit row ${row.auditId} already exists; the audit is append-only`);
    }
    this.#audit.push(copyJson(row, 'audit row'));
  }

  async completeAudit(auditId: string, completion: Completion): Promise<void> {
    const rows = this.#audit.filter((r) => r.auditId === auditId);
    const first = rows[0];
    if (!first) throw new EngineError('AUDIT_UNKNOWN', `no audit row ${auditId} to complete`);
    if (rows.length > 1) {
      throw new EngineError('AUDIT_ALREADY_COMPLETED', `audit row ${auditId} is already completed`);
    }
    const done: AuditRow = { ...first, status: completion.status };
    if (completion.executedAt !== undefined) done.executedAt = completion.executedAt;
    if (completion.result !== undefined) done.result = completion.result;
    this.#audit.push(copyJson(done, 'audit completion'));
  }

  async saveRun(run: RunRecord): Promise<void> {
    this.#runs.set(run.runId, copyJson(run, 'run record'));
  }

  /** Every audit row in append order, completions included. */
  auditRows(): AuditRow[] {
    return copyJson(this.#audit);
  }

  /** The latest state of each audit entry, in the order the entries were first written. */
  auditView(): AuditRow[] {
    const latest = new Map<string, AuditRow>();
    for (const row of this.#audit) latest.set(row.auditId, row);
    return copyJson([...latest.values()]);
  }

  run(runId: string): RunRecord | null {
    const run = this.#runs.get(runId);
    return run ? copyJson(run) : null;
  }

  /** Saved runs in the order they were first saved. */
  runs(): RunRecord[] {
    return copyJson([...this.#runs.values()]);
  }
}
