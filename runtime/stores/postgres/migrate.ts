import { readdirSync, readFileSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import { EngineError } from '../../../engine/errors.ts';
import { recordsError } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const DEFAULT_SCHEMA = 'engine';
const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * The numbered migrations shipped in ./migrations (`NNN_name.sql`), in order. Numbers start at 1
 * and have no gaps, so a missing or doubled file is found here, not in production.
 */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) throw new EngineError('MIGRATION_BAD_NAME', `migration file ${file} is not named NNN_name.sql`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new EngineError('MIGRATION_GAP', `migration ${file}: expected number ${migrations.length + 1}`);
    }
    migrations.push({ version, name: match[2] as string, sql: readFileSync(new URL(file, dir), 'utf8') });
  }
  return migrations;
}

/** A schema name safe to put in SQL: lower-case letters, digits and `_` (checked, then quoted). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new EngineError('RECORDS_INVALID_SCHEMA', `schema name ${JSON.stringify(schema)} must match [a-z_][a-z0-9_]*`);
  }
  return `"${schema}"`;
}

/**
 * Brings `schema` to the latest migration; returns the versions this call applied. Each migration
 * runs in its own transaction together with its row in `schema_migrations`, under a transaction
 * advisory lock for the schema: processes migrating at once queue on the lock, and each finds
 * what the others applied, so all succeed and every migration runs once. A database that has a
 * migration this code does not know (a newer release migrated it) is refused.
 */
export async function migrate(
  pool: Pool,
  options: { schema?: string; migrations?: readonly Migration[] } = {},
): Promise<number[]> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const quoted = quoteSchema(schema);
  const migrations = options.migrations ?? loadMigrations();
  const applied: number[] = [];
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw recordsError(e);
  }
  let failure: unknown;
  try {
    for (;;) {
      const version = await applyNext(client, schema, quoted, migrations);
      if (version === null) return applied;
      applied.push(version);
    }
  } catch (e) {
    failure = e;
    throw e;
  } finally {
    // A connection that failed is destroyed rather than handed back to the pool.
    client.release(failure instanceof Error && (failure as EngineError).retryable ? failure : undefined);
  }
}

/** One transaction: lock, find the first pending migration, apply it. Null when none is pending. */
async function applyNext(client: PoolClient, schema: string, quoted: string, migrations: readonly Migration[]): Promise<number | null> {
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('engine.migrate'), hashtext($1))", [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const done = new Set(rows.map((r) => r.version));
    const unknown = [...done].filter((v) => !migrations.some((m) => m.version === v));
    if (unknown.length > 0) {
      throw new EngineError(
        'MIGRATION_UNKNOWN',
        `schema ${schema} has migration(s) ${unknown.join(', ')} this release does not know; run a newer release`,
      );
    }
    const next = migrations.find((m) => !done.has(m.version));
    if (next) {
      await client.query(next.sql).catch((e: unknown) => {
        const cause = recordsError(e);
        const file = `${String(next.version).padStart(3, '0')}_${next.name}.sql`;
        throw new EngineError('MIGRATION_FAILED', `migration ${file} failed: ${cause.message}`, {
          retryable: cause.retryable,
          cause,
        });
      });
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
    }
    await client.query('COMMIT');
    return next ? next.version : null;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {
      // The connection itself failed; the original error says why.
    });
    throw recordsError(e);
  }
}
