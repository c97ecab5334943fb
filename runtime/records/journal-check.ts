import { EngineError } from '../../engine/errors.ts';
import type { JournalEntry } from './journal.ts';

/**
 * The checks both stores make before writing a journal batch, so that they refuse the same
 * batches with the same codes (JOURNAL_INVALID) and store the same text.
 */

const KINDS: ReadonlySet<string> = new Set(['start', 'effect', 'result', 'decision', 'timer', 'end']);
const MAX_DEPTH = 256;
const WITH_EFFECT: ReadonlySet<string> = new Set(['effect', 'result']);

/** An entry as stored: its body as JSON text. */
export interface StoredEntry {
  runId: string;
  seq: number;
  kind: JournalEntry['kind'];
  effectId: string | null;
  at: string;
  body: string;
}

/** A checked batch: its entries as stored, and the first seq of each run in it (for the gap check). */
export interface CheckedBatch {
  entries: StoredEntry[];
  firstSeq: Map<string, number>;
}

/**
 * Each entry well formed, and each run's entries in the batch contiguous and in order: the store
 * then only has to check the first one against what it holds.
 */
export function checkJournalBatch(entries: readonly JournalEntry[]): CheckedBatch {
  const firstSeq = new Map<string, number>();
  const lastSeq = new Map<string, number>();
  const stored = entries.map((e, i) => {
    const where = `journal entry ${i}`;
    if (typeof e.runId !== 'string' || e.runId === '') invalid(`${where}: runId must be a non-empty string`);
    if (!Number.isSafeInteger(e.seq) || e.seq < 1) invalid(`${where} (${e.runId}): seq must be an integer >= 1, got ${String(e.seq)}`);
    if (!KINDS.has(e.kind)) invalid(`${where} (${e.runId}#${e.seq}): unknown kind ${JSON.stringify(e.kind)}`);
    if (WITH_EFFECT.has(e.kind) ? typeof e.effectId !== 'string' || e.effectId === '' : e.effectId !== null) {
      invalid(`${where} (${e.runId}#${e.seq}): a ${e.kind} entry ${WITH_EFFECT.has(e.kind) ? 'needs an effectId' : 'has effectId null'}`);
    }
    if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) invalid(`${where} (${e.runId}#${e.seq}): at must be an ISO time`);
    const previous = lastSeq.get(e.runId);
    if (previous === undefined) firstSeq.set(e.runId, e.seq);
    else if (e.seq !== previous + 1) invalid(`${where} (${e.runId}#${e.seq}): expected seq ${previous + 1} after ${previous} in the batch`);
    lastSeq.set(e.runId, e.seq);
    const problem = notJson(e.body, 'body');
    if (problem !== null) invalid(`${where} (${e.runId}#${e.seq}): ${problem}`);
    return { runId: e.runId, seq: e.seq, kind: e.kind, effectId: e.effectId, at: e.at, body: JSON.stringify(e.body) };
  });
  return { entries: stored, firstSeq };
}

/** An entry read back from its stored form. */
export function fromStored(row: StoredEntry): JournalEntry {
  return { runId: row.runId, seq: row.seq, kind: row.kind, effectId: row.effectId, at: row.at, body: JSON.parse(row.body) as unknown };
}

/**
 * Why a value would not read back as written through JSON text (null when it would). Replay feeds
 * the step function what it reads, so a lossy conversion (undefined dropped, NaN to null, a Date
 * to a string) would make a replayed run differ from the original: it is refused instead.
 * -0 is the one accepted loss (it reads back as 0), and symbol keys are not seen.
 */
function notJson(value: unknown, path: string, depth = 0): string | null {
  // Bounded, so a cycle is refused rather than overflowing the stack.
  if (depth > MAX_DEPTH) return `${path} is nested deeper than ${MAX_DEPTH} levels (or is a cycle)`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${String(value)}, not a JSON number`;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return `${path}[${i}] is a hole`;
          const problem = notJson(value[i], `${path}[${i}]`, depth + 1);
          if (problem !== null) return problem;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return `${path} is a ${value.constructor?.name ?? 'non-plain object'}, not a plain object`;
      for (const [k, v] of Object.entries(value)) {
        const problem = notJson(v, `${path}.${k}`, depth + 1);
        if (problem !== null) return problem;
      }
      return null;
    }
    default:
      return `${path} is ${typeof value}, not JSON`;
  }
}

function invalid(message: string): never {
  throw new EngineError('JOURNAL_INVALID', message);
}
