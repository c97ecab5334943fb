import type { Gate } from '../playbook/model.ts';
import type { GateOp, GateOpResult } from '../ports/state-store.ts';
import type { GateVerdict } from '../trace/trace.ts';

/** What a gate may look at when it is planned: everything but the state store. */
export interface GateInput {
  now: number;
  playbook: string;
  runId: string;
  event: Record<string, unknown> | null;
  scope: Record<string, unknown>;
}

export interface GateResult {
  verdict: GateVerdict;
  reason: string;
  key?: string;
}

/**
 * A gate decided without the store (stale, windows), or one state operation and how to read its
 * result. Planning every gate first lets the store apply all operations in one round trip.
 */
export type GatePlan =
  | { kind: 'decided'; result: GateResult }
  | { kind: 'op'; op: GateOp; decide(result: GateOpResult): GateResult };

export type GatePlanner<G extends Gate> = (gate: G, input: GateInput) => GatePlan;

export function decided(verdict: GateVerdict, reason: string, key?: string): GatePlan {
  return { kind: 'decided', result: key === undefined ? { verdict, reason } : { verdict, reason, key } };
}

/** Keys are namespaced by playbook so two playbooks never share a dedup window by accident. */
export function stateKey(kind: string, playbook: string, key: string): string {
  return `${kind}:${playbook}:${key}`;
}

/** Gate keys are expressions; their value becomes part of a state key. */
export function keyOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
