import Database from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';
import type { AuditRow, LogRecord } from '../../../engine/ports/record-store.ts';
import type { RunSummary } from '../../../engine/run/result.ts';
import type {
  AuditFilter,
  EventFilter,
  EventRecord,
  FeedFilter,
  IngestBatch,
  Positioned,
  Records,
  RefusalRecord,
  RunFilter,
  RunRow,
  RunStatus,
} from '../../records/records.ts';
import type { JournalEntry } from '../../records/journal.ts';
import { SqliteJournal } from './journal.ts';
import { SqliteReceived } from './received.ts';
import {
  auditFromSql,
  auditToSql,
  eventFromSql,
  eventToSql,
  insertSql,
  runFromSql,
  runToSql,
  type AuditSqlRow,
  type EventSqlRow,
  type RunSqlRow,
} from './record-rows.ts';

type Completion = Pick<AuditRow, 'status' | 'executedAt' | 'result'>;

/** Statuses `finishRun` accepts: the ends, and `waiting` (parked, so no end time). */
const FINISH_STATUSES: ReadonlySet<RunStatus> = new Set(['waiting', 'succeeded', 'failed', 'escalated', 'skipped']);

const EVENT_COLUMNS = ['event_id', 'source', 'received_at', 'event', 'summary', 'runs', 'skipped', 'note'] as const;
const RUN_COLUMNS = [
  'run_id', 'event_id', 'playbook_name', 'playbook', 'trigger_kind', 'status', 'shadow', 'event', 'admission',
  'queued_at', 'started_at', 'ended_at', 'attempts', 'reason', 'decision', 'result',
] as const;
const AUDIT_COLUMNS = [
  'audit_id', 'completion', 'run_id', 'at', 'decision_source', 'intent', 'target', 'host', 'validated_command',
  'argv', 'playbook_name', 'playbook', 'shadow', 'status', 'executed_at', 'result',
] as const;

export interface SqliteRecordsOptions {
  /**
   * Runs the ingest inserts inside the caller's transaction on the same file: the embedded
   * profile commits the pending gate writes with them (SqliteStateStore.commitWith), so an
   * accepted event and the dedup mark it set are durable together, in one commit.
   */
  ingestWithin?: (write: () => void) => void;
  /** How many refused requests to keep (default REFUSALS_KEPT). */
  keepRefusals?: number;
  /** How many of the unauthenticated ones (401), counted apart (default UNAUTHENTICATED_REFUSALS_KEPT). */
  keepUnauthenticated?: number;
}

/**
 * The Records contract on the embedded data file (see test/records/records.contract.ts). Each
 * method is one statement or one IMMEDIATE transaction, so it is atomic even with another process
 * on the file. The audit table refuses UPDATE and DELETE by trigger; a completion is a new row.
 * So does the run journal (journal.ts).
 * `close()` closes the database, which the state store may share: close the records last.
 */
export class SqliteRecords implements Records {
  readonly #db: Database.Database;
  readonly #q;
  readonly #ingestTx;
  readonly #completeTx;
  /** Filtered listings, prepared once per combination of filters. */
  readonly #listings = new Map<string, Database.Statement>();
  readonly #ingestWithin: SqliteRecordsOptions['ingestWithin'] | null;
  readonly #received: SqliteReceived;
  readonly #journal: SqliteJournal;

