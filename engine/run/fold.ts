import type { Effect, EffectOutcome } from '../effects/effect.ts';
import { advanceOwned, startRun, type RunStart } from './advance.ts';
import type { Advanced } from './machine.ts';
import type { Program } from './program.ts';
import type { TraceEvent } from '../trace/trace.ts';

/** A recorded answer to one effect: a port's result, a person's decision or a timer. */
export interface RecordedAnswer {
  id: string;
  outcome: EffectOutcome;
  at: number;
}

export interface Folded {
  /** The step function's output after the last answer. */
  last: Advanced;
  /** The whole trace, from the start. */
  trace: TraceEvent[];
  /** Effects asked for and never answered, other than waits: in flight when the process stopped. */
  inflight: Effect[];
  /** Answers that found no such pending effect (a decision that lost the race to an expiry). */
  stale: RecordedAnswer[];
}

/**
 * Rebuilds a run from its journal, as Temporal replays a workflow history: the start, then every
 * recorded answer fed back in order. Nothing is executed; the step function asks for the same
 * effects it asked for the first time, and gets their recorded results.
 */
export function foldJournal(program: Program, start: RunStart, answers: readonly RecordedAnswer[]): Folded {
  let last = startRun(program, start);
  const trace = [...last.trace];
  const stale: RecordedAnswer[] = [];
  for (const a of answers) {
    if (last.status === 'done' || !(a.id in last.state.pending)) {
      stale.push(a);
      continue;
    }
    last = advanceOwned(program, last.state, { type: 'results', at: a.at, results: [{ id: a.id, outcome: a.outcome }] });
    trace.push(...last.trace);
  }
  const inflight = Object.values(last.state.pending).filter((e) => e.mode !== 'wait');
  return { last, trace, inflight, stale };
}
