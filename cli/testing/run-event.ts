import type { NormalizedEvent } from '../../schemas/event.ts';
import { runPlaybook } from '../../runtime/driver/run-driver.ts';
import { summarize, type RunSummary } from '../../engine/run/result.ts';
import { matchWebhook } from '../../engine/run/trigger.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import type { ScriptedWorld } from '../../runtime/recording/world.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Effect, EffectOutcome } from '../../engine/effects/effect.ts';
import type { Project } from '../../runtime/project/project.ts';

export interface EventRun {
  summary: RunSummary | null;
  skipped: { playbook: string; reason: string }[];
}

/**
 * Runs an event through the same interpreter as production, in a scripted world: dry-run and
 * `engine test` differ from `engine serve` only in the adapters.
 */
/** People's scripted decision at an approval.request step. */
export interface ScriptedApproval {
  decision: 'approve' | 'reject' | 'expire';
  by?: string;
  reason?: string;
}

export async function runEvent(
  project: Project,
  world: ScriptedWorld,
  event: NormalizedEvent | Record<string, unknown>,
  options: { playbook?: string; shadow?: boolean; approvals?: Readonly<Record<string, ScriptedApproval>> } = {},
): Promise<EventRun> {
  if (!project.catalog) throw new EngineError('NO_CATALOG', 'the intent catalog did not load; run engine lint');
  let candidates: readonly Playbook[] = project.playbooks;
  if (options.playbook !== undefined) {
    candidates = project.playbooks.filter((p) => p.ref.name === options.playbook);
    if (candidates.length === 0) throw new EngineError('UNKNOWN_PLAYBOOK', `no playbook named ${options.playbook} (have: ${project.playbooks.map((p) => p.ref.name).join(', ') || 'none'})`);
  }
  const match = matchWebhook(candidates, event as Record<string, unknown>, world.clock.now());
  if (match.matched.length === 0) return { summary: null, skipped: match.skipped };
  if (match.matched.length > 1) {
    throw new EngineError('AMBIGUOUS_PLAYBOOK', `several playbooks match: ${match.matched.map((p) => p.ref.name).join(', ')}; choose one with --playbook`);
  }
  const result = await runPlaybook(match.matched[0]!, event as Record<string, unknown>, {
    ports: world.ports,
    catalog: project.catalog,
    tools: project.tools,
    prompts: project.prompts,
    executors: STEP_EXECUTORS,
    shadow: options.shadow ?? false,
    answerWait: (effect) => answerWait(world, effect, options.approvals ?? {}),
  });
  await world.records.saveRun({ runId: result.runId, playbook: result.playbook, status: result.outcome, startedAt: result.trace[0]?.at ?? '', trace: result.trace });
  return { summary: summarize(result), skipped: match.skipped };
}

/** Runs a scheduled playbook as its schedule fires now, in a scripted world: no event. */
export async function runScheduled(
  project: Project,
  world: ScriptedWorld,
  options: { playbook?: string; shadow?: boolean; approvals?: Readonly<Record<string, ScriptedApproval>> } = {},
): Promise<EventRun> {
  if (!project.catalog) throw new EngineError('NO_CATALOG', 'the intent catalog did not load; run engine lint');
  const playbook = project.playbooks.find((p) => options.playbook === undefined || p.ref.name === options.playbook);
  if (!playbook) throw new EngineError('UNKNOWN_PLAYBOOK', `no playbook named ${options.playbook ?? '(any)'}`);
  if (!playbook.trigger.schedule) throw new EngineError('NOT_SCHEDULED', `playbook ${playbook.ref.name} has no schedule: a case with trigger: schedule needs on: { schedule: ... }`);
  const result = await runPlaybook(playbook, null, {
    ports: world.ports,
    catalog: project.catalog,
    tools: project.tools,
    prompts: project.prompts,
    executors: STEP_EXECUTORS,
    shadow: options.shadow ?? false,
    answerWait: (effect) => answerWait(world, effect, options.approvals ?? {}),
  });
  await world.records.saveRun({ runId: result.runId, playbook: result.playbook, status: result.outcome, startedAt: result.trace[0]?.at ?? '', trace: result.trace });
  return { summary: summarize(result), skipped: [] };
}

/**
 * Waits in a scripted world: a listed approval is decided at once (an expiry moves the clock past
 * it), a timer moves the clock to its time; an approval the case does not list leaves the run waiting.
 */
async function answerWait(world: ScriptedWorld, effect: Effect, approvals: Readonly<Record<string, ScriptedApproval>>): Promise<EffectOutcome | null> {
  const r = effect.request;
  if (r.kind === 'timer.wait') {
    if (world.clock.now() < r.until) world.clock.set(r.until);
    return { ok: true, value: { firedAt: new Date(world.clock.now()).toISOString() } };
  }
  if (r.kind !== 'approval.await') return null;
  // By address first (`tickets[1].ask`: one item of a loop), then by step id (every item alike).
  const address = effect.id.split('/').slice(1, -2).join('/');
  const scripted = Object.hasOwn(approvals, address) ? approvals[address] : approvals[effect.step];
  if (!scripted) return null;
  if (scripted.decision === 'expire') world.clock.set(r.expiresAt + 1);
  const at = new Date(world.clock.now()).toISOString();
  const decision = scripted.decision === 'approve' ? 'approved' : scripted.decision === 'reject' ? 'rejected' : 'expired';
  const by = scripted.decision === 'expire' ? null : (scripted.by ?? 'test');
  return { ok: true, value: { decision, by, at, reason: scripted.reason ?? null } };
}
