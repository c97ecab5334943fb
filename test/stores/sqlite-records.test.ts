import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS } from '../../runtime/stores/sqlite/migrations.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { SqliteStateStore } from '../../runtime/stores/sqlite/state-store.ts';
import { at, auditRow, completed, eventRecord, refusalRecord, runRow } from '../records/fixtures.ts';
import { journalContract } from '../records/journal.contract.ts';
import { receivedContract } from '../records/received.contract.ts';
import { recordsContract } from '../records/records.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'heal-sqlite-records-'));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

recordsContract('SqliteRecords (:memory:)', async () => {
  const records = new SqliteRecords(openDatabase(':memory:'));
  return { records, close: () => records.close() };
});

recordsContract('SqliteRecords (file, WAL)', async () => {
  const records = new SqliteRecords(openDatabase(join(dir, `records-${++files}.db`)));
  return { records, close: () => records.close() };
});

// The embedded profile's store: a file in WAL mode, as under DATA_DIR.
receivedContract('SqliteRecords (file, WAL)', async (bounds = {}) => {
  const records = new SqliteRecords(openDatabase(join(dir, `received-${++files}.db`)), bounds);
  return { records, close: () => records.close() };
});

journalContract('SqliteRecords (:memory:)', async () => {
  const db = openDatabase(':memory:');
  const records = new SqliteRecords(db);
  return {
    records,
    table: 'run_journal',
    exec: async (sql) => {
      db.prepare(sql).run();
    },
    close: () => records.close(),
  };
});

journalContract('SqliteRecords (file, WAL)', async () => {
  const db = openDatabase(join(dir, `journal-${++files}.db`));
  const records = new SqliteRecords(db);
  return {
    records,
    table: 'run_journal',
    exec: async (sql) => {
      db.prepare(sql).run();
    },
    close: () => records.close(),
  };
});

