import type { PlaybookRef, RunOutcome, TraceEvent } from '../trace/trace.ts';
import { redact } from '../trace/redact.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The mutable state of one run; only the interpreter writes it. */
export class RunState {
  readonly trace: TraceEvent[] = [];
  readonly path: string[] = [];
  /** Expression scope: event, vars, run, playbook and each step's output by id. */
  readonly scope: Record<string, unknown>;
  decision: string | null = null;
  outcome: RunOutcome | null = null;
  outcomeReason: string | null = null;

  constructor(
    readonly runId: string,
    readonly playbook: PlaybookRef,
    readonly startedAt: number,
    private readonly clockNow: () => number,
    base: Record<string, unknown>,
    private readonly secrets: readonly string[],
  ) {
    this.scope = base;
  }

  nowIso(): string {
    return new Date(this.clockNow()).toISOString();
  }

  now(): number {
    return this.clockNow();
  }

  /** Appends an event, redacted: secrets never reach a trace in clear. */
  record(event: DistributiveOmit<TraceEvent, 'at'>): void {
    const clean = redact({ at: this.nowIso(), ...event }, this.secrets) as TraceEvent;
    this.trace.push(clean);
  }

  /** Appends an event that carries its own time (gate verdicts given at ingest). */
  recordStamped(event: TraceEvent): void {
    this.trace.push(redact(event, this.secrets) as TraceEvent);
  }

  /** The scope a step's expressions see, with the clock's time for now() and age(). */
  evalScope(extra?: Record<string, unknown>): Record<string, unknown> {
    const s: Record<string, unknown> = extra ? { ...this.scope, ...extra } : { ...this.scope };
    s['$now'] = this.clockNow();
    return s;
  }

  setOutcome(outcome: RunOutcome, reason: string): void {
    // escalated wins over waiting: a run both parked and escalated is in people's hands.
    if (this.outcome === 'escalated' && outcome === 'waiting') return;
    this.outcome = outcome;
    this.outcomeReason = reason;
  }
}
