/**
 * The run journal of the embedded profile, per supervisor run, for the main paths (AUTO_EXECUTE,
 * ESCALATE_N2, HUMAN_REVIEW left waiting for people): its size as stored (records.journalBytes,
 * the bodies' bytes) and its number of entries, and the time of a stored run on a SQLite data file
 * (WAL, synchronous NORMAL, as `engine serve` opens it) against the same run in memory, timed
 * interleaved in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import type { BenchRow } from '../report.ts';
import { IN_MEMORY, STORED_SQLITE, storedVariants } from './stored-variants.ts';
import { loadSupervisor } from './step-variants.ts';
import { supervisorCases } from './supervisor-case.ts';
import { timeInterleaved, type TimingOptions } from './timing.ts';

// Fewer events than the engine rows: each stored run is a few dozen SQLite commits.
const TIMING: TimingOptions = { warmupRounds: 1, rounds: 5, eventsPerRound: 60 };

export async function benchJournal(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  const records = new SqliteRecords(openDatabase(join(dir, 'engine.sqlite')));
  try {
    const supervisor = loadSupervisor();
    const rows: BenchRow[] = [];
    for (const c of Object.values(supervisorCases())) {
      const stored: string[] = [];
      const t = await timeInterleaved(storedVariants(c, supervisor, records, stored), TIMING);
      const memory = t[IN_MEMORY]!;
      const sqlite = t[STORED_SQLITE]!;
      // Every run of a path journals the same entries; their sizes differ only by random ids.
      const sizes = await Promise.all(stored.map(async (runId) => ({ bytes: await records.journalBytes(runId), entries: (await records.readJournal(runId)).length })));
      const entries = new Set(sizes.map((s) => s.entries));
      if (entries.size !== 1) throw new Error(`${c.decision}: runs journaled ${[...entries].join(', ')} entries`);
      const bytes = sizes.map((s) => s.bytes).sort((a, b) => a - b);
      const median = bytes[Math.floor(bytes.length / 2)]!;
      const [count] = entries;
      const path = c.outcome === 'waiting' ? `${c.decision}, waiting` : c.decision;
      rows.push({
        name: `journal: supervisor ${path}, stored run on SQLite`,
        opsPerSec: 1000 / sqlite.msPerEvent,
        note:
          `${count} entries, ${fmt(median)} bytes per run (${fmt(Math.round(median / count!))} per entry); ` +
          `${sqlite.msPerEvent.toFixed(3)} ms per run, ${(sqlite.msPerEvent / memory.msPerEvent).toFixed(2)}x the time in memory (${memory.msPerEvent.toFixed(3)} ms, baseline)`,
      });
    }
    return rows;
  } finally {
    await records.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
