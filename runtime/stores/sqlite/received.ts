import Database from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';
import {
  REFUSALS_KEPT,
  UNAUTHENTICATED_REFUSALS_KEPT,
  UNAUTHENTICATED_STATUS,
  type EventRecord,
  type FeedFilter,
  type Positioned,
  type RefusalRecord,
} from '../../records/records.ts';
import { eventFromSql, insertSql, type EventSqlRow } from './record-rows.ts';

/**
 * The received side of the SQLite records: refused requests (table `refusals`, migration 3) and
 * the keyset pages of GET /events over events and refusals, newest first by (received_at, seq).
 * A row value comparison `(received_at, seq) < (?, ?)` walks the (received_at, seq) indexes, so a
 * page costs the same at the end of 10,000 rows as at the start.
 */

interface RefusalSqlRow {
  refusal_id: string;
  source: string;
  received_at: string;
  status: number;
  code: string;
  reason: string;
  path: string | null;
  excerpt: string | null;
  body_bytes: number | null;
  request_id: string;
}

const REFUSAL_COLUMNS = ['refusal_id', 'source', 'received_at', 'status', 'code', 'reason', 'path', 'excerpt', 'body_bytes', 'request_id'] as const;

export class SqliteReceived {
  readonly #db: Database.Database;
  readonly #record: (refusal: RefusalRecord) => void;
  readonly #pages = new Map<string, Database.Statement>();

  /**
   * `keep`: how many refusals to keep, `keepUnauthenticated`: how many 401s, counted apart; the
   * oldest of a class beyond its bound are deleted as new ones of that class arrive.
   */
  constructor(db: Database.Database, bounds: { keep?: number | undefined; keepUnauthenticated?: number | undefined } = {}) {
    this.#db = db;
    const insert = db.prepare<[RefusalSqlRow]>(insertSql('refusals', REFUSAL_COLUMNS));
    // The bound-th newest row of the class, and every older one of it, goes (the partial indexes of migration 5).
    const prune = (test: string) =>
      db.prepare<[number]>(`DELETE FROM refusals WHERE ${test} AND seq <= (SELECT seq FROM refusals WHERE ${test} ORDER BY seq DESC LIMIT 1 OFFSET ?)`);
    const pruneUnauthenticated = prune(`status = ${UNAUTHENTICATED_STATUS}`);
    const pruneOthers = prune(`status <> ${UNAUTHENTICATED_STATUS}`);
    const keep = bounds.keep ?? REFUSALS_KEPT;
    const keepUnauthenticated = bounds.keepUnauthenticated ?? UNAUTHENTICATED_REFUSALS_KEPT;
    const write = db.transaction((refusal: RefusalRecord) => {
      insert.run(toSql(refusal));
      if (refusal.status === UNAUTHENTICATED_STATUS) pruneUnauthenticated.run(keepUnauthenticated);
      else pruneOthers.run(keep);
    });
    this.#record = (refusal) => write.immediate(refusal);
  }

  recordRefusal(refusal: RefusalRecord): void {
    try {
      this.#record(refusal);
    } catch (e) {
      // A repeated id or a row beyond the table's bounds (CHECK): this record can never be kept.
      if (e instanceof Database.SqliteError && e.code.startsWith('SQLITE_CONSTRAINT')) {
        throw new EngineError('RECORD_INVALID', `refusal ${refusal.refusalId} was not kept: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }

  eventsBefore(filter: FeedFilter): Positioned<EventRecord>[] {
    const rows = this.#page('events', filter) as Array<EventSqlRow & { seq: number }>;
    return rows.map((r) => ({ position: { receivedAt: r.received_at, seq: r.seq }, record: eventFromSql(r) }));
  }

  refusalsBefore(filter: FeedFilter): Positioned<RefusalRecord>[] {
    const rows = this.#page('refusals', filter) as Array<RefusalSqlRow & { seq: number }>;
    return rows.map((r) => ({ position: { receivedAt: r.received_at, seq: r.seq }, record: fromSql(r) }));
  }

  #page(table: 'events' | 'refusals', filter: FeedFilter): unknown[] {
    if (!Number.isSafeInteger(filter.limit) || filter.limit < 0) {
      throw new EngineError('RECORDS_INVALID_LIMIT', `limit must be a non-negative integer, got ${filter.limit}`);
    }
    const where: string[] = [];
    if (filter.source !== undefined) where.push('source = @source');
    if (filter.before !== undefined) where.push('(received_at, seq) < (@at, @seq)');
    const sql = `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY received_at DESC, seq DESC LIMIT @limit`;
    let statement = this.#pages.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#pages.set(sql, statement);
    }
    return statement.all({ source: filter.source, at: filter.before?.receivedAt, seq: filter.before?.seq, limit: filter.limit });
  }
}

function toSql(r: RefusalRecord): RefusalSqlRow {
  return {
    refusal_id: r.refusalId,
    source: r.source,
    received_at: r.receivedAt,
    status: r.status,
    code: r.code,
    reason: r.reason,
    path: r.path,
    excerpt: r.excerpt,
    body_bytes: r.bodyBytes,
    request_id: r.requestId,
  };
}

function fromSql(r: RefusalSqlRow): RefusalRecord {
  return {
    refusalId: r.refusal_id,
    source: r.source,
    receivedAt: r.received_at,
    status: r.status,
    code: r.code,
    reason: r.reason,
    path: r.path,
    excerpt: r.excerpt,
    bodyBytes: r.body_bytes,
    requestId: r.request_id,
  };
}
