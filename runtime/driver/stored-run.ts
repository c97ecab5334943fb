import { EngineError } from '../../engine/errors.ts';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { Secrets } from '../../engine/ports/secrets.ts';
import type { RunStart } from '../../engine/run/advance.ts';
import { foldJournal, type RecordedAnswer } from '../../engine/run/fold.ts';
import type { Program } from '../../engine/run/program.ts';
import type { JournalEntry } from '../records/journal.ts';
import type { Records, RunRow } from '../records/records.ts';
import { REDACTED } from '../../engine/trace/redact.ts';
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
async function readHistory(records: Records, row: RunRow, secrets: Secrets | null, startedAt: number, firstTake = false): Promise<StoredHistory> {
  // A run a worker takes for the first time (firstTake) has written nothing yet: no journal to read.
  const stored = firstTake ? [] : await records.readJournal(row.runId);
  const entries = stored.map((e) => ({ ...e, body: decodeBody(e.body, secrets) }));
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
  // startRun counted this take: the first one has attempts 1.
  const { entries, start, answers } = await readHistory(records, row, deps.secrets, ports.clock.now(), row.attempts === 1);
  const writer = new JournalWriter(records, row.runId, entries.length, deps);
  if (entries.length === 0) writer.hold('start', null, { startedAt: start.at }, start.at);
  const folded = foldJournal(program, start, answers);
  if (folded.last.status === 'done') {
    // It ended before the process stopped, and only its end was not written down.
    const ended = resultOf(folded.last.state, folded.trace);
    if (!entries.some((e) => e.kind === 'end')) await writer.write([{ kind: 'end', effectId: null, body: { outcome: ended.outcome, reason: ended.reason }, at: ports.clock.now() }]);
    return { ...ended, replayed: folded.trace.length };
  }

  const journaled = new Set(entries.filter((e) => e.kind === 'effect').map((e) => e.effectId));
  const pending = Object.values(folded.last.state.pending);
  // Never journaled: never started, so it simply runs. Journaled and unanswered: it may have run.
  const fresh = pending.filter((e) => !journaled.has(e.id));
  const inflight = folded.inflight.filter((e) => journaled.has(e.id));
  const shadow = row.shadow;
  const json = async (p: Promise<EffectOutcome>): Promise<EffectOutcome> => asPlainJson(await p) as EffectOutcome;
  // Tool calls whose result holds secrets (a generated password), by effect id: their results are journaled sealed.
  const secretResults = new Map<string, readonly string[]>();
  const noteSecretResult = (effect: Effect): void => {
    if (effect.request.kind === 'tool.call' && effect.request.secretResult?.length) secretResults.set(effect.id, effect.request.secretResult);
  };
  for (const e of [...fresh, ...inflight]) noteSecretResult(e);
  const { state, trace } = await driveRun(
    program,
    { ...folded.last, effects: fresh, trace: folded.trace },
    {
      ports,
      shadow,
      // A result is written with the effects it leads to, in one batch, before any of them runs.
      onResult: async (id, outcome, at) => writer.hold('result', id, { outcome: sealSecretResult(outcome, secretResults.get(id), deps.secrets), at }, at, true),
      onEffects: (effects) => {
        effects.forEach(noteSecretResult);
        return writer.write(effects.map((effect) => ({ kind: 'effect' as const, effectId: effect.id, body: { effect: sealSecretArgs(effect, deps.secrets) }, at: ports.clock.now() })));
      },
      // Results are fed back as the journal keeps them (plain JSON), so a resumed run sees the same values.
      perform: (effect) => json(performEffect(effect, ports, { shadow })),
    },
    inflight,
    (effect: Effect) => json(reconcileEffect(effect, { ports, shadow, auditTrail: () => records.auditTrail(row.runId) })),
  );
  const driven = resultOf(state, trace);
  if (state.status === 'done') await writer.write([{ kind: 'end', effectId: null, body: { outcome: driven.outcome, reason: driven.reason }, at: ports.clock.now() }]);
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

interface Line {
  kind: JournalEntry['kind'];
  effectId: string | null;
  body: unknown;
  at: number;
  /** The body is plain JSON already. */
  plain?: boolean;
}

/**
 * Appends to one run's journal in order. Lines are held until the next write, which appends them
 * with its own in one atomic batch: a result goes in with the effects it led to, before any of
 * them runs, in one round trip. A conflict means another process is advancing the run.
 */
class JournalWriter {
  #seq: number;
  #held: Line[] = [];

  constructor(
    private readonly records: Records,
    private readonly runId: string,
    seq: number,
    private readonly deps: StoredRunDeps,
  ) {
    this.#seq = seq;
  }

  hold(kind: JournalEntry['kind'], effectId: string | null, body: unknown, at: number, plain = false): void {
    this.#held.push({ kind, effectId, body, at, plain });
  }

  async write(lines: readonly Line[]): Promise<void> {
    const batch = [...this.#held, ...lines];
    if (batch.length === 0) return;
    const entries = batch.map((l, i): JournalEntry => ({
      runId: this.runId,
      seq: this.#seq + 1 + i,
      kind: l.kind,
      effectId: l.effectId,
      at: new Date(l.at).toISOString(),
      body: encodeBody(l.body, this.deps.secretValues, this.deps.secrets, l.plain ?? false),
    }));
    try {
      await this.records.appendJournal(entries);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'JOURNAL_CONFLICT') throw new EngineError('RUN_TAKEN', `run ${this.runId} is being advanced by another process`, { cause: e });
      throw e;
    }
    this.#held = [];
    this.#seq += entries.length;
  }
}

/** The catalog's secret result fields of a tool call (a password it generated) are journaled sealed; without a Secrets port, masked. */
function sealSecretResult(outcome: EffectOutcome, fields: readonly string[] | undefined, secrets: Secrets | null): EffectOutcome {
  if (!fields || !outcome.ok || typeof outcome.value !== 'object' || outcome.value === null || Array.isArray(outcome.value)) return outcome;
  const value: Record<string, unknown> = { ...(outcome.value as Record<string, unknown>) };
  for (const field of fields) {
    if (!(field in value)) continue;
    const clear = typeof value[field] === 'string' ? (value[field] as string) : JSON.stringify(value[field]);
    value[field] = secrets ? secrets.seal(clear, SECRET_ARG_TTL_MS) : REDACTED;
  }
  return { ...outcome, value };
}

/** Sealed secrets live as long as a journal's other secrets: a day (see journal-codec.ts). */
const SECRET_ARG_TTL_MS = 24 * 3_600_000;

/**
 * The catalog's secret arguments of a tool call (a new password) are journaled sealed, whatever
 * their names; without a Secrets port, masked.
 */
function sealSecretArgs(effect: Effect, secrets: Secrets | null): Effect {
  const r = effect.request;
  if (r.kind !== 'tool.call' || !r.secretArgs?.length) return effect;
  const args: Record<string, unknown> = { ...r.args };
  for (const field of r.secretArgs) {
    if (!(field in args)) continue;
    const clear = typeof args[field] === 'string' ? (args[field] as string) : JSON.stringify(args[field]);
    args[field] = secrets ? secrets.seal(clear, SECRET_ARG_TTL_MS) : REDACTED;
  }
  return { ...effect, request: { ...r, args } };
}