describe('SqliteRecords specifics', () => {
  it('refuses UPDATE and DELETE on the audit table, even in raw SQL', async () => {
    const db = openDatabase(':memory:');
    const records = new SqliteRecords(db);
    await records.appendAudit(auditRow('audit_0001'));
    expect(() => db.prepare("UPDATE audit SET status = 'success'").run()).toThrow(/AUDIT_APPEND_ONLY/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/AUDIT_APPEND_ONLY/);
    expect(await records.auditTrail('run_0001')).toEqual([auditRow('audit_0001')]);
    await records.close();
  });

  it('keeps queued and running runs, events and audit across a restart without finishRun', async () => {
    const path = join(dir, `restart-${++files}.db`);
    const first = new SqliteRecords(openDatabase(path));
    await first.commitIngest({
      events: [eventRecord('evt_0001', { runs: ['run_0001', 'run_0002', 'run_0003'] })],
      runs: [runRow('run_0001'), runRow('run_0002', { queuedAt: at(1) }), runRow('run_0003', { queuedAt: at(2) })],
    });
    await first.startRun('run_0001', at(5));
    await first.appendAudit(auditRow('audit_0001'));
    await first.close(); // the process "dies": no finishRun, no completion

    const second = new SqliteRecords(openDatabase(path));
    expect((await second.runningRuns(at(6))).map((r) => [r.runId, r.status, r.attempts])).toEqual([
      ['run_0001', 'running', 1],
    ]);
    expect((await second.queuedRuns(10)).map((r) => r.runId)).toEqual(['run_0002', 'run_0003']);
    expect(await second.listEvents({ limit: 10 })).toHaveLength(1);
    await second.completeAudit('audit_0001', completed);
    expect(await second.auditTrail('run_0001')).toHaveLength(2);
    await second.close();
  });

  it('keeps what a killed process committed (SIGKILL, database never closed)', async () => {
    const path = join(dir, `killed-${++files}.db`);
    const child = spawnSync(process.execPath, ['bin/run-ts.js', 'test/stores/fixtures/write-and-die.ts'], {
      encoding: 'utf8',
      env: { ...process.env, DB_PATH: path },
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    const db = openDatabase(path);
    const records = new SqliteRecords(db);
    expect((await records.runningRuns(at(6))).map((r) => r.runId)).toEqual(['run_0001']);
    expect((await records.queuedRuns(10)).map((r) => r.runId)).toEqual(['run_0002']);
    const state = new SqliteStateStore(db, new ManualClock(Date.UTC(2025, 0, 15, 10, 30, 0)));
    expect(await state.get('dedup:nginx')).toBe('run_0001');
    await records.close();
  });

  it('records each migration once, and reopening applies none', () => {
    const path = join(dir, `migrations-${++files}.db`);
    openDatabase(path).close();
    const db = openDatabase(path);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration 3 keeps the audit rows of a version-2 file, accepts not_run and stays append-only', async () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    const insert = (status: string) =>
      db.prepare("INSERT INTO audit (audit_id, completion, run_id, at, decision_source, intent, validated_command, argv, playbook_name, playbook, shadow, status) VALUES ('audit_0001', ?, 'run_0001', 't', 's', 'restart_service', 'systemctl restart -- nginx', '[]', 'p', '{\"name\":\"p\",\"version\":\"1\",\"hash\":\"h\"}', 0, ?)").run(status === 'pending_execution' ? 0 : 1, status);
    insert('pending_execution');
    expect(() => insert('not_run')).toThrow(/CHECK/);
    expect(migrate(db)).toEqual([3, 4, 5, 6, 7]);
    const records = new SqliteRecords(db);
    await records.completeAudit('audit_0001', { status: 'not_run', result: { exitCode: null, stdout: '', stderr: 'ADAPTER_NOT_CONFIGURED' } });
    expect((await records.auditTrail('run_0001')).map((a) => `${a.auditId}:${a.status}`)).toEqual(['audit_0001:pending_execution', 'audit_0001:not_run']);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/AUDIT_APPEND_ONLY/);
    expect(() => db.prepare("UPDATE audit SET status = 'success'").run()).toThrow(/AUDIT_APPEND_ONLY/);
    db.close();
  });

  it('migration 6 adds the journal to a version-5 file; a second process on the file sees its entries and conflicts on them', async () => {
    const path = join(dir, `journal-v5-${++files}.db`);
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 5));
    old.close();
    const first = new SqliteRecords(openDatabase(path));
    const second = new SqliteRecords(openDatabase(path));
    const start = { runId: 'run_0001', seq: 1, kind: 'start' as const, effectId: null, at: at(1), body: { a: 1 } };
    await first.appendJournal([start]);
    expect(await second.readJournal('run_0001')).toEqual([start]);
    await expect(second.appendJournal([{ ...start, body: { a: 2 } }])).rejects.toMatchObject({ code: 'JOURNAL_CONFLICT' });
    await first.close();
    await second.close();
  });

  it('keeps the latest refusals only, up to its bound', async () => {
    const records = new SqliteRecords(openDatabase(':memory:'), { keepRefusals: 3 });
    for (let i = 1; i <= 5; i++) await records.recordRefusal(refusalRecord(`ref_${i}`, { receivedAt: at(i) }));
    expect((await records.refusalsBefore({ limit: 10 })).map((r) => r.record.refusalId)).toEqual(['ref_5', 'ref_4', 'ref_3']);
    await expect(records.recordRefusal(refusalRecord('ref_5'))).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    await expect(records.recordRefusal(refusalRecord('ref_6', { excerpt: 'x'.repeat(5000) }))).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    await records.close();
  });

  it('rejects a negative or fractional limit with a coded error', async () => {
    const records = new SqliteRecords(openDatabase(':memory:'));
    await expect(records.listRuns({ limit: -1 })).rejects.toMatchObject({ code: 'RECORDS_INVALID_LIMIT' });
    await expect(records.queuedRuns(1.5)).rejects.toMatchObject({ code: 'RECORDS_INVALID_LIMIT' });
    await records.close();
  });
});
