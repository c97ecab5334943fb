import type { Effect, EffectRequest } from '../effects/effect.ts';
import type { PlaybookRef, RunOutcome, TraceEvent } from '../trace/trace.ts';
import { advance, startRun, type RunStart } from './advance.ts';
import type { RecordedAnswer } from './fold.ts';
import { firstDifference, type Difference } from './first-difference.ts';
import type { Advanced } from './machine.ts';
import type { Program } from './program.ts';

/** How a run ended or where it stands: `waiting` for people or a timer, `running` with effects in flight. */
export interface RunEnding {
  outcome: RunOutcome | 'running';
  decision: string | null;
  path: string[];
}

/** What the journal of a run holds, in journal order. */
export interface RecordedRun {
  effects: readonly Effect[];
  answers: readonly RecordedAnswer[];
  /** How the recorded run ended (a run whose journal ends waiting ended `waiting`); absent: only its effects are compared. */
  end?: RunEnding | null;
}

/**
 * The first point where a version of a playbook does not do what the recorded run did. `answered`:
 * how many recorded answers the version had been fed by then.
 */
export type Divergence =
  /** The version asks for an effect the recorded run never asked for; `recorded`: what the recorded run asked for next, if anything. */
  | { kind: 'unrecorded'; step: string; wanted: Effect; recorded: Effect | null; answered: number }
  /** The version asks for the recorded effect (same id: same step, visit and order) with another request. */
  | { kind: 'request'; step: string; effectId: string; field: Difference; recorded: EffectRequest; wanted: EffectRequest; answered: number }
  /** The recorded run got (or waited for) an answer to an effect this version has not asked for: it took another path. */
  | { kind: 'path'; step: string; effectId: string; recorded: Effect | null; path: string[]; answered: number }
  /** Every effect matched, but the runs end differently. */
  | { kind: 'end'; fields: ('outcome' | 'decision' | 'path')[]; recorded: RunEnding; replayed: RunEnding; answered: number };

export interface ReplayResult extends RunEnding {
  divergence: Divergence | null;
  reason: string | null;
  /** Effects the version asked for (all matched the journal when there is no divergence). */
  effects: number;
  answered: number;
  trace: TraceEvent[];
}

/**
 * Drives a (possibly changed) version of a playbook with a run's recorded answers, comparing every
 * effect it asks for with the recorded one of the same id, and stops at the first divergence.
 * Nothing is executed: as foldJournal, but checking instead of trusting.
 */
export function replayJournal(program: Program, start: RunStart, recorded: RecordedRun): ReplayResult {
  const byId = new Map(recorded.effects.map((e) => [e.id, e] as const));
  const asked = new Set<string>();
  const fed = new Set<string>();
  let last: Advanced = startRun(program, start);
  const trace = [...last.trace];
  let answered = 0;
  const sameRef = (r: unknown, w: unknown) => isRef(r) && isRef(w) && sameJson(w, program.playbook.ref);
  const result = (divergence: Divergence | null): ReplayResult => ({ divergence, ...ending(last), reason: last.status === 'done' ? last.state.reason : null, effects: asked.size, answered, trace });

  const check = (effects: readonly Effect[]): Divergence | null => {
    for (const wanted of effects) {
      asked.add(wanted.id);
      const was = byId.get(wanted.id);
      if (!was) return { kind: 'unrecorded', step: wanted.step, wanted, recorded: recorded.effects.find((e) => !asked.has(e.id)) ?? null, answered };
      // As the journal keeps it: plain JSON, undefined fields dropped.
      const request = JSON.parse(JSON.stringify(wanted.request)) as EffectRequest;
      // The version's own name, version and hash (in audit rows) differ by definition: not a divergence.
      const field = firstDifference(was.request, request, sameRef);
      if (field !== null) return { kind: 'request', step: wanted.step, effectId: wanted.id, field, recorded: was.request, wanted: request, answered };
    }
    return null;
  };
  const otherPath = (id: string): Divergence => {
    const was = byId.get(id) ?? null;
    return { kind: 'path', step: was?.step ?? stepOfId(id), effectId: id, recorded: was, path: [...last.state.path], answered };
  };

  let d = check(last.effects);
  if (d) return result(d);
  for (const a of recorded.answers) {
    // A second answer to one effect (a decision after the expiry) was stale in the recorded run too.
    if (fed.has(a.id)) continue;
    fed.add(a.id);
    if (last.status === 'done' || !(a.id in last.state.pending)) return result(otherPath(a.id));
    last = advance(program, last.state, { type: 'results', at: a.at, results: [{ id: a.id, outcome: a.outcome }] });
    answered += 1;
    trace.push(...last.trace);
    d = check(last.effects);
    if (d) return result(d);
  }
  // Asked for and never answered (a wait, effects in flight): the version must be at them too.
  const left = recorded.effects.find((e) => !asked.has(e.id));
  if (left) return result(otherPath(left.id));
  if (recorded.end) {
    const replayed = ending(last);
    const fields = (['outcome', 'decision', 'path'] as const).filter((f) => !sameJson(recorded.end![f], replayed[f]));
    if (fields.length) return result({ kind: 'end', fields, recorded: recorded.end, replayed, answered });
  }
  return result(null);
}

function ending(last: Advanced): RunEnding {
  const { state } = last;
  const outcome = last.status === 'done' ? (state.outcome ?? 'succeeded') : last.status === 'waiting' ? 'waiting' : 'running';
  return { outcome, decision: state.decision, path: [...state.path] };
}

/** `run/step-address/visit/n`: the address, with its for_each indexes, stands for the step. */
function stepOfId(id: string): string {
  const parts = id.split('/');
  return parts.length >= 4 ? parts.slice(1, -2).join('/') : id;
}

function isRef(v: unknown): v is PlaybookRef {
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v).sort();
  return keys.length === 3 && keys[0] === 'hash' && keys[1] === 'name' && keys[2] === 'version';
}

function sameJson(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}
