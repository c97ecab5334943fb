import type BetterSqlite3 from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';

/**
 * The schema of the embedded profile's data file, as numbered migrations. A migration is never
 * edited once released: a change is a new migration. Each runs in its own transaction with the
 * row that records it in `schema_migrations`, so a crash leaves the file at a known version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'state',
    sql: `
      -- StateStore: one row per key. value is JSON text; expires_at is epoch ms from the store's
      -- clock (NULL: never); rate = 1 marks a rate window whose value is its count.
      CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at INTEGER,
        rate INTEGER NOT NULL DEFAULT 0 CHECK (rate IN (0, 1))
      ) WITHOUT ROWID;
      CREATE INDEX state_expires_at ON state (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
  {
    version: 2,
    name: 'records',
    sql: `
      -- Received events; seq is the commit order (newest first = highest seq).
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        received_at TEXT NOT NULL,
        event TEXT,
        summary TEXT NOT NULL,
        runs TEXT NOT NULL,
        skipped TEXT NOT NULL,
        note TEXT
      );
      CREATE INDEX events_source ON events (source, seq);

      -- Runs from queued to their end. JSON columns: playbook, event, admission, result.
      CREATE TABLE runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL UNIQUE,
        event_id TEXT NOT NULL,
        playbook_name TEXT NOT NULL,
        playbook TEXT NOT NULL,
        trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('webhook', 'schedule')),
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'escalated', 'skipped')),
        shadow INTEGER NOT NULL CHECK (shadow IN (0, 1)),
        event TEXT,
        admission TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        decision TEXT,
        result TEXT
      );
      CREATE INDEX runs_status_queued ON runs (status, queued_at, seq);
      CREATE INDEX runs_status_started ON runs (status, started_at);
      CREATE INDEX runs_queued ON runs (queued_at, seq);
      CREATE INDEX runs_playbook ON runs (playbook_name, queued_at, seq);

      -- The audit trail, append-only: a pending row (completion = 0), then at most one completion
      -- row (completion = 1) for the same audit_id. The unique pair makes both rules hold under races.
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        audit_id TEXT NOT NULL,
        completion INTEGER NOT NULL CHECK (completion IN (0, 1)),
        run_id TEXT NOT NULL,
        at TEXT NOT NULL,
        decision_source TEXT NOT NULL,
        intent TEXT NOT NULL,
        target TEXT,
        host TEXT,
        validated_command TEXT NOT NULL,
        argv TEXT NOT NULL,
        playbook_name TEXT NOT NULL,
        playbook TEXT NOT NULL,
        shadow INTEGER NOT NULL CHECK (shadow IN (0, 1)),
        status TEXT NOT NULL
          CHECK (status IN ('pending_execution', 'success', 'failure', 'shadowed', 'refused')),
        executed_at TEXT,
        result TEXT,
        UNIQUE (audit_id, completion)
      );
      CREATE INDEX audit_run ON audit (run_id, seq);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never updated'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never deleted'); END;
    `,
  },
  {
    version: 3,
    name: 'audit_not_run',
    sql: `
      -- An audit row may now say the command never reached its host ('not_run'). SQLite cannot
      -- change a CHECK in place: the table is rebuilt with its rows, index and triggers.
      CREATE TABLE audit_v3 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        audit_id TEXT NOT NULL,
        completion INTEGER NOT NULL CHECK (completion IN (0, 1)),
        run_id TEXT NOT NULL,
        at TEXT NOT NULL,
        decision_source TEXT NOT NULL,
        intent TEXT NOT NULL,
        target TEXT,
        host TEXT,
        validated_command TEXT NOT NULL,
        argv TEXT NOT NULL,
        playbook_name TEXT NOT NULL,
        playbook TEXT NOT NULL,
        shadow INTEGER NOT NULL CHECK (shadow IN (0, 1)),
        status TEXT NOT NULL
          CHECK (status IN ('pending_execution', 'success', 'failure', 'not_run', 'shadowed', 'refused')),
        executed_at TEXT,
        result TEXT,
        UNIQUE (audit_id, completion)
      );
      INSERT INTO audit_v3 SELECT * FROM audit;
      DROP TABLE audit;
      ALTER TABLE audit_v3 RENAME TO audit;
      CREATE INDEX audit_run ON audit (run_id, seq);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never updated'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never deleted'); END;
    `,
  },
  {
    version: 4,
    name: 'refusals',
    sql: `
      -- GET /events pages newest first by reception time, then commit order (seq), with a cursor.
      CREATE INDEX events_received ON events (received_at, seq);
      CREATE INDEX events_source_received ON events (source, received_at, seq);

      -- Webhook requests refused with a 4xx. Bounded twice: the writer keeps a short excerpt and
      -- deletes the oldest rows beyond its limit; the CHECKs stop anything larger from landing.
      CREATE TABLE refusals (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        refusal_id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL CHECK (length(source) <= 64),
        received_at TEXT NOT NULL,
        status INTEGER NOT NULL CHECK (status BETWEEN 400 AND 499),
        code TEXT NOT NULL CHECK (length(code) <= 64),
        reason TEXT NOT NULL CHECK (length(reason) <= 2048),
        path TEXT CHECK (length(path) <= 512),
        excerpt TEXT CHECK (length(CAST(excerpt AS BLOB)) <= 4096),
        body_bytes INTEGER,
        request_id TEXT NOT NULL CHECK (length(request_id) <= 128)
      );
      CREATE INDEX refusals_received ON refusals (received_at, seq);
      CREATE INDEX refusals_source_received ON refusals (source, received_at, seq);
    `,
  },
  {
    version: 5,
    name: 'refusals_by_class',
    sql: `
      -- Refusals of unauthenticated senders (401) are bounded apart from the others: one index
      -- per class finds the oldest rows to delete.
      CREATE INDEX refusals_unauthenticated ON refusals (seq) WHERE status = 401;
      CREATE INDEX refusals_authenticated ON refusals (seq) WHERE status <> 401;
    `,
  },
  {
    version: 6,
    name: 'run_journal',
    sql: `
      -- Each durable run's journal: what its step function was fed and what it asked for, in seq
      -- order from 1. The primary key is the guard against two processes advancing one run; the
      -- rows of a run sit together (WITHOUT ROWID), so reading a run back is one range scan.
      -- body is the entry's JSON text as the writer gave it.
      CREATE TABLE run_journal (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('start', 'effect', 'result', 'decision', 'timer', 'end')),
        effect_id TEXT CHECK ((kind IN ('effect', 'result')) = (effect_id IS NOT NULL)),
        at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE TRIGGER run_journal_no_update BEFORE UPDATE ON run_journal
        BEGIN SELECT RAISE(ABORT, 'JOURNAL_APPEND_ONLY: journal entries are never updated'); END;
      CREATE TRIGGER run_journal_no_delete BEFORE DELETE ON run_journal
        BEGIN SELECT RAISE(ABORT, 'JOURNAL_APPEND_ONLY: journal entries are never deleted'); END;
    `,
  },
  {
    version: 7,
    name: 'named_logs',
    sql: `
      -- The logs playbooks append to (log.append: the incident log, the agent log), read back
      -- newest first per log. record is the JSON text of what the playbook kept.
      CREATE TABLE named_logs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        log TEXT NOT NULL,
        at TEXT NOT NULL,
        run_id TEXT NOT NULL,
        playbook TEXT NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX named_logs_by_log ON named_logs (log, seq DESC);
    `,
  },
];

/**
 * Brings the database to the latest version; returns the versions applied by this call. Each
 * migration takes the write lock first (IMMEDIATE) and re-reads the version, so two processes
 * opening the same new file do not both apply it.
 */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const current = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const latest = migrations.at(-1)?.version ?? 0;
  const found = current.get()?.v ?? 0;
  if (found > latest) {
    throw new EngineError(
      'SQLITE_SCHEMA_TOO_NEW',
      `database schema is at version ${found}, newer than this engine knows (${latest}); upgrade the engine`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    const apply = db.transaction(() => {
      if ((current.get()?.v ?? 0) >= m.version) return;
      db.exec(m.sql);
      record.run(m.version, m.name);
      applied.push(m.version);
    });
    apply.immediate();
  }
  return applied;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new EngineError('SQLITE_MIGRATION_ORDER', `migration ${m.name} has version ${m.version}, expected ${i + 1}`);
    }
  });
}
