import pg from 'pg';
import { EngineError } from '../../../engine/errors.ts';

/** Unique constraints (see migrations) and what a violation of each means to the caller. */
const UNIQUE_CODES: Record<string, { code: string; message: string }> = {
  events_event_id_unique: { code: 'EVENT_DUPLICATE', message: 'an event with this id is already recorded' },
  runs_run_id_unique: { code: 'RUN_DUPLICATE', message: 'a run with this id is already recorded' },
  audit_pending_unique: { code: 'AUDIT_DUPLICATE', message: 'this audit row already exists; the audit is append-only' },
  audit_completion_unique: { code: 'AUDIT_ALREADY_COMPLETED', message: 'this audit row is already completed' },
  run_journal_pkey: { code: 'JOURNAL_CONFLICT', message: 'this journal entry already exists; another process is advancing this run' },
};

/** SQLSTATEs that say "try again": the connection, the server's state, or a lost race. */
function transient(sqlState: string): boolean {
  return (
    sqlState.startsWith('08') || // connection exception
    sqlState.startsWith('53') || // insufficient resources (too many connections, disk full)
    sqlState.startsWith('57P') || // admin shutdown, crash shutdown, cannot connect now
    sqlState === '40001' || // serialization failure
    sqlState === '40P01' || // deadlock
    sqlState === '55P03' // lock not available
  );
}

/** SQLSTATEs that say the data itself cannot be stored (retrying would fail the same way). */
const INVALID_DATA = new Set([
  '22P05', // a string jsonb cannot hold (\u0000)
  '22P02', // invalid text representation
  '22007', // invalid datetime format
  '22008', // datetime out of range
  '23502', // not null violation (a missing field)
  '23514', // check violation (an unknown status or trigger)
]);

/**
 * Maps what a pg call rejects with to an EngineError. A server error (DatabaseError) is mapped by
 * SQLSTATE and constraint; anything else (connection refused or reset, timeout, pool ended) means
 * PostgreSQL is unreachable: RECORDS_UNAVAILABLE, retryable. `subject` names the row for people.
 */
export function recordsError(e: unknown, subject?: string): EngineError {
  // instanceof, not isEngineError: driver errors carry a string `code` too (ECONNREFUSED, SQLSTATE).
  if (e instanceof EngineError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const about = subject === undefined ? '' : `${subject}: `;
  if (!(err instanceof pg.DatabaseError)) {
    return new EngineError('RECORDS_UNAVAILABLE', `PostgreSQL is unreachable: ${err.message}`, { retryable: true, cause: err });
  }
  const sqlState = err.code ?? '';
  if (sqlState === '23505') {
    const known = err.constraint === undefined ? undefined : UNIQUE_CODES[err.constraint];
    if (known) return new EngineError(known.code, `${about}${known.message}`, { cause: err, details: { detail: err.detail } });
  }
  if (sqlState === 'EN001') return new EngineError('AUDIT_APPEND_ONLY', `${about}${err.message}`, { cause: err });
  if (sqlState === 'EN002') return new EngineError('JOURNAL_APPEND_ONLY', `${about}${err.message}`, { cause: err });
  if (INVALID_DATA.has(sqlState)) return new EngineError('RECORD_INVALID', `${about}cannot be stored: ${err.message}`, { cause: err });
  if (transient(sqlState)) {
    return new EngineError('RECORDS_UNAVAILABLE', `PostgreSQL cannot serve now: ${err.message}`, { retryable: true, cause: err });
  }
  return new EngineError('RECORDS_ERROR', `${about}PostgreSQL refused the statement (${sqlState}): ${err.message}`, { cause: err });
}
