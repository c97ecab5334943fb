import { join } from 'node:path';
import type { Logger } from 'pino';
import { describeError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { ReadinessReport } from '../http/deps.ts';
import { EmbeddedRunQueue } from '../queue/embedded-queue.ts';
import { EmbeddedSchedules } from '../schedules/embedded-schedules.ts';
import { openDatabase } from '../stores/sqlite/database.ts';
import { SqliteRecords } from '../stores/sqlite/records.ts';
import { SqliteStateStore } from '../stores/sqlite/state-store.ts';
import type { Profile } from './profile.ts';

/** The file of the embedded profile, under DATA_DIR. */
export const EMBEDDED_DB_FILE = 'engine.sqlite';

/**
 * One process, one SQLite file: the records are the durable inbox and run queue, the state store
 * shares the file, schedules are in-process timers. Zero services to install.
 */
export function openEmbeddedProfile(options: { dataDir: string; clock: Clock; logger: Logger; file?: string }): Profile {
  const path = options.file ?? join(options.dataDir, EMBEDDED_DB_FILE);
  const db = openDatabase(path);
  // This process owns the file: gate writes wait in memory for the ingest commit they precede.
  const state = new SqliteStateStore(db, options.clock, {
    deferGateWrites: { onFlushError: (e) => options.logger.error({ err: e }, 'state flush failed; the writes stay pending for the next commit') },
  });
  const records = new SqliteRecords(db, { ingestWithin: (write) => state.commitWith(write) });
  const queue = new EmbeddedRunQueue(records, { clock: options.clock, onError: (e, job) => options.logger.error({ err: e, job }, 'embedded queue error') });
  options.logger.info({ path }, 'embedded profile: SQLite');
  return {
    name: 'embedded',
    state,
    records,
    queue,
    createSchedules: (fire, onError) => new EmbeddedSchedules({ clock: options.clock, fire, onError }),
    async readiness(): Promise<ReadinessReport> {
      try {
        await records.ping();
        return { checks: { records: { ok: true } } };
      } catch (e) {
        return { checks: { records: { ok: false, message: describeError(e).message } } };
      }
    },
    async close() {
      state.flush();
      await records.close();
    },
  };
}
