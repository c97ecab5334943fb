import pg from 'pg';
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
import { REFUSALS_KEPT, RUN_STATUSES, UNAUTHENTICATED_REFUSALS_KEPT } from '../../records/records.ts';
import type { JournalEntry } from '../../records/journal.ts';
import { PostgresJournal } from './journal.ts';
import { pageQuery, positionOf, recordRefusalParams, recordRefusalSql } from './received.ts';
import { recordsError } from './errors.ts';
import { DEFAULT_SCHEMA, migrate, quoteSchema } from './migrate.ts';
import { Conditions, ingestSql, RUN_COLUMNS, toRunRow, type RunDbRow } from './rows.ts';
import { finishRunsParams, finishRunsSql, startRunsParams, startRunsSql, type FinishItem, type StartItem } from './run-transitions.ts';
import { TickBatch } from './tick-batch.ts';

type Completion = Pick<AuditRow, 'status' | 'executedAt' | 'result'>;

export interface PostgresRecordsOptions {
  /** Owned by the records from now on: `close()` ends it. */
  pool: pg.Pool;
  /** The schema holding the tables (migrated by `migrate`); default `engine`. */
  schema?: string;
  /**
   * Owned likewise: connections whose commits do not wait for the disk (synchronous_commit off),
   * used only to take runs. Safe because the WAL is one sequence: the synchronous commit of the
   * audit row that precedes any command makes the earlier "running" mark durable with it; a mark
   * lost to a database crash before that leaves the run queued, as if it had not been taken.
   * Without it, runs are taken on `pool`.
   */
  claimPool?: pg.Pool;
  /** How many refused requests to keep (default REFUSALS_KEPT). */
  keepRefusals?: number;
  /** How many of the unauthenticated ones (401), counted apart (default UNAUTHENTICATED_REFUSALS_KEPT). */
  keepUnauthenticated?: number;
}

/**
 * The Records on PostgreSQL, for the distributed profile (tables: migrations/001_records.sql,
 * 002_refusals.sql, 003_refusals_by_class.sql, 004_run_journal.sql; the journal in journal.ts).
 * Every method is one statement, so each is atomic without an explicit transaction, and safe
 * across processes: `startRun` is a conditional UPDATE (one worker wins), audit uniqueness is
 * enforced by partial unique indexes and append-only by a trigger. Failures are EngineErrors:
 * RECORDS_UNAVAILABLE (retryable) when the server cannot be reached, the contract's codes
 * otherwise (errors.ts).
 */
export class PostgresRecords implements Records {
  readonly #pool: pg.Pool;
  readonly #claimPool: pg.Pool | null;
  readonly #schema: string;
  readonly #refusalBounds: { keep: number; keepUnauthenticated: number };
  #closed = false;
  /** Workers take and finish runs in bursts: the calls of one event-loop turn share a statement. */
  readonly #starts: TickBatch<StartItem, RunRow | null>;
  readonly #finishes: TickBatch<FinishItem, boolean>;
  readonly #journal: PostgresJournal;

