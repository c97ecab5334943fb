import type { RunSummary } from '../../../engine/run/result.ts';
import type { RunRow, RunStatus } from '../../records/records.ts';

/** The columns of `runs` that make a RunRow, for SELECT and RETURNING. */
export const RUN_COLUMNS = `run_id, event_id, playbook, trigger_kind, status, shadow, event, admission,
  queued_at, started_at, ended_at, attempts, reason, decision, result`;

/** A `runs` row as pg returns it (jsonb parsed, booleans and integers as JS values). */
export interface RunDbRow {
  run_id: string;
  event_id: string;
  playbook: RunRow['playbook'];
  trigger_kind: RunRow['trigger'];
  status: RunStatus;
  shadow: boolean;
  event: RunRow['event'];
  admission: RunRow['admission'];
  queued_at: string;
  started_at: string | null;
  ended_at: string | null;
  attempts: number;
  reason: string | null;
  decision: string | null;
  result: RunSummary | null;
}

export function toRunRow(row: RunDbRow): RunRow {
  return {
    runId: row.run_id,
    eventId: row.event_id,
    playbook: row.playbook,
    trigger: row.trigger_kind,
    status: row.status,
    shadow: row.shadow,
    event: row.event ?? null,
    admission: row.admission,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    attempts: row.attempts,
    reason: row.reason,
    decision: row.decision,
    result: row.result ?? null,
  };
}

/**
 * commitIngest as one statement: the events and the runs arrive as two jsonb arrays and are
 * unpacked server-side, so a batch of any size is one round trip, and one statement is atomic
 * (both inserts commit or neither). WITH ORDINALITY keeps the batch order as the commit order (seq).
 */
export function ingestSql(table: (name: string) => string): string {
  return `WITH new_events AS (
    INSERT INTO ${table('events')} (event_id, source, received_ts, record)
    SELECT e->>'eventId', e->>'source', (e->>'receivedAt')::timestamptz, e
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n)
    ORDER BY n
    RETURNING 1
  )
  INSERT INTO ${table('runs')} (run_id, event_id, playbook_name, playbook, trigger_kind, status, shadow, event,
    admission, queued_at, queued_ts, started_at, started_ts, ended_at, attempts, reason, decision, result)
  SELECT r->>'runId', r->>'eventId', r->'playbook'->>'name', r->'playbook', r->>'trigger', r->>'status',
    (r->>'shadow')::boolean, r->'event', r->'admission', r->>'queuedAt', (r->>'queuedAt')::timestamptz,
    r->>'startedAt', (r->>'startedAt')::timestamptz, r->>'endedAt', (r->>'attempts')::integer,
    r->>'reason', r->>'decision', r->'result'
  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS y(r, n)
  ORDER BY n`;
}

/** A WHERE clause built from the filters that are set, with numbered parameters. */
export class Conditions {
  readonly params: unknown[] = [];
  readonly #clauses: string[] = [];

  /** Adds `sql` where `$?` stands for the value's parameter, when the value is set. */
  add(sql: string, value: unknown): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.#clauses.push(sql.replace('$?', `$${this.params.length}`));
    return this;
  }

  /** Adds a clause whose parameters were taken with `param` (one that uses several). */
  clause(sql: string): this {
    this.#clauses.push(sql);
    return this;
  }

  /** A parameter reference for a value used outside the WHERE clause (a LIMIT), or by `clause`. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(): string {
    return this.#clauses.length === 0 ? '' : `WHERE ${this.#clauses.join(' AND ')}`;
  }
}
