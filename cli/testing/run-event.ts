import type { NormalizedEvent } from '../../schemas/event.ts';
import { runPlaybook } from '../../runtime/driver/run-driver.ts';
import { summarize, type RunSummary } from '../../engine/run/result.ts';
import { matchWebhook } from '../../engine/run/trigger.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import type { ScriptedWorld } from '../../runtime/recording/world.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Project } from '../../runtime/project/project.ts';

export interface EventRun {
  summary: RunSummary | null;
  skipped: { playbook: string; reason: string }[];
}

/**
 * Runs an event through the same interpreter as production, in a scripted world: dry-run and
 * `engine test` differ from `engine serve` only in the adapters.
 */
export async function runEvent(project: Project, world: ScriptedWorld, event: NormalizedEvent | Record<string, unknown>, options: { playbook?: string; shadow?: boolean } = {}): Promise<EventRun> {
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
    prompts: project.prompts,
    executors: STEP_EXECUTORS,
    shadow: options.shadow ?? false,
  });
  await world.records.saveRun({ runId: result.runId, playbook: result.playbook, status: result.outcome, startedAt: result.trace[0]?.at ?? '', trace: result.trace });
  return { summary: summarize(result), skipped: match.skipped };
}
