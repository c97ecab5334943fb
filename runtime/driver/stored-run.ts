import { EngineError } from '../../engine/errors.ts';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { Secrets } from '../../engine/ports/secrets.ts';
import type { RunStart } from '../../engine/run/advance.ts';
import { foldJournal, type RecordedAnswer } from '../../engine/run/fold.ts';
import type { Program } from '../../engine/run/program.ts';
import type { JournalEntry } from '../records/journal.ts';
import type { Records, RunRow } from '../records/records.ts';
import { asPlainJson, decodeBody, encodeBody } from './journal-codec.ts';
import { performEffect } from './perform-effect.ts';
import { reconcileEffect } from './reconcile.ts';
import { driveRun, resultOf, type DrivenRun } from './run-driver.ts';

export interface StoredRunDeps {
  records: Records;
  ports: Ports;
  secrets: Secrets | null;
  /** Configured secret values: journaled sealed, traced masked. */
  secretValues: readonly string[];
}

/** The kinds of journal entries that answer an effect. */
const ANSWERS = new Set<JournalEntry['kind']>(['result', 'decision', 'timer']);

/**
 * Runs a stored run from its journal: a new run starts; a resumed or recovered one is rebuilt by
 * folding its recorded answers (nothing runs again), effects in flight when a process stopped are
 * reconciled, and the run goes on. Every effect is journaled before it is executed and every
 * answer before the step function sees it, so the journal is always ahead of the world.
 */
/** The run as driven; `replayed` trace events were rebuilt from the journal, the rest happened now. */
export type StoredRun = DrivenRun & { replayed: number };

/** A stored run as its journal tells it: how it started and every answer it was given. */
interface StoredHistory {
  entries: JournalEntry[];
  start: RunStart;
  answers: RecordedAnswer[];
}

/** Reads a run's journal, sealed secrets opened; `startedAt` is used when the journal is empty (a new run). */
async function readHistory(records: Records, row: RunRow, secrets: Secrets | null, startedAt: number): Promise<StoredHistory> {
  const entries = (await records.readJournal(row.runId)).map((e) => ({ ...e, body: decodeBody(e.body, secrets) }));
  const at = entries[0]?.kind === 'start' ? (entries[0].body as { startedAt: number }).startedAt : startedAt;
  const start: RunStart = { runId: row.runId, event: row.event, shadow: row.shadow, admission: { admitted: true, gates: row.admission, reason: null }, at };
  return { entries, start, answers: answersOf(entries) };
}

/** A run in progress as its journal has it so far (GET /runs/:id while a worker runs it); null without a journal. */
export async function journaledSoFar(program: Program, row: RunRow, records: Records, secrets: Secrets | null): Promise<DrivenRun | null> {
  const h = await readHistory(records, row, secrets, 0);
  if (h.entries.length === 0) return null;
  const folded = foldJournal(program, h.start, h.answers);
  return resultOf(folded.last.state, folded.trace);
}

export async function driveStoredRun(program: Program, row: RunRow, deps: StoredRunDeps): Promise<StoredRun> {
  const { records, ports } = deps;
  const { entries, start, answers } = await readHistory(records, row, deps.secrets, ports.clock.now());
  const writer = new JournalWriter(records, row.runId, entries.length, deps);
  if (entries.length === 0) await writer.append('start', null, { startedAt: start.at }, start.at);
  const folded = foldJournal(program, start, answers);
  if (folded.last.status === 'done') {
    // It ended before the process stopped, and only its end was not written down.
    const ended = resultOf(folded.last.state, folded.trace);
    if (!entries.some((e) => e.kind === 'end')) await writer.append('end', null, { outcome: ended.outcome, reason: ended.reason }, ports.clock.now());
    return { ...ended, replayed: folded.trace.length };
  }

  const journaled = new Set(entries.filter((e) => e.kind === 'effect').map((e) => e.effectId));
  const pending = Object.values(folded.last.state.pending);
  // Never journaled: never started, so it simply runs. Journaled and unanswered: it may have run.
  const fresh = pending.filter((e) => !journaled.has(e.id));
  const inflight = folded.inflight.filter((e) => journaled.has(e.id));
  const shadow = row.shadow;
  const json = async (p: Promise<EffectOutcome>): Promise<EffectOutcome> => asPlainJson(await p) as EffectOutcome;
  const { state, trace } = await driveRun(
    program,
    { ...folded.last, effects: fresh, trace: folded.trace },
    {
      ports,
      shadow,
      onEffect: (effect) => writer.append('effect', effect.id, { effect }, ports.clock.now()),
      onResult: (id, outcome, at) => writer.append('result', id, { outcome, at }, at, true),
      // Results are fed back as the journal keeps them (plain JSON), so a resumed run sees the same values.
      perform: (effect) => json(performEffect(effect, ports, { shadow })),
    },
    inflight,
    (effect: Effect) => json(reconcileEffect(effect, { ports, shadow, auditTrail: () => records.auditTrail(row.runId) })),
  );
  const driven = resultOf(state, trace);
  if (state.status === 'done') await writer.append('end', null, { outcome: driven.outcome, reason: driven.reason }, ports.clock.now());
  return { ...driven, replayed: folded.trace.length };
}

/** Results, decisions and timers, in journal order: what the step function is fed back. */
export function answersOf(entries: readonly JournalEntry[]): RecordedAnswer[] {
  const out: RecordedAnswer[] = [];
  for (const e of entries) {
    if (!ANSWERS.has(e.kind)) continue;
    const body = e.body as { effectId?: string; outcome: EffectOutcome; at: number };
    out.push({ id: e.effectId ?? body.effectId!, outcome: body.outcome, at: body.at });
  }
  return out;
}

/** Appends to one run's journal in order; a conflict means another process is advancing the run. */
class JournalWriter {
  #seq: number;

  constructor(
    private readonly records: Records,
    private readonly runId: string,
    seq: number,
    private readonly deps: StoredRunDeps,
  ) {
    this.#seq = seq;
  }

  /** `plain`: the body is plain JSON already (results are copied as JSON before they are fed back). */
  async append(kind: JournalEntry['kind'], effectId: string | null, body: unknown, at: number, plain = false): Promise<void> {
    const entry: JournalEntry = { runId: this.runId, seq: this.#seq + 1, kind, effectId, at: new Date(at).toISOString(), body: encodeBody(body, this.deps.secretValues, this.deps.secrets, plain) };
    try {
      await this.records.appendJournal([entry]);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'JOURNAL_CONFLICT') throw new EngineError('RUN_TAKEN', `run ${this.runId} is being advanced by another process`, { cause: e });
      throw e;
    }
    this.#seq += 1;
  }
}
