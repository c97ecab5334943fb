/**
 * The run journal: every input fed to a durable run's step function and every effect it
 * requested, appended before the run moves on, so that recovery and replay can read the run back.
 * Both stores pass `test/records/journal.contract.ts`.
 */

/** One line of a run's journal. `seq` starts at 1 and is contiguous per run. */
export interface JournalEntry {
  runId: string;
  seq: number;
  /** 'start' (event + admission), 'effect' (an effect requested), 'result' (an effect's result), 'decision' (an approval decision), 'timer' (a durable timer fired), 'end'. */
  kind: 'start' | 'effect' | 'result' | 'decision' | 'timer' | 'end';
  /** The effect id for 'effect' and 'result' entries (e.g. `run_1/restart/1/3`), else null. */
  effectId: string | null;
  at: string; // ISO time from the injected clock
  body: unknown; // JSON
}

export interface RunJournal {
  /**
   * Appends entries atomically (all or none). An entry whose (runId, seq) already exists is refused
   * with EngineError code JOURNAL_CONFLICT (two processes advancing one run), and nothing of the
   * batch is written. Also refused, writing nothing: JOURNAL_GAP when a run's first entry in the
   * batch is not the one after its last stored entry, JOURNAL_INVALID for a malformed entry
   * (see journal-check.ts).
   */
  appendJournal(entries: readonly JournalEntry[]): Promise<void>;
  /** The run's entries in seq order. */
  readJournal(runId: string): Promise<JournalEntry[]>;
  /** Byte size of the run's journal bodies as stored (for the benchmark). */
  journalBytes(runId: string): Promise<number>;
}