  constructor(db: Database.Database, options: SqliteRecordsOptions = {}) {
    this.#db = db;
    this.#received = new SqliteReceived(db, { keep: options.keepRefusals, keepUnauthenticated: options.keepUnauthenticated });
    this.#journal = new SqliteJournal(db);
    this.#ingestWithin = options.ingestWithin ?? null;
    this.#q = {
      insertEvent: db.prepare<[EventSqlRow]>(insertSql('events', EVENT_COLUMNS)),
      insertRun: db.prepare<[RunSqlRow]>(insertSql('runs', RUN_COLUMNS)),
      insertAudit: db.prepare<[AuditSqlRow]>(insertSql('audit', AUDIT_COLUMNS)),
      startRun: db.prepare<[string, string], RunSqlRow>(
        `UPDATE runs SET status = 'running', attempts = attempts + 1, started_at = ?
         WHERE run_id = ? AND status = 'queued' RETURNING *`,
      ),
      finishRun: db.prepare(
        `UPDATE runs SET status = @status, result = @result, reason = @reason, decision = @decision,
         ended_at = @ended_at WHERE run_id = @run_id`,
      ),
      requeueRun: db.prepare<[string]>(
        `UPDATE runs SET status = 'queued', started_at = NULL WHERE run_id = ? AND status = 'running'`,
      ),
      resumeRun: db.prepare<[string]>(`UPDATE runs SET status = 'queued', started_at = NULL WHERE run_id = ? AND status = 'waiting'`),
      liveHashes: db.prepare<[], { h: string }>(
        `SELECT DISTINCT json_extract(playbook, '$.hash') AS h FROM runs WHERE status IN ('queued', 'running', 'waiting')`,
      ),
      runStatus: db.prepare<[string], { status: string }>('SELECT status FROM runs WHERE run_id = ?'),
      getRun: db.prepare<[string], RunSqlRow>('SELECT * FROM runs WHERE run_id = ?'),
      runningRuns: db.prepare<[string], RunSqlRow>(
        `SELECT * FROM runs WHERE status = 'running' AND started_at < ? ORDER BY started_at, seq`,
      ),
      queuedRuns: db.prepare<[number], RunSqlRow>(
        `SELECT * FROM runs WHERE status = 'queued' ORDER BY queued_at, seq LIMIT ?`,
      ),
      pendingAudit: db.prepare<[string], AuditSqlRow>('SELECT * FROM audit WHERE audit_id = ? AND completion = 0'),
      auditTrail: db.prepare<[string], AuditSqlRow>('SELECT * FROM audit WHERE run_id = ? ORDER BY seq'),
      appendLog: db.prepare<[string, string, string, string, string]>('INSERT INTO named_logs (log, at, run_id, playbook, record) VALUES (?, ?, ?, ?, ?)'),
      listLog: db.prepare<[string, number], { log: string; at: string; run_id: string; playbook: string; record: string }>(
        'SELECT log, at, run_id, playbook, record FROM named_logs WHERE log = ? ORDER BY seq DESC LIMIT ?',
      ),
      ping: db.prepare('SELECT 1'),
    };
    this.#ingestTx = db.transaction((batch: IngestBatch) => {
      for (const e of batch.events) {
        unique(() => this.#q.insertEvent.run(eventToSql(e)), 'EVENT_DUPLICATE', `event ${e.eventId} already exists`);
      }
      for (const r of batch.runs) {
        unique(() => this.#q.insertRun.run(runToSql(r)), 'RUN_DUPLICATE', `run ${r.runId} already exists`);
      }
    });
    this.#completeTx = db.transaction((auditId: string, completion: Completion) => {
      const pending = this.#q.pendingAudit.get(auditId);
      if (!pending) throw new EngineError('AUDIT_UNKNOWN', `no audit row ${auditId} to complete`);
      const done: AuditRow = { ...auditFromSql(pending), status: completion.status };
      if (completion.executedAt !== undefined) done.executedAt = completion.executedAt;
      if (completion.result !== undefined) done.result = completion.result;
      unique(
        () => this.#q.insertAudit.run(auditToSql(done, 1)),
        'AUDIT_ALREADY_COMPLETED',
        `audit row ${auditId} is already completed`,
      );
    });
  }

  async commitIngest(batch: IngestBatch): Promise<void> {
    if (this.#ingestWithin) this.#ingestWithin(() => this.#ingestTx(batch));
    else this.#ingestTx.immediate(batch);
  }

  async startRun(runId: string, at: string): Promise<RunRow | null> {
    const row = this.#q.startRun.get(at, runId);
    return row ? runFromSql(row) : null;
  }

  async finishRun(runId: string, status: RunStatus, result: RunSummary, at: string): Promise<void> {
    if (!FINISH_STATUSES.has(status)) {
      throw new EngineError('RUN_INVALID_STATUS', `a run cannot finish as ${status}`);
    }
    const { changes } = this.#q.finishRun.run({
      run_id: runId,
      status,
      result: JSON.stringify(result),
      reason: result.reason,
      decision: result.decision,
      ended_at: status === 'waiting' ? null : at,
    });
    if (changes === 0) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to finish`);
  }

  async requeueRun(runId: string): Promise<void> {
    if (this.#q.requeueRun.run(runId).changes > 0) return;
    const row = this.#q.runStatus.get(runId);
    if (!row) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to requeue`);
    throw new EngineError('RUN_NOT_RUNNING', `run ${runId} is ${row.status}, only a running run is requeued`);
  }

  async resumeRun(runId: string): Promise<boolean> {
    if (this.#q.resumeRun.run(runId).changes > 0) return true;
    if (!this.#q.runStatus.get(runId)) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to resume`);
    return false;
  }

  async livePlaybookHashes(): Promise<string[]> {
    return this.#q.liveHashes.all().map((r) => r.h);
  }

  async runningRuns(olderThan: string): Promise<RunRow[]> {
    return this.#q.runningRuns.all(olderThan).map(runFromSql);
  }

  async queuedRuns(limit: number): Promise<RunRow[]> {
    return this.#q.queuedRuns.all(checkLimit(limit)).map(runFromSql);
  }

  async getRun(runId: string): Promise<RunRow | null> {
    const row = this.#q.getRun.get(runId);
    return row ? runFromSql(row) : null;
  }

  async listRuns(filter: RunFilter): Promise<RunRow[]> {
    const where: string[] = [];
    if (filter.playbook !== undefined) where.push('playbook_name = @playbook');
    if (filter.status !== undefined) where.push('status = @status');
    const sql = `SELECT * FROM runs ${clause(where)} ORDER BY queued_at DESC, seq DESC LIMIT @limit`;
    const params = { playbook: filter.playbook, status: filter.status, limit: checkLimit(filter.limit) };
    return (this.#listing(sql).all(params) as RunSqlRow[]).map(runFromSql);
  }

  async listEvents(filter: EventFilter): Promise<EventRecord[]> {
    const where = filter.source === undefined ? [] : ['source = @source'];
    const sql = `SELECT * FROM events ${clause(where)} ORDER BY seq DESC LIMIT @limit`;
    const params = { source: filter.source, limit: checkLimit(filter.limit) };
    return (this.#listing(sql).all(params) as EventSqlRow[]).map(eventFromSql);
  }

  async recordRefusal(refusal: RefusalRecord): Promise<void> {
    this.#received.recordRefusal(refusal);
  }

  async eventsBefore(filter: FeedFilter): Promise<Positioned<EventRecord>[]> {
    return this.#received.eventsBefore(filter);
  }

  async refusalsBefore(filter: FeedFilter): Promise<Positioned<RefusalRecord>[]> {
    return this.#received.refusalsBefore(filter);
  }

  async appendAudit(row: AuditRow): Promise<void> {
    unique(
      () => this.#q.insertAudit.run(auditToSql(row, 0)),
      'AUDIT_DUPLICATE',
      `audit row ${row.auditId} already exists; the audit is append-only`,
    );
  }

  async completeAudit(auditId: string, completion: Completion): Promise<void> {
    this.#completeTx.immediate(auditId, completion);
  }

  async appendLog(entry: LogRecord): Promise<void> {
    this.#q.appendLog.run(entry.log, entry.at, entry.runId, entry.playbook, JSON.stringify(entry.record));
  }

  async listLog(log: string, limit: number): Promise<LogRecord[]> {
    return this.#q.listLog.all(log, checkLimit(limit)).map((r) => ({ log: r.log, at: r.at, runId: r.run_id, playbook: r.playbook, record: JSON.parse(r.record) as LogRecord['record'] }));
  }

  async listAudit(filter: AuditFilter): Promise<AuditRow[]> {
    // The latest row of an entry is the one with no completion row after it.
    const where = ['NOT EXISTS (SELECT 1 FROM audit c WHERE c.audit_id = a.audit_id AND c.completion > a.completion)'];
    if (filter.runId !== undefined) where.push('a.run_id = @runId');
    if (filter.playbook !== undefined) where.push('a.playbook_name = @playbook');
    if (filter.intent !== undefined) where.push('a.intent = @intent');
    if (filter.status !== undefined) where.push('a.status = @status');
    if (filter.since !== undefined) where.push('a.at >= @since');
    const sql = `SELECT a.* FROM audit a JOIN audit p ON p.audit_id = a.audit_id AND p.completion = 0
      ${clause(where)} ORDER BY p.seq DESC LIMIT @limit`;
    // Named parameters the statement does not use are ignored, so the filter object binds as is.
    const params = { ...filter, limit: checkLimit(filter.limit) };
    return (this.#listing(sql).all(params) as AuditSqlRow[]).map(auditFromSql);
  }

  async auditTrail(runId: string): Promise<AuditRow[]> {
    return this.#q.auditTrail.all(runId).map(auditFromSql);
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    this.#journal.append(entries);
  }

  async readJournal(runId: string): Promise<JournalEntry[]> {
    return this.#journal.read(runId);
  }

  async journalBytes(runId: string): Promise<number> {
    return this.#journal.bytes(runId);
  }

  async ping(): Promise<void> {
    if (!this.#db.open) throw new EngineError('RECORDS_UNAVAILABLE', 'the SQLite database is closed', { retryable: true });
    this.#q.ping.get();
  }

  /** Closes the database (idempotent). */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #listing(sql: string): Database.Statement {
    let statement = this.#listings.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#listings.set(sql, statement);
    }
    return statement;
  }
}

/** Runs an insert, turning a UNIQUE violation into the contract's coded error. */
function unique(insert: () => unknown, code: string, message: string): void {
  try {
    insert();
  } catch (e) {
    const conflict = e instanceof Database.SqliteError && /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(e.code);
    if (conflict) throw new EngineError(code, message, { cause: e });
    throw e;
  }
}

function clause(where: readonly string[]): string {
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new EngineError('RECORDS_INVALID_LIMIT', `limit must be a non-negative integer, got ${limit}`);
  }
  return limit;
}
