import { evaluateGates } from '../gates/evaluate.ts';
import type { Playbook } from '../playbook/model.ts';
import type { GateOps } from '../ports/state-store.ts';
import type { TraceEvent } from '../trace/trace.ts';

type GateTraceEvent = Extract<TraceEvent, { type: 'gate' }>;

export interface AdmissionVerdict {
  admitted: boolean;
  /** The gate events of the run's trace, stamped with the admission time. */
  gates: GateTraceEvent[];
  /** `gate: reason` of the refusal, for the "why did it not fire?" answer. */
  reason: string | null;
}

/** The base expression scope of a run; gates and steps see the same one. */
export function runScope(playbook: Playbook, event: Record<string, unknown> | null, runId: string, shadow: boolean): Record<string, unknown> {
  return {
    event,
    vars: playbook.vars,
    run: { id: runId, shadow },
    playbook: { name: playbook.ref.name, version: playbook.ref.version },
  };
}

/**
 * Passes an event through a playbook's gates. The runtime calls it at ingest, before answering
 * the webhook, so the 202 can say "deduplicated" or "rate-limited"; the run then starts with
 * these verdicts already in its trace.
 */
export async function admitRun(
  playbook: Playbook,
  event: Record<string, unknown> | null,
  ctx: { state: GateOps; now: number; runId: string; shadow: boolean },
): Promise<AdmissionVerdict> {
  const scope = { ...runScope(playbook, event, ctx.runId, ctx.shadow), $now: ctx.now };
  const result = await evaluateGates(playbook.gates, { now: ctx.now, playbook: playbook.ref.name, runId: ctx.runId, event, scope }, ctx.state);
  const at = new Date(ctx.now).toISOString();
  const gates = result.verdicts.map(
    (v): GateTraceEvent => ({ type: 'gate', at, gate: v.gate, verdict: v.verdict, reason: v.reason, ...(v.key !== undefined ? { key: v.key } : {}) }),
  );
  const refused = result.admitted ? undefined : result.verdicts[result.verdicts.length - 1];
  return { admitted: result.admitted, gates, reason: refused ? `${refused.gate}: ${refused.reason}` : null };
}
