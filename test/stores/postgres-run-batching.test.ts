import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRecords } from '../../runtime/stores/postgres/records.ts';
import { migrate } from '../../runtime/stores/postgres/migrate.ts';
import { at, eventRecord, runRow, summary } from '../records/fixtures.ts';
import { adminPool, dropSchema, testDatabaseUrl, uniqueSchema } from './postgres-test-db.ts';

let admin: pg.Pool;
const schemas = new Set<string>();
beforeAll(async () => {
  admin = await adminPool();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

/** Records on the real PostgreSQL over a pool that counts the statements it is sent. */
async function counted(): Promise<{ records: PostgresRecords; statements: () => number; close(): Promise<void> }> {
  const schema = uniqueSchema('batching');
  schemas.add(schema);
  const pool = new pg.Pool({ connectionString: await testDatabaseUrl(), max: 4 });
  await migrate(pool, { schema });
  let n = 0;
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args) => {
    n++;
    return query(...args);
  };
  const records = new PostgresRecords({ pool, schema });
  const ids = ['run_a', 'run_b', 'run_c', 'run_d', 'run_e'];
  await records.commitIngest({ events: [eventRecord('evt_0001')], runs: ids.map((id) => runRow(id)) });
  n = 0;
  return { records, statements: () => n, close: () => records.close() };
}

describe('PostgresRecords: runs taken and finished in the same turn share one statement (real PostgreSQL)', () => {
  it('takes five runs started together with one UPDATE, each caller getting its own row', async () => {
    const s = await counted();
    try {
      const ids = ['run_a', 'run_b', 'run_c', 'run_d', 'run_e'];
      const rows = await Promise.all(ids.map((id, i) => s.records.startRun(id, at(10 + i))));
      expect(s.statements()).toBe(1);
      expect(rows.map((r) => [r?.runId, r?.status, r?.startedAt, r?.attempts])).toEqual(ids.map((id, i) => [id, 'running', at(10 + i), 1]));
    } finally {
      await s.close();
    }
  });

  it('gives a run asked twice in one turn to one caller only, and null to the other', async () => {
    const s = await counted();
    try {
      const [first, second, unknown] = await Promise.all([s.records.startRun('run_a', at(10)), s.records.startRun('run_a', at(11)), s.records.startRun('run_zz', at(10))]);
      expect(first).toMatchObject({ runId: 'run_a', startedAt: at(10), attempts: 1 });
      expect(second).toBeNull();
      expect(unknown).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('finishes runs together with one UPDATE; an unknown run in the batch fails alone with RUN_UNKNOWN', async () => {
    const s = await counted();
    try {
      await Promise.all(['run_a', 'run_b'].map((id) => s.records.startRun(id, at(10))));
      const before = s.statements();
      const outcomes = await Promise.allSettled([
        s.records.finishRun('run_a', 'succeeded', summary('run_a', 'succeeded'), at(20)),
        s.records.finishRun('run_b', 'waiting', summary('run_b', 'succeeded'), at(20)),
        s.records.finishRun('run_nope', 'failed', summary('run_nope', 'failed'), at(20)),
      ]);
      expect(s.statements() - before).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'RUN_UNKNOWN' });
      expect(await s.records.getRun('run_a')).toMatchObject({ status: 'succeeded', endedAt: at(20), result: summary('run_a', 'succeeded') });
      expect(await s.records.getRun('run_b')).toMatchObject({ status: 'waiting', endedAt: null });
    } finally {
      await s.close();
    }
  });
});
