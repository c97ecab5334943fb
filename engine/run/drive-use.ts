import { describeError, EngineError } from '../errors.ts';
import type { Step } from '../playbook/model.ts';
import type { StepContext, StepExecutor } from '../steps/executor.ts';
import { effectMode, type ApprovalDecision, type Effect, type EffectError, type EffectOutcome, type EffectRequest } from '../effects/effect.ts';
import type { StepNode } from './machine.ts';
import type { Turn } from './turn.ts';

type UseNode = Extract<StepNode, { kind: 'use' }>;

/** A use step's body run to its next effect: its output, its error, or null while it waits. */
export type UseProgress = { done: true; ok: true; output: unknown } | { done: true; ok: false; error: { code: string; message: string } } | null;

/**
 * Resumes a use step: takes its awaited result from the inbox, then re-runs its body from the
 * start with every result it has received (bodies are deterministic, so this is where it was),
 * until it asks for a new effect or ends. Trace events it wrote before are not written again.
 */
export function driveUse(t: Turn, node: UseNode, step: Extract<Step, { kind: 'use' }>): UseProgress {
  const { m } = t;
  if (node.awaiting !== null) {
    const outcome = t.inbox.get(node.awaiting);
    if (!outcome) return null;
    t.inbox.delete(node.awaiting);
    grant(t, m.pending[node.awaiting]!, outcome);
    delete m.pending[node.awaiting];
    node.results.push({ ...outcome, at: m.now });
    node.awaiting = null;
  }
  const executor = t.program.executors.get(step.use)!;
  let now = node.startedAt;
  let written = 0;
  const ctx: StepContext = {
    catalog: t.program.catalog,
    tools: t.program.tools,
    prompts: t.program.prompts,
    run: { id: m.runId, playbook: m.playbook, shadow: m.shadow, event: m.scope['event'], approvals: m.approvals },
    stepId: step.id,
    trace: (event) => {
      written += 1;
      if (written <= node.traced) return;
      node.traced = written;
      t.record(event, now);
    },
    setOutcome: (outcome, reason) => t.setOutcome(outcome, reason),
    nowIso: () => new Date(now).toISOString(),
  };
  try {
    const body = executor.run(ctx, node.input as never);
    let it = body.next();
    for (const r of node.results) {
      if (it.done) break;
      now = r.at;
      it = r.ok ? body.next(r.value) : body.throw(asError(r.error));
    }
    if (it.done) return { done: true, ok: true, output: it.value };
    const request = it.value;
    undeclared(executor, request);
    const effect: Effect = {
      id: `${m.runId}/${node.address}/${node.visit}/${node.results.length + 1}`,
      step: step.id,
      mode: effectMode(request),
      request,
      timeout: node.deadline ? { deadline: node.deadline.at, step: node.deadline.step, ms: node.deadline.ms } : null,
    };
    node.awaiting = effect.id;
    m.pending[effect.id] = effect;
    t.effects.push(effect);
    return null;
  } catch (e) {
    const err = describeError(e);
    return { done: true, ok: false, error: { code: err.code, message: err.message } };
  }
}

/** An approval granted by people becomes part of the run: the only thing that lets an approval-required intent run. */
function grant(t: Turn, effect: Effect, outcome: EffectOutcome): void {
  if (effect.request.kind !== 'approval.await' || !outcome.ok) return;
  const d = outcome.value as ApprovalDecision;
  if (d.decision !== 'approved') return;
  const r = effect.request;
  const tool = r.tool !== undefined && r.argsHash !== undefined ? { tool: r.tool, argsHash: r.argsHash } : {};
  t.m.approvals.push({ approvalId: r.approvalId, step: effect.step, intent: r.intent, target: r.target, host: r.host, ...tool, by: d.by, at: d.at });
}

/** The effect a step declares bounds what it may ask: a pure step no port, a read step no write. */
function undeclared(executor: StepExecutor<never>, request: EffectRequest): void {
  const mode = effectMode(request);
  if (mode === 'record' || mode === 'wait' || executor.effect === 'write' || (executor.effect === 'read' && mode === 'read')) return;
  throw new EngineError('EFFECT_UNDECLARED', `${executor.name} is declared ${executor.effect} but asked for ${request.kind} (${mode})`);
}

function asError(error: EffectError): EngineError {
  return new EngineError(error.code, error.message, {
    ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}
