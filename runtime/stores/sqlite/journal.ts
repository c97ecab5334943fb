import Database from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';
import type { JournalEntry } from '../../records/journal.ts';
import { checkJournalBatch, fromStored, type CheckedBatch, type StoredEntry } from '../../records/journal-check.ts';

/**
 * The run journal on the embedded data file (table `run_journal`, migration 6). A batch is one
 * IMMEDIATE transaction: the write lock is taken before each run's last seq is read, so another
 * process on the file cannot slip an entry between that read and the inserts.
 */
export class SqliteJournal {
  readonly #q;
  readonly #append: (batch: CheckedBatch) => void;

  constructor(db: Database.Database) {
    this.#q = {
      insert: db.prepare<[StoredEntry]>(
        'INSERT INTO run_journal (run_id, seq, kind, effect_id, at, body) VALUES (@runId, @seq, @kind, @effectId, @at, @body)',
      ),
      lastSeq: db.prepare<[string], { last: number | null }>('SELECT MAX(seq) AS last FROM run_journal WHERE run_id = ?'),
      read: db.prepare<[string], StoredEntry>(
        'SELECT run_id AS runId, seq, kind, effect_id AS effectId, at, body FROM run_journal WHERE run_id = ? ORDER BY seq',
      ),
      bytes: db.prepare<[string], { bytes: number }>(
        'SELECT COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) AS bytes FROM run_journal WHERE run_id = ?',
      ),
    };
    const write = db.transaction((batch: CheckedBatch) => {
      for (const [runId, first] of batch.firstSeq) {
        const last = this.#q.lastSeq.get(runId)?.last ?? 0;
        if (first <= last) throw conflict(runId, first, last);
        if (first > last + 1) throw new EngineError('JOURNAL_GAP', `run ${runId}: entry ${first} would follow ${last}; expected ${last + 1}`);
      }
      for (const entry of batch.entries) {
        try {
          this.#q.insert.run(entry);
        } catch (e) {
          // Unreachable under the lock, kept so that a primary-key refusal always reads as a conflict.
          if (e instanceof Database.SqliteError && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw conflict(entry.runId, entry.seq, entry.seq);
          throw e;
        }
      }
    });
    this.#append = (batch) => write.immediate(batch);
  }

  append(entries: readonly JournalEntry[]): void {
    if (entries.length === 0) return;
    this.#append(checkJournalBatch(entries));
  }

  read(runId: string): JournalEntry[] {
    return this.#q.read.all(runId).map(fromStored);
  }

  bytes(runId: string): number {
    return this.#q.bytes.get(runId)?.bytes ?? 0;
  }
}

function conflict(runId: string, seq: number, last: number): EngineError {
  return new EngineError('JOURNAL_CONFLICT', `run ${runId}: entry ${seq} is already journaled (last is ${last}); another process is advancing this run`, {
    details: { runId, seq, last },
  });
}