  constructor(options: PostgresRecordsOptions) {
    this.#pool = options.pool;
    this.#claimPool = options.claimPool ?? null;
    this.#schema = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
    this.#refusalBounds = { keep: options.keepRefusals ?? REFUSALS_KEPT, keepUnauthenticated: options.keepUnauthenticated ?? UNAUTHENTICATED_REFUSALS_KEPT };
    const runs = this.#table('runs');
    this.#journal = new PostgresJournal((sql, params, subject) => this.#query(sql, params, subject), this.#table('run_journal'));
    this.#starts = new TickBatch(async (items) => {
      const { rows } = await this.#query<RunDbRow>(startRunsSql(runs), startRunsParams(items), undefined, this.#claimPool ?? this.#pool);
      const taken = new Map(rows.map((r) => [r.run_id, toRunRow(r)]));
      return items.map((i) => taken.get(i.runId) ?? null);
    }, (i) => i.runId);
    this.#finishes = new TickBatch(async (items) => {
      const { rows } = await this.#query<{ run_id: string }>(finishRunsSql(runs), finishRunsParams(items));
      const found = new Set(rows.map((r) => r.run_id));
      return items.map((i) => found.has(i.runId));
    }, (i) => i.runId);
  }

  async commitIngest(batch: IngestBatch): Promise<void> {
    if (batch.events.length === 0 && batch.runs.length === 0) return;
    await this.#query(ingestSql((name) => this.#table(name)), [JSON.stringify(batch.events), JSON.stringify(batch.runs)]);
  }

  async startRun(runId: string, at: string): Promise<RunRow | null> {
    return this.#starts.call({ runId, at });
  }

  async finishRun(runId: string, status: RunStatus, result: RunSummary, at: string): Promise<void> {
    if (!RUN_STATUSES.includes(status) || status === 'queued' || status === 'running') {
      throw new EngineError('RUN_INVALID_STATUS', `run ${runId}: ${JSON.stringify(status)} is not an end (or waiting)`);
    }
    if (!(await this.#finishes.call({ runId, status, result, at }))) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to finish`);
  }

  async requeueRun(runId: string): Promise<void> {
    const { rowCount } = await this.#query(
      `UPDATE ${this.#table('runs')} SET status = 'queued', started_at = NULL, started_ts = NULL
       WHERE run_id = $1 AND status = 'running'`,
      [runId],
    );
    if (rowCount !== 0) return;
    const { rows } = await this.#query<{ status: string }>(`SELECT status FROM ${this.#table('runs')} WHERE run_id = $1`, [runId]);
    if (!rows[0]) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to requeue`);
    throw new EngineError('RUN_NOT_RUNNING', `run ${runId} is ${rows[0].status}, not running; only a running run is requeued`);
  }

  async resumeRun(runId: string): Promise<boolean> {
    const { rowCount } = await this.#query(
      `UPDATE ${this.#table('runs')} SET status = 'queued', started_at = NULL, started_ts = NULL WHERE run_id = $1 AND status = 'waiting'`,
      [runId],
    );
    if (rowCount !== 0) return true;
    const { rows } = await this.#query<{ status: string }>(`SELECT status FROM ${this.#table('runs')} WHERE run_id = $1`, [runId]);
    if (!rows[0]) throw new EngineError('RUN_UNKNOWN', `no run ${runId} to resume`);
    return false;
  }

  async livePlaybookHashes(): Promise<string[]> {
    const { rows } = await this.#query<{ h: string }>(
      `SELECT DISTINCT playbook->>'hash' AS h FROM ${this.#table('runs')} WHERE status IN ('queued', 'running', 'waiting')`,
    );
    return rows.map((r) => r.h);
  }

  async runningRuns(olderThan: string): Promise<RunRow[]> {
    return this.#runs(`WHERE status = 'running' AND started_ts < $1::timestamptz ORDER BY started_ts, seq`, [olderThan]);
  }

  async queuedRuns(limit: number): Promise<RunRow[]> {
    return this.#runs(`WHERE status = 'queued' ORDER BY queued_ts, seq LIMIT $1`, [limit]);
  }

  async getRun(runId: string): Promise<RunRow | null> {
    const rows = await this.#runs('WHERE run_id = $1', [runId]);
    return rows[0] ?? null;
  }

  async listRuns(filter: RunFilter): Promise<RunRow[]> {
    const c = new Conditions().add('playbook_name = $?', filter.playbook).add('status = $?', filter.status);
    return this.#runs(`${c.where()} ORDER BY queued_ts DESC, seq DESC LIMIT ${c.param(filter.limit)}`, c.params);
  }

  async listEvents(filter: EventFilter): Promise<EventRecord[]> {
    const c = new Conditions().add('source = $?', filter.source);
    const { rows } = await this.#query<{ record: EventRecord }>(
      `SELECT record FROM ${this.#table('events')} ${c.where()} ORDER BY seq DESC LIMIT ${c.param(filter.limit)}`,
      c.params,
    );
    return rows.map((r) => r.record);
  }

  async recordRefusal(refusal: RefusalRecord): Promise<void> {
    const table = this.#table('refusals');
    await this.#query(recordRefusalSql(table, refusal), recordRefusalParams(refusal, this.#refusalBounds), `refusal ${refusal.refusalId}`);
  }

  async eventsBefore(filter: FeedFilter): Promise<Positioned<EventRecord>[]> {
    return this.#page<EventRecord>('events', filter);
  }

  async refusalsBefore(filter: FeedFilter): Promise<Positioned<RefusalRecord>[]> {
    return this.#page<RefusalRecord>('refusals', filter);
  }

  async appendAudit(row: AuditRow): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#table('audit')} (audit_id, completion, run_id, playbook_name, intent, status, at_ts, entry)
       VALUES ($1, false, $2, $3, $4, $5, $6::timestamptz, $7::jsonb)`,
      [row.auditId, row.runId, row.playbook.name, row.intent, row.status, row.at, JSON.stringify(row)],
      `audit row ${row.auditId}`,
    );
  }

  async appendLog(entry: LogRecord): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#table('named_logs')} (log, at, at_ts, run_id, playbook, record) VALUES ($1, $2, $3::timestamptz, $4, $5, $6::jsonb)`,
      [entry.log, entry.at, entry.at, entry.runId, entry.playbook, JSON.stringify(entry.record)],
    );
  }

  async listLog(log: string, limit: number): Promise<LogRecord[]> {
    const { rows } = await this.#query<{ log: string; at: string; run_id: string; playbook: string; record: LogRecord['record'] }>(
      `SELECT log, at, run_id, playbook, record FROM ${this.#table('named_logs')} WHERE log = $1 ORDER BY seq DESC LIMIT $2`,
      [log, limit],
    );
    return rows.map((r) => ({ log: r.log, at: r.at, runId: r.run_id, playbook: r.playbook, record: r.record }));
  }

  async completeAudit(auditId: string, completion: Completion): Promise<void> {
    // The completion row is the pending row with the completion's fields laid over it, built by
    // the server from the stored row in the same statement; the pending row is never touched.
    const patch: Partial<Completion> = { status: completion.status };
    if (completion.executedAt !== undefined) patch.executedAt = completion.executedAt;
    if (completion.result !== undefined) patch.result = completion.result;
    const audit = this.#table('audit');
    const { rowCount } = await this.#query(
      `INSERT INTO ${audit} (audit_id, completion, run_id, playbook_name, intent, status, at_ts, entry)
       SELECT audit_id, true, run_id, playbook_name, intent, $2, at_ts, entry || $3::jsonb
       FROM ${audit} WHERE audit_id = $1 AND NOT completion`,
      [auditId, completion.status, JSON.stringify(patch)],
      `audit row ${auditId}`,
    );
    if (rowCount === 0) throw new EngineError('AUDIT_UNKNOWN', `no audit row ${auditId} to complete`);
  }

  async listAudit(filter: AuditFilter): Promise<AuditRow[]> {
    // The entry filters hold for every row of an entry; the status filter applies to its latest row.
    const c = new Conditions()
      .add('run_id = $?', filter.runId)
      .add('playbook_name = $?', filter.playbook)
      .add('intent = $?', filter.intent)
      .add('at_ts >= $?::timestamptz', filter.since);
    const status = filter.status === undefined ? '' : `WHERE status = ${c.param(filter.status)}`;
    const { rows } = await this.#query<{ entry: AuditRow }>(
      `SELECT entry FROM (
         SELECT DISTINCT ON (audit_id) audit_id, status, at_ts, entry, min(seq) OVER (PARTITION BY audit_id) AS first_seq
         FROM ${this.#table('audit')} ${c.where()}
         ORDER BY audit_id, seq DESC
       ) latest ${status}
       ORDER BY at_ts DESC, first_seq DESC
       LIMIT ${c.param(filter.limit)}`,
      c.params,
    );
    return rows.map((r) => r.entry);
  }

  async auditTrail(runId: string): Promise<AuditRow[]> {
    const { rows } = await this.#query<{ entry: AuditRow }>(
      `SELECT entry FROM ${this.#table('audit')} WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
    return rows.map((r) => r.entry);
  }

  appendJournal(entries: readonly JournalEntry[]): Promise<void> { return this.#journal.append(entries); }
  readJournal(runId: string): Promise<JournalEntry[]> { return this.#journal.read(runId); }
  journalBytes(runId: string): Promise<number> { return this.#journal.bytes(runId); }

  async ping(): Promise<void> {
    await this.#query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool.end(), this.#claimPool?.end()]);
  }

  async #runs(tail: string, params: unknown[]): Promise<RunRow[]> {
    const { rows } = await this.#query<RunDbRow>(`SELECT ${RUN_COLUMNS} FROM ${this.#table('runs')} ${tail}`, params);
    return rows.map(toRunRow);
  }

  async #page<T extends { receivedAt: string }>(table: 'events' | 'refusals', filter: FeedFilter): Promise<Positioned<T>[]> {
    const { sql, params } = pageQuery(this.#table(table), filter);
    const { rows } = await this.#query<{ seq: string; record: T }>(sql, params);
    return rows.map((r) => ({ position: positionOf(r), record: r.record }));
  }

  #table(name: string): string {
    return `${this.#schema}.${name}`;
  }

  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    subject?: string,
    pool: pg.Pool = this.#pool,
  ): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new EngineError('RECORDS_CLOSED', 'the records are closed');
    try {
      return await pool.query<R>(sql, params);
    } catch (e) {
      throw recordsError(e, subject);
    }
  }
}

