import type { TraceEvent } from '../trace/trace.ts';
import { redact } from '../trace/redact.ts';
import type { EffectOutcome, Effect } from '../effects/effect.ts';
import type { RunMachine } from './machine.ts';
import type { Program } from './program.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UnstampedEvent = DistributiveOmit<TraceEvent, 'at'>;

/** Where a step runs: the scopes around it, its address prefix, the deadline it inherits. */
export interface Frame {
  /** The locals of the for_each items around the step, outermost first. */
  scopes: Record<string, unknown>[];
  prefix: string;
  deadline: { at: number; step: string; ms: number } | null;
  /** Inside a group or a for_each body: a decision there is not the run's decision. */
  nested: boolean;
}

export const ROOT_FRAME: Frame = { scopes: [], prefix: '', deadline: null, nested: false };

/**
 * One call of the step function in progress: the state it is changing (its own copy), the
 * results it was given, and what it emits. Holds no I/O; discarded when the call returns.
 */
export class Turn {
  readonly effects: Effect[] = [];
  readonly trace: TraceEvent[] = [];

  constructor(
    readonly program: Program,
    readonly m: RunMachine,
    readonly inbox: Map<string, EffectOutcome>,
  ) {}

  record(event: UnstampedEvent, at: number = this.m.now): void {
    this.trace.push(redact({ at: new Date(at).toISOString(), ...event }, this.program.secrets) as TraceEvent);
  }

  recordStamped(event: TraceEvent): void {
    this.trace.push(redact(event, this.program.secrets) as TraceEvent);
  }

  /** The scope a step's expressions see, with the run's time for now() and age(). */
  evalScope(frame: Frame): Record<string, unknown> {
    if (frame.scopes.length === 0) {
      this.m.scope['$now'] = this.m.now;
      return this.m.scope;
    }
    return Object.assign({}, this.m.scope, ...frame.scopes, { $now: this.m.now }) as Record<string, unknown>;
  }

  /** Where a step's output goes: its for_each item's locals, or the run's scope. */
  target(frame: Frame): Record<string, unknown> {
    return frame.scopes.at(-1) ?? this.m.scope;
  }

  setOutcome(outcome: NonNullable<RunMachine['outcome']>, reason: string): void {
    // escalated wins over waiting: a run both parked and escalated is in people's hands.
    if (this.m.outcome === 'escalated' && outcome === 'waiting') return;
    this.m.outcome = outcome;
    this.m.reason = reason;
  }
}
