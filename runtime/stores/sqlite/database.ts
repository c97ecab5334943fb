import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';
import { migrate } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its directory if needed) the embedded profile's data file, migrated to
 * the latest schema. One file holds the state store, the records and so the run queue.
 */
export function openDatabase(path: string | ':memory:', options: OpenOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new EngineError('SQLITE_INVALID_OPTION', `busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL: readers never block the writer, and a commit is one append to the log.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (!memory && mode !== 'wal') {
      throw new EngineError('SQLITE_NO_WAL', `${path}: the file system refused WAL mode (got ${String(mode)})`);
    }
    // NORMAL in WAL mode syncs at checkpoints, not at every commit: a killed process loses nothing
    // committed (the log is in the OS cache), an OS crash or power loss may lose the last commits.
    // FULL would fsync every commit, the price of every accepted webhook for that rarer case.
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
