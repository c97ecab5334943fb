import type { FeedFilter, FeedPosition, RefusalRecord } from '../../records/records.ts';
import { Conditions } from './rows.ts';

/**
 * The SQL of the received side on PostgreSQL: keeping a refused request (migrations/002) and the
 * keyset pages of GET /events, newest first by (received_ts, seq). The row comparison
 * `(received_ts, seq) < ($1, $2)` walks the (received_ts DESC, seq DESC) indexes.
 */

/**
 * One statement: the insert, and the deletion of the rows that fall beyond `keep`. The deletion
 * does not see the new row (same snapshot) and needs not: it removes only older ones.
 */
export function recordRefusalSql(table: string): string {
  return `WITH kept AS (
    INSERT INTO ${table} (refusal_id, source, received_ts, record)
    VALUES ($1, $2, $3::timestamptz, $4::jsonb)
    RETURNING seq
  )
  DELETE FROM ${table} WHERE seq <= (SELECT seq FROM kept) - $5::bigint`;
}

export function recordRefusalParams(refusal: RefusalRecord, keep: number): unknown[] {
  return [refusal.refusalId, refusal.source, refusal.receivedAt, JSON.stringify(refusal), keep];
}

/** `SELECT seq, received, record` of one page of `table` (events or refusals). */
export function pageQuery(table: string, filter: FeedFilter): { sql: string; params: unknown[] } {
  const c = new Conditions().add('source = $?', filter.source);
  if (filter.before !== undefined) {
    const at = c.param(filter.before.receivedAt);
    const seq = c.param(filter.before.seq);
    c.clause(`(received_ts, seq) < (${at}::timestamptz, ${seq}::bigint)`);
  }
  return {
    sql: `SELECT seq::text AS seq, record FROM ${table} ${c.where()} ORDER BY received_ts DESC, seq DESC LIMIT ${c.param(filter.limit)}`,
    params: c.params,
  };
}

/** A row's position; seq is read as text (bigint) and is far below 2^53. */
export function positionOf(row: { seq: string; record: { receivedAt: string } }): FeedPosition {
  return { receivedAt: row.record.receivedAt, seq: Number(row.seq) };
}
