import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../engine/errors.ts';
import type { Effect } from '../../engine/effects/effect.ts';
import { isSealed, type Secrets } from '../../engine/ports/secrets.ts';
import type { RunStart } from '../../engine/run/advance.ts';
import type { RecordedRun, RunEnding } from '../../engine/run/replay.ts';
import type { EngineConfig } from '../../runtime/config/config.ts';
import { decodeBody } from '../../runtime/driver/journal-codec.ts';
import { answersOf } from '../../runtime/driver/stored-run.ts';
import { EMBEDDED_DB_FILE } from '../../runtime/profiles/embedded.ts';
import { openRecords } from '../../runtime/profiles/open-records.ts';
import type { JournalEntry } from '../../runtime/records/journal.ts';
import type { RunRow } from '../../runtime/records/records.ts';
import { AesGcmSecrets } from '../../runtime/secrets/aes-gcm-secrets.ts';
import { loadSecretKey, SECRET_KEY_FILE } from '../../runtime/secrets/load-secret-key.ts';
import { SystemClock } from '../../runtime/system-clock.ts';

/** A run as its records hold it: the row, the start the step function got, and its journal. */
export interface StoredRecording {
  row: RunRow;
  start: RunStart;
  recorded: RecordedRun;
  /** What the replay cannot see as the run saw it (sealed values without the key, a run still running). */
  notes: string[];
}

/**
 * Reads one run and its journal from the configured records, read-only: nothing is created (no
 * SQLite file, no secret key), nothing is written. Refused with REPLAY_UNKNOWN_RUN or
 * REPLAY_NOT_STARTED (usage errors), or the store's own error.
 */
export async function readRecording(config: EngineConfig, runId: string): Promise<StoredRecording> {
  if (!config.databaseUrl && !existsSync(join(config.dataDir, EMBEDDED_DB_FILE))) {
    throw new EngineError('REPLAY_NO_RECORDS', `no records in ${config.dataDir} (no ${EMBEDDED_DB_FILE}); set DATA_DIR, or DATABASE_URL for the distributed profile`);
  }
  const records = await openRecords(config);
  let row: RunRow | null;
  let entries: JournalEntry[];
  try {
    row = await records.getRun(runId);
    entries = row ? await records.readJournal(runId) : [];
  } finally {
    await records.close();
  }
  if (!row) throw new EngineError('REPLAY_UNKNOWN_RUN', `no run ${runId} in the records`);
  if (entries[0]?.kind !== 'start') {
    throw new EngineError('REPLAY_NOT_STARTED', `run ${runId} is ${row.status} and has no journal${row.reason ? ` (${row.reason})` : ''}: nothing ran, nothing to replay`);
  }
  const notes: string[] = [];
  const secrets = openSecrets(config);
  if (!secrets && entries.some((e) => holdsSealed(e.body))) {
    notes.push('the journal holds sealed values and no secret key was found (ENGINE_SECRET_KEY, or secret.key in DATA_DIR): they are replayed as [REDACTED] and may diverge');
  }
  // Sealed values are opened as the worker opens them; an expired one (a day old) is an error.
  const decoded = entries.map((e) => ({ ...e, body: decodeBody(e.body, secrets) }));
  const startedAt = (decoded[0]!.body as { startedAt: number }).startedAt;
  const start: RunStart = { runId, event: row.event, shadow: row.shadow, admission: { admitted: true, gates: row.admission, reason: null }, at: startedAt };
  const effects = decoded.filter((e) => e.kind === 'effect').map((e) => (e.body as { effect: Effect }).effect);
  if (row.status === 'running' || row.status === 'queued') notes.push(`run ${runId} is ${row.status}, not ended: its effects so far are compared, not its end`);
  return { row, start, recorded: { effects, answers: answersOf(decoded), end: endOf(row, decoded) }, notes };
}

/** The recorded end: the journal's `end`, or `waiting` for a parked run; none while it runs. */
function endOf(row: RunRow, entries: readonly JournalEntry[]): RunEnding | null {
  if (row.status === 'running' || row.status === 'queued') return null;
  const end = entries.find((e) => e.kind === 'end')?.body as { outcome?: RunEnding['outcome'] } | undefined;
  return { outcome: end?.outcome ?? row.status, decision: row.result?.decision ?? row.decision, path: row.result?.path ?? [] };
}

/** The key the worker seals with, only if it exists: a replay never creates one. */
function openSecrets(config: EngineConfig): Secrets | null {
  const embedded = !(config.redisUrl && config.databaseUrl);
  if (config.secretKey === null && !(embedded && existsSync(join(config.dataDir, SECRET_KEY_FILE)))) return null;
  const keys = loadSecretKey(config, config.dataDir);
  return new AesGcmSecrets({ key: keys.current, previous: keys.previous, clock: new SystemClock() });
}

function holdsSealed(value: unknown): boolean {
  if (isSealed(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSealed);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsSealed);
  return false;
}
