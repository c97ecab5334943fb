import { UNAUTHENTICATED_STATUS, type FeedFilter, type FeedPosition, type RefusalRecord } from '../../records/records.ts';
import { Conditions } from './rows.ts';

/**
 * The SQL of the received side on PostgreSQL: keeping a refused request (migrations/002) and the
 * keyset pages of GET /events, newest first by (received_ts, seq). The row comparison
 * `(received_ts, seq) < ($1, $2)` walks the (received_ts DESC, seq DESC) indexes.
 */

/**
 * One statement: the insert, and the deletion of the rows of the same class (401s, or the others)
 * that fall beyond its bound `$5`. The deletion does not see the new row (same snapshot), so it
 * keeps `$5 - 1` older ones (migrations/003's partial indexes find them).
 */
export function recordRefusalSql(table: string, refusal: RefusalRecord): string {
  const sameClass = `(record->>'status') ${refusal.status === UNAUTHENTICATED_STATUS ? '=' : '<>'} '${UNAUTHENTICATED_STATUS}'`;
  return `WITH kept AS (
    INSERT INTO ${table} (refusal_id, source, received_ts, record)
    VALUES ($1, $2, $3::timestamptz, $4::jsonb)
    RETURNING seq
  )
  DELETE FROM ${table} WHERE ${sameClass}
    AND seq <= (SELECT seq FROM ${table} WHERE ${sameClass} ORDER BY seq DESC OFFSET ($5::bigint - 1) LIMIT 1)`;
}

export function recordRefusalParams(refusal: RefusalRecord, bounds: { keep: number; keepUnauthenticated: number }): unknown[] {
  const keep = refusal.status === UNAUTHENTICATED_STATUS ? bounds.keepUnauthenticated : bounds.keep;
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
