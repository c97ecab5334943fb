import type { TSchema } from '@sinclair/typebox';
import type { CompiledExpr } from '../expr/index.ts';
import type { IntentCatalog } from '../intents/model.ts';
import type { Ports } from '../ports/index.ts';
import type { PlaybookRef, TraceEvent } from '../trace/trace.ts';

/** What a step may change in the world: shadow mode suppresses `write` effects. */
type Effect = 'pure' | 'read' | 'write';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a running step sees: ports, the catalog, its run, and a way to write the trace. */
export interface StepContext {
  ports: Ports;
  catalog: IntentCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  run: { id: string; playbook: PlaybookRef; shadow: boolean; event: unknown };
  stepId: string;
  signal: AbortSignal;
  trace(event: DistributiveOmit<TraceEvent, 'at'>): void;
  /** Marks the run as handed to people (escalated) or parked for an answer (waiting). */
  setOutcome(outcome: 'escalated' | 'waiting', reason: string): void;
  nowIso(): string;
}

/**
 * A step executor is a plain object: a declaration half (name, input schema, effect), which lint
 * reads, and a run half, which the interpreter calls. They are listed in one table (table.ts).
 */
export interface StepExecutor<Input = Record<string, unknown>> {
  name: string;
  summary: string;
  effect: Effect;
  input: TSchema;
  defaultTimeoutMs: number;
  run(ctx: StepContext, input: Input): Promise<unknown>;
}

export function defineExecutor<Input>(executor: StepExecutor<Input>): StepExecutor<Input> {
  return executor;
}
