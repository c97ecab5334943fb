import { join } from 'node:path';
import type { EngineConfig } from '../config/config.ts';
import type { Records } from '../records/records.ts';
import { openDatabase } from '../stores/sqlite/database.ts';
import { SqliteRecords } from '../stores/sqlite/records.ts';
import { EMBEDDED_DB_FILE } from './embedded.ts';

/** The records alone, for commands that read them (`engine audit`) next to a running server. */
export async function openRecords(config: EngineConfig): Promise<Records> {
  if (config.databaseUrl) {
    // Loaded only when needed, like the distributed profile.
    const { openPostgresRecords } = await import('../stores/postgres/records.ts');
    return openPostgresRecords(config.databaseUrl, { schema: config.databaseSchema });
  }
  return new SqliteRecords(openDatabase(join(config.dataDir, EMBEDDED_DB_FILE)));
}
