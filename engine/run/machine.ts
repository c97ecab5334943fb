import type { PlaybookRef, RunOutcome, TraceEvent } from '../trace/trace.ts';
import type { ApprovalGrant, Effect, EffectOutcome } from '../effects/effect.ts';

/**
 * The whole state of a run, as plain JSON: what `advance` reads and returns. Nothing of a run
 * lives anywhere else, so a run can be stored, resumed in another process and replayed.
 */
export interface RunMachine {
  runId: string;
  playbook: PlaybookRef;
  shadow: boolean;
  startedAt: number;
  /** The time of the latest input (injected clock): every now() a step reads comes from here. */
  now: number;
  /** Inputs consumed so far. */
  seq: number;
  /** Steps entered, against the `next:` loop guard. */
  stepsRun: number;
  /** How many times each step address was entered: part of its effects' ids. */
  visits: Record<string, number>;
  /** The root expression scope: event, vars, run, playbook, top-level step outputs, error. */
  scope: Record<string, unknown>;
  path: string[];
  decision: string | null;
  outcome: RunOutcome | null;
  reason: string | null;
  root: BlockNode | null;
  /** Approvals people granted in this run: what intent.run checks an approval-required intent against. */
  approvals: ApprovalGrant[];
  /** Effects asked for and not answered yet, by id. */
  pending: Record<string, Effect>;
  status: MachineStatus;
}

/** running: effects are in flight; waiting: only people or timers can move it on; done: it ended. */
type MachineStatus = 'running' | 'waiting' | 'done';


/** A sequence of steps: the playbook's, a for_each item's or a group's. */
export interface BlockNode {
  kind: 'block';
  /** The step whose body this is; '' for the playbook's top-level steps. */
  owner: string;
  index: number;
  current: StepNode | null;
  /** Names this block adds to the scope (a for_each item and its steps' outputs); null: writes go up. */
  locals: Record<string, unknown> | null;
}

interface StepNodeBase {
  step: string;
  /** The step's address: its id, prefixed by the for_each items around it (`each[2].check`). */
  address: string;
  /** How many times this address was entered before, plus one (a `next:` loop enters it again). */
  visit: number;
  startedAt: number;
  /** The earliest deadline of this step and the composite steps around it; null: none. */
  deadline: { at: number; step: string; ms: number } | null;
}

export type StepNode =
  | (StepNodeBase & {
      kind: 'use';
      input: Record<string, unknown>;
      /** The results this step's body has received, in order: replayed to resume it. */
      results: (EffectOutcome & { at: number })[];
      awaiting: string | null;
      /** Trace events already emitted by this step (not emitted again on replay). */
      traced: number;
    })
  | (StepNodeBase & { kind: 'parallel'; branches: (StepNode | { done: StepOutcome })[] })
  /**
   * `next`: the first item not started; `rows`: each item's row by index once it ended (null
   * before); `running`: the bodies of the items in progress (at most the step's concurrency).
   */
  | (StepNodeBase & { kind: 'for_each'; items: unknown[]; next: number; rows: (Record<string, unknown> | null)[]; running: { index: number; body: BlockNode }[] })
  | (StepNodeBase & { kind: 'group'; body: BlockNode });

export type StepOutcome =
  | { kind: 'ran' }
  | { kind: 'skipped' }
  | { kind: 'jump'; to: string }
  | { kind: 'error'; error: { step: string; code: string; message: string } };

/** What the driver feeds the step function. */
export type RunInput =
  | { type: 'results'; at: number; results: { id: string; outcome: EffectOutcome }[] };

/** What one call of `advance` returns: the new state, the effects to execute and the trace it wrote. */
export interface Advanced {
  state: RunMachine;
  effects: Effect[];
  trace: TraceEvent[];
  status: MachineStatus;
}
