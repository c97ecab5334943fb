import type { SourceLocation } from '../diagnostics/diagnostic.ts';
import type { CompiledExpr } from '../expr/index.ts';
import type { PlaybookRef } from '../trace/trace.ts';

/**
 * The frozen internal form of a playbook: what the run loop sees. Never YAML: every name is
 * resolved and every expression compiled before a run starts.
 */
export interface Playbook {
  ref: PlaybookRef;
  file: string;
  description: string | null;
  trigger: Trigger;
  shadow: boolean;
  vars: Readonly<Record<string, unknown>>;
  gates: readonly Gate[];
  /** The top-level sequence; `next:` and switch cases jump between these. */
  steps: readonly Step[];
  /** Top-level step ids to their position in `steps`. */
  positions: ReadonlyMap<string, number>;
  onError: string | null;
}

export interface Trigger {
  webhooks: readonly string[];
  schedule: { everyMs: number | null; cron: string | null; timezone: string | null } | null;
  approval: boolean;
  when: CompiledExpr | null;
}

interface GateBase {
  location: SourceLocation;
  /** The name a verdict is reported under: the kind, or `rate:NAME`. */
  label: string;
}

export type Gate =
  | (GateBase & { kind: 'stale'; olderThanMs: number })
  | (GateBase & { kind: 'maintenance'; windows: readonly MaintenanceWindow[]; key: CompiledExpr | null; when: CompiledExpr | null })
  | (GateBase & { kind: 'dedup'; key: CompiledExpr; forMs: number })
  | (GateBase & { kind: 'rate'; key: CompiledExpr; max: number; perMs: number })
  | (GateBase & { kind: 'cooldown'; key: CompiledExpr; forMs: number | null })
  | (GateBase & { kind: 'circuit'; key: string; openWhen: readonly string[] });

export interface MaintenanceWindow {
  fromMs: number;
  toMs: number;
  hosts: readonly string[] | null;
  services: readonly string[] | null;
  reason: string | null;
}

interface StepBase {
  id: string;
  location: SourceLocation;
  when: CompiledExpr | null;
  timeoutMs: number | null;
  onError: string | null;
  /** Taken instead of onError when the step timed out or its approval expired. */
  onTimeout: string | null;
  next: string | null;
}

export type Step =
  | (StepBase & { kind: 'use'; use: string; with: CompiledExpr | null })
  | (StepBase & { kind: 'parallel'; branches: readonly Step[]; onBranchError: ItemErrorPolicy })
  /** `concurrency`: how many items run at once; their rows keep the items' order. */
  | (StepBase & { kind: 'for_each'; items: CompiledExpr; as: string; steps: readonly Step[]; onItemError: ItemErrorPolicy; concurrency: number })
  /** A sequence run as one step; its jumps stay inside it. */
  | (StepBase & { kind: 'group'; steps: readonly Step[] })
  | (StepBase & { kind: 'switch'; on: CompiledExpr; cases: Readonly<Record<string, string>>; default: string | null })
  | (StepBase & { kind: 'decide'; rows: readonly DecisionRow[]; otherwise: DecisionOutcome });

/**
 * What a failed item of a for_each (or branch of a parallel) does: `fail` the whole step (the
 * default), or `continue`: its error is collected in its row and the others go on.
 */
type ItemErrorPolicy = 'fail' | 'continue';

/** What a decision row gives: one value, or named outputs (the same names in every row). */
export type DecisionOutcome = string | Readonly<Record<string, string | number | boolean | null>>;

export interface DecisionRow {
  when: CompiledExpr;
  then: DecisionOutcome;
  location: SourceLocation;
}

export const END = 'end';
