import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Migration } from '../../runtime/stores/postgres/migrate.ts';
import { adminPool, dropSchema, testDatabaseUrl, uniqueSchema } from './postgres-test-db.ts';

let admin: pg.Pool;
const schemas: string[] = [];

beforeAll(async () => {
  admin = await adminPool();
});
afterAll(async () => {
  for (const schema of schemas) await dropSchema(admin, schema);
  await admin.end();
});

function newSchema(): string {
  const schema = uniqueSchema('migrate');
  schemas.push(schema);
  return schema;
}

async function recorded(schema: string): Promise<{ version: number; name: string }[]> {
  const { rows } = await admin.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
  return rows;
}

async function tables(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((r) => r.table_name);
}

/** The shipped migrations as schema_migrations records them. */
const SHIPPED = [
  { version: 1, name: 'records' },
  { version: 2, name: 'refusals' },
  { version: 3, name: 'refusals_by_class' },
  { version: 4, name: 'run_journal' },
  { version: 5, name: 'named_logs' },
];
const VERSIONS = SHIPPED.map((m) => m.version);

describe('migrate', () => {
  it('creates the schema and its tables, and records each migration', async () => {
    const schema = newSchema();
    expect(await migrate(admin, { schema })).toEqual(VERSIONS);
    expect(await tables(schema)).toEqual(['audit', 'events', 'named_logs', 'refusals', 'run_journal', 'runs', 'schema_migrations']);
    expect(await recorded(schema)).toEqual(SHIPPED);
  });

  it('migration 2 gives the events already there their reception time', async () => {
    const schema = newSchema();
    await migrate(admin, { schema, migrations: loadMigrations().slice(0, 1) });
    const record = { eventId: 'evt_1', source: 'uptime-kuma', receivedAt: '2026-11-21T23:04:00.000Z' };
    await admin.query(`INSERT INTO "${schema}".events (event_id, source, record) VALUES ($1, $2, $3)`, [record.eventId, record.source, record]);
    expect(await migrate(admin, { schema })).toEqual(VERSIONS.slice(1));
    const { rows } = await admin.query<{ received: string }>(`SELECT to_char(received_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received FROM "${schema}".events`);
    expect(rows).toEqual([{ received: record.receivedAt }]);
  });

  it('is idempotent: a second run applies nothing and changes nothing', async () => {
    const schema = newSchema();
    await migrate(admin, { schema });
    expect(await migrate(admin, { schema })).toEqual([]);
    expect(await migrate(admin, { schema })).toEqual([]);
    expect(await recorded(schema)).toEqual(SHIPPED);
  });

  it('lets concurrent processes migrate the same schema: all succeed, each migration runs once', async () => {
    const schema = newSchema();
    const url = await testDatabaseUrl();
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 1 }));
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool, { schema })));
      expect(applied.flat().sort()).toEqual(VERSIONS);
      expect(await recorded(schema)).toEqual(SHIPPED);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('applies later migrations in order on top of earlier ones', async () => {
    const schema = newSchema();
    const shipped = loadMigrations();
    await migrate(admin, { schema, migrations: shipped });
    const n = shipped.length;
    const next: Migration[] = [
      ...shipped,
      { version: n + 1, name: 'add_note', sql: 'ALTER TABLE events ADD COLUMN note text' },
      { version: n + 2, name: 'index_note', sql: 'CREATE INDEX events_note ON events (note)' },
    ];
    expect(await migrate(admin, { schema, migrations: next })).toEqual([n + 1, n + 2]);
    expect((await recorded(schema)).map((r) => r.name)).toEqual([...shipped.map((m) => m.name), 'add_note', 'index_note']);
  });

  it('rolls back a failing migration whole, keeping the ones before it', async () => {
    const schema = newSchema();
    const migrations: Migration[] = [
      { version: 1, name: 'first', sql: 'CREATE TABLE first_table (id int)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT 1 / 0' },
    ];
    await expect(migrate(admin, { schema, migrations })).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining('002_broken.sql'),
    });
    expect(await tables(schema)).toEqual(['first_table', 'schema_migrations']);
    expect(await recorded(schema)).toEqual([{ version: 1, name: 'first' }]);
  });

  it('refuses a database migrated by a newer release', async () => {
    const schema = newSchema();
    await migrate(admin, { schema });
    await admin.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (99, 'future')`);
    await expect(migrate(admin, { schema })).rejects.toMatchObject({ code: 'MIGRATION_UNKNOWN' });
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(migrate(admin, { schema: 'Engine; DROP' })).rejects.toMatchObject({ code: 'RECORDS_INVALID_SCHEMA' });
  });
});

describe('loadMigrations', () => {
  const withFiles = (files: string[], check: (dir: URL) => void): void => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      for (const file of files) writeFileSync(join(dir, file), 'SELECT 1;');
      check(pathToFileURL(`${dir}/`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('reads the shipped migrations numbered from 1 without gaps', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations[0]).toMatchObject({ version: 1, name: 'records' });
  });

  it('refuses a gap, a doubled number and a badly named file', () => {
    withFiles(['001_a.sql', '003_c.sql'], (dir) => expect(() => loadMigrations(dir)).toThrow(expect.objectContaining({ code: 'MIGRATION_GAP' })));
    withFiles(['001_a.sql', '001_b.sql'], (dir) => expect(() => loadMigrations(dir)).toThrow(expect.objectContaining({ code: 'MIGRATION_GAP' })));
    withFiles(['1_a.sql'], (dir) => expect(() => loadMigrations(dir)).toThrow(expect.objectContaining({ code: 'MIGRATION_BAD_NAME' })));
    withFiles(['001_a.sql', 'notes.txt'], (dir) => expect(loadMigrations(dir).map((m) => m.name)).toEqual(['a']));
  });
});
