import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The test database; trust auth as `postgres`, or as `root` where that is the superuser. */
const CANDIDATES = ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

let chosen: Promise<string> | undefined;

/** The first candidate URL that accepts a connection (checked once per test file). */
export function testDatabaseUrl(): Promise<string> {
  chosen ??= (async () => {
    const failures: string[] = [];
    for (const url of CANDIDATES) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        return url;
      } catch (e) {
        failures.push(`${url}: ${(e as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
    }
    throw new Error(`no test database reachable:\n${failures.join('\n')}`);
  })();
  return chosen;
}

/** A schema name no other test (or concurrent run) uses. */
export function uniqueSchema(tag: string): string {
  return `test_${tag}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** A pool for setup and cleanup; the caller ends it. */
export async function adminPool(): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: await testDatabaseUrl(), max: 4 });
  pool.on('error', () => {});
  return pool;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
