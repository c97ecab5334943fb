import type { TSchema } from '@sinclair/typebox';
import type { CompiledExpr } from '../expr/index.ts';
import type { IntentCatalog } from '../intents/model.ts';
import type { ToolCatalog } from '../tools/model.ts';
import type { EffectRequest, EffectValues } from '../effects/effect.ts';
import type { PlaybookRef, TraceEvent } from '../trace/trace.ts';
import type { ApprovalGrant } from '../effects/effect.ts';

/**
 * What a step may change in the world. The step function checks every effect a step asks for
 * against this declaration: a pure step asks for none but records (ids, audit), a read step for
 * no write; in shadow mode the driver keeps every write effect from its port.
 */
type StepEffect = 'pure' | 'read' | 'write';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a running step sees: the catalog, its run, the time, and a way to write the trace. No ports. */
export interface StepContext {
  catalog: IntentCatalog;
  tools: ToolCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  run: { id: string; playbook: PlaybookRef; shadow: boolean; event: unknown; approvals: readonly ApprovalGrant[] };
  stepId: string;
  trace(event: DistributiveOmit<TraceEvent, 'at'>): void;
  /** Marks the run as handed to people (escalated) or parked for an answer (waiting). */
  setOutcome(outcome: 'escalated' | 'waiting', reason: string): void;
  /** The time of the latest result this step received (or of its start), from the injected clock. */
  nowIso(): string;
}

/**
 * A step's body: a generator that yields effect requests and receives their results (a failed
 * effect is thrown into it). It must be deterministic — the step function re-runs it from its
 * recorded results to resume it, as Temporal replays a workflow.
 */
export type StepRun<Output = unknown> = Generator<EffectRequest, Output, unknown>;

/**
 * A step executor is a plain object: a declaration half (name, input schema, effect), which lint
 * reads, and a run half, which the step function drives. They are listed in one table (table.ts).
 */
export interface StepExecutor<Input = Record<string, unknown>> {
  name: string;
  summary: string;
  effect: StepEffect;
  input: TSchema;
  defaultTimeoutMs: number;
  run(ctx: StepContext, input: Input): StepRun;
}

export function defineExecutor<Input>(executor: StepExecutor<Input>): StepExecutor<Input> {
  return executor;
}

/** Asks for one effect and returns its typed result: `const v = yield* perform({ kind: 'state.get', key })`. */
export function* perform<R extends EffectRequest>(request: R): Generator<EffectRequest, EffectValues[R['kind']], unknown> {
  return (yield request) as EffectValues[R['kind']];
}
