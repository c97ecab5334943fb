import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsError } from '../../runtime/stores/postgres/errors.ts';
import { openPostgresRecords, PostgresRecords } from '../../runtime/stores/postgres/records.ts';
import { journalContract } from '../records/journal.contract.ts';
import { receivedContract, type RefusalBounds } from '../records/received.contract.ts';
import { recordsContract } from '../records/records.contract.ts';
import { at, auditRow, eventRecord, refusalRecord, runRow } from '../records/fixtures.ts';
import { adminPool, dropSchema, testDatabaseUrl, uniqueSchema } from './postgres-test-db.ts';

let admin: pg.Pool;
/** Schemas made by this file, dropped at the end even when a test failed before its own cleanup. */
const schemas = new Set<string>();

beforeAll(async () => {
  admin = await adminPool();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

async function open(bounds: RefusalBounds = {}): Promise<{ records: PostgresRecords; schema: string; close(): Promise<void> }> {
  const schema = uniqueSchema('records');
  schemas.add(schema);
  const records = await openPostgresRecords(await testDatabaseUrl(), { schema, poolSize: 4, ...bounds });
  return {
    records,
    schema,
    close: async () => {
      await records.close();
      await dropSchema(admin, schema);
      schemas.delete(schema);
    },
  };
}

recordsContract('PostgresRecords', open);
receivedContract('PostgresRecords', open);
journalContract('PostgresRecords', async () => {
  const subject = await open();
  return {
    ...subject,
    table: `"${subject.schema}".run_journal`,
    exec: async (sql) => {
      await admin.query(sql).catch((e: unknown) => {
        throw recordsError(e);
      });
    },
  };
});

describe('PostgresRecords specifics', () => {
  it('keeps the audit append-only in the database itself: UPDATE, DELETE and TRUNCATE raise', async () => {
    const subject = await open();
    try {
      await subject.records.appendAudit(auditRow('audit_0001'));
      const table = `"${subject.schema}".audit`;
      for (const sql of [`UPDATE ${table} SET status = 'success'`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        const error = await admin.query(sql).then(
          () => null,
          (e: unknown) => recordsError(e),
        );
        expect(error).toMatchObject({ code: 'AUDIT_APPEND_ONLY', retryable: false });
      }
      expect(await subject.records.auditTrail('run_0001')).toEqual([auditRow('audit_0001')]);
    } finally {
      await subject.close();
    }
  });

  it('commits a large batch in one statement and reads it back in commit order', async () => {
    const subject = await open();
    const pool = new pg.Pool({ connectionString: await testDatabaseUrl(), max: 2 });
    const records = new PostgresRecords({ pool, schema: subject.schema });
    try {
      const runs = Array.from({ length: 500 }, (_, i) => runRow(`run_${String(i).padStart(4, '0')}`, { queuedAt: at(1) }));
      const events = Array.from({ length: 100 }, (_, i) => eventRecord(`evt_${String(i).padStart(4, '0')}`));
      let statements = 0;
      const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
      (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
        statements++;
        return query(...args);
      };
      await records.commitIngest({ events, runs });
      expect(statements).toBe(1);
      expect((await records.queuedRuns(1000)).map((r) => r.runId)).toEqual(runs.map((r) => r.runId));
      expect((await records.listRuns({ limit: 2 })).map((r) => r.runId)).toEqual(['run_0499', 'run_0498']);
      expect((await records.listEvents({ limit: 1 })).map((e) => e.eventId)).toEqual(['evt_0099']);
    } finally {
      await records.close();
      await subject.close();
    }
  });

  it('refuses a string PostgreSQL jsonb cannot hold with RECORD_INVALID, writing nothing', async () => {
    const subject = await open();
    try {
      const event = eventRecord('evt_0001', { summary: 'nul \u0000 inside' });
      await expect(subject.records.commitIngest({ events: [event], runs: [runRow('run_0001')] })).rejects.toMatchObject({
        code: 'RECORD_INVALID',
        retryable: false,
      });
      expect(await subject.records.listEvents({ limit: 10 })).toEqual([]);
      expect(await subject.records.getRun('run_0001')).toBeNull();
    } finally {
      await subject.close();
    }
  });

  it('gives a queued run to one of two processes (separate pools) racing for it', async () => {
    const subject = await open();
    const other = new PostgresRecords({ pool: new pg.Pool({ connectionString: await testDatabaseUrl() }), schema: subject.schema });
    try {
      await subject.records.commitIngest({ events: [eventRecord('evt_0001')], runs: [runRow('run_0001')] });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? subject.records : other).startRun('run_0001', at(5))),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await other.getRun('run_0001')).toMatchObject({ status: 'running', attempts: 1 });
    } finally {
      await other.close();
      await subject.close();
    }
  });

  it('keeps the latest refusals only, up to its bound, in one statement', async () => {
    const subject = await open();
    const records = new PostgresRecords({ pool: new pg.Pool({ connectionString: await testDatabaseUrl(), max: 2 }), schema: subject.schema, keepRefusals: 3 });
    try {
      for (let i = 1; i <= 5; i++) await records.recordRefusal(refusalRecord(`ref_${i}`, { receivedAt: at(i) }));
      expect((await records.refusalsBefore({ limit: 10 })).map((r) => r.record.refusalId)).toEqual(['ref_5', 'ref_4', 'ref_3']);
      await expect(records.recordRefusal(refusalRecord('ref_5'))).rejects.toMatchObject({ retryable: false });
    } finally {
      await records.close();
      await subject.close();
    }
  });

  it('gives the next journal entry of a run to one of two processes (separate pools) racing for it; TRUNCATE is refused', async () => {
    const subject = await open();
    const other = new PostgresRecords({ pool: new pg.Pool({ connectionString: await testDatabaseUrl(), max: 4 }), schema: subject.schema });
    try {
      await subject.records.appendJournal([{ runId: 'run_0001', seq: 1, kind: 'start', effectId: null, at: at(1), body: {} }]);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? subject.records : other).appendJournal([{ runId: 'run_0001', seq: 2, kind: 'end', effectId: null, at: at(2), body: { by: i } }]),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'JOURNAL_CONFLICT' });
      expect(await other.readJournal('run_0001')).toHaveLength(2);
      const error = await admin.query(`TRUNCATE "${subject.schema}".run_journal`).then(() => null, (e: unknown) => recordsError(e));
      expect(error).toMatchObject({ code: 'JOURNAL_APPEND_ONLY' });
    } finally {
      await other.close();
      await subject.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    const pool = new pg.Pool();
    expect(() => new PostgresRecords({ pool, schema: 'engine"; DROP TABLE x; --' })).toThrow(
      expect.objectContaining({ code: 'RECORDS_INVALID_SCHEMA' }),
    );
    return pool.end();
  });
});

describe('PostgresRecords when PostgreSQL is unreachable', () => {
  it('rejects ping with RECORDS_UNAVAILABLE (retryable) when the pool points at a closed port', async () => {
    const port = await closedPort();
    const records = new PostgresRecords({
      pool: new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, connectionTimeoutMillis: 2000 }),
    });
    try {
      await expect(records.ping()).rejects.toMatchObject({ code: 'RECORDS_UNAVAILABLE', retryable: true });
      await expect(records.getRun('run_0001')).rejects.toMatchObject({ code: 'RECORDS_UNAVAILABLE', retryable: true });
    } finally {
      await records.close();
    }
  });

  it('fails to open (migrate) against a closed port with RECORDS_UNAVAILABLE', async () => {
    const port = await closedPort();
    await expect(openPostgresRecords(`postgres://postgres@127.0.0.1:${port}/test`, { connectTimeoutMs: 2000 })).rejects.toMatchObject({
      code: 'RECORDS_UNAVAILABLE',
      retryable: true,
    });
  });
});

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