export interface OpenPostgresRecordsOptions {
  schema?: string;
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /** A connection that cannot be opened in this time fails the call (RECORDS_UNAVAILABLE); default 5 s. */
  connectTimeoutMs?: number;
  /** A statement whose answer does not come in this time fails (a half-open connection); default 30 s. */
  queryTimeoutMs?: number;
  keepRefusals?: number;
  keepUnauthenticated?: number;
}

/**
 * Opens a pool on `url`, migrates the schema to the latest version and returns the records. The
 * pool's 'error' event (an idle connection dropped by the server) is listened to: pg has already
 * discarded that connection, and the next statement opens a new one or reports RECORDS_UNAVAILABLE.
 */
export async function openPostgresRecords(url: string, options: OpenPostgresRecordsOptions = {}): Promise<PostgresRecords> {
  const settings = {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
  };
  const pool = new pg.Pool({ ...settings, max: options.poolSize ?? 10 });
  pool.on('error', () => {});
  const schema = options.schema ?? DEFAULT_SCHEMA;
  try {
    await migrate(pool, { schema });
  } catch (e) {
    await pool.end();
    throw e;
  }
  // Runs are taken in batches (one statement per event-loop turn): two connections suffice.
  const claimPool = new pg.Pool({ ...settings, max: 2, options: '-c synchronous_commit=off' });
  claimPool.on('error', () => {});
  return new PostgresRecords({
    pool,
    schema,
    claimPool,
    ...(options.keepRefusals === undefined ? {} : { keepRefusals: options.keepRefusals }),
    ...(options.keepUnauthenticated === undefined ? {} : { keepUnauthenticated: options.keepUnauthenticated }),
  });
}
