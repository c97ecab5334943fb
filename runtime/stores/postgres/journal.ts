import type pg from 'pg';
import { EngineError } from '../../../engine/errors.ts';
import type { JournalEntry } from '../../records/journal.ts';
import { checkJournalBatch, fromStored, type StoredEntry } from '../../records/journal-check.ts';

type Query = <R extends pg.QueryResultRow>(sql: string, params: unknown[], subject?: string) => Promise<pg.QueryResult<R>>;

/**
 * The run journal on PostgreSQL (migrations/004_run_journal.sql). A batch is one statement, so it
 * is atomic without a transaction: the entries arrive as parallel arrays, and the insert happens
 * only when each run's first entry follows its last stored one. Two processes appending the same
 * seq at once both pass that check, and the second insert then fails on the primary key, which
 * errors.ts maps to JOURNAL_CONFLICT too.
 */
export class PostgresJournal {
  readonly #query: Query;
  readonly #table: string;

  /** `table`: the schema-qualified `run_journal`. */
  constructor(query: Query, table: string) {
    this.#query = query;
    this.#table = table;
  }

  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const batch = checkJournalBatch(entries);
    const subject = `journal of ${[...batch.firstSeq.keys()].join(', ')}`;
    const { rowCount } = await this.#query(appendSql(this.#table), appendParams(batch.entries), subject);
    if (rowCount === batch.entries.length) return;
    // Nothing was written: say which run was behind or ahead. This read is not atomic with the
    // insert, but entries are never removed, so a run found behind was truly behind.
    const runs = [...batch.firstSeq.keys()];
    const { rows } = await this.#query<{ run_id: string; last: number }>(
      `SELECT run_id, MAX(seq) AS last FROM ${this.#table} WHERE run_id = ANY($1::text[]) GROUP BY run_id`,
      [runs],
    );
    const last = new Map(rows.map((r) => [r.run_id, r.last]));
    for (const [runId, first] of batch.firstSeq) {
      const stored = last.get(runId) ?? 0;
      if (first <= stored) {
        throw new EngineError('JOURNAL_CONFLICT', `run ${runId}: entry ${first} is already journaled (last is ${stored}); another process is advancing this run`, {
          details: { runId, seq: first, last: stored },
        });
      }
    }
    for (const [runId, first] of batch.firstSeq) {
      const stored = last.get(runId) ?? 0;
      if (first > stored + 1) throw new EngineError('JOURNAL_GAP', `run ${runId}: entry ${first} would follow ${stored}; expected ${stored + 1}`);
    }
    // Another process appended between the two statements: the batch no longer fits.
    throw new EngineError('JOURNAL_CONFLICT', `${subject}: the journal moved while appending; another process is advancing this run`);
  }

  async read(runId: string): Promise<JournalEntry[]> {
    const { rows } = await this.#query<StoredEntry>(
      `SELECT run_id AS "runId", seq, kind, effect_id AS "effectId", at, body FROM ${this.#table} WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
    return rows.map(fromStored);
  }

  async bytes(runId: string): Promise<number> {
    // bigint comes back as text; a journal is far below 2^53 bytes.
    const { rows } = await this.#query<{ bytes: string }>(
      `SELECT COALESCE(SUM(octet_length(body)), 0)::text AS bytes FROM ${this.#table} WHERE run_id = $1`,
      [runId],
    );
    return Number(rows[0]?.bytes ?? 0);
  }
}

/** Inserts the batch only when no run in it is behind or ahead of its stored journal. */
function appendSql(table: string): string {
  return `WITH batch AS (
    SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[])
      AS b(run_id, seq, kind, effect_id, at, body)
  ), misplaced AS (
    SELECT 1 FROM (SELECT run_id, MIN(seq) AS first FROM batch GROUP BY run_id) heads
    WHERE heads.first <> 1 + COALESCE((SELECT MAX(j.seq) FROM ${table} j WHERE j.run_id = heads.run_id), 0)
  )
  INSERT INTO ${table} (run_id, seq, kind, effect_id, at, body)
  SELECT run_id, seq, kind, effect_id, at, body FROM batch WHERE NOT EXISTS (SELECT 1 FROM misplaced)`;
}

function appendParams(entries: readonly StoredEntry[]): unknown[] {
  return [
    entries.map((e) => e.runId),
    entries.map((e) => e.seq),
    entries.map((e) => e.kind),
    entries.map((e) => e.effectId),
    entries.map((e) => e.at),
    entries.map((e) => e.body),
  ];
}
