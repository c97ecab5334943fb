/**
 * The step function's two timed variants over one supervisor case: `runPlaybook` as dry-run runs
 * it (in memory, no journal), and the same run journaled into memory as a service run is
 * (memory-journal.ts). Each event gets a fresh scripted world; nothing else (matching the webhook,
 * saving the run) is timed, so the figure is the engine's alone.
 */
import { join } from 'node:path';
import { hasErrors } from '../../engine/diagnostics/diagnostic.ts';
import type { CompiledExpr } from '../../engine/expr/index.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { runPlaybook, type RunEnvironment } from '../../runtime/driver/run-driver.ts';
import { loadProject } from '../../runtime/project/project.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import type { SupervisorCase } from './supervisor-case.ts';
import type { TimedVariant } from './timing.ts';
import { runWithMemoryJournal } from './memory-journal.ts';

const ROOT = join(import.meta.dirname, '../..');

export const STEP_FUNCTION = 'step function';
export const STEP_FUNCTION_JOURNAL = 'step function + in-memory journal';

/** The shipped supervisor with the catalog and prompts it was compiled against. */
export interface LoadedSupervisor {
  playbook: Playbook;
  catalog: IntentCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
}

export function loadSupervisor(): LoadedSupervisor {
  const project = loadProject([join(ROOT, 'playbooks')], { root: ROOT });
  if (hasErrors(project.diagnostics) || !project.catalog) throw new Error('the shipped playbooks do not lint clean');
  const playbook = project.playbooks.find((p) => p.ref.name === 'supervisor');
  if (!playbook) throw new Error('no supervisor playbook');
  return { playbook, catalog: project.catalog, prompts: project.prompts };
}

/** Throws unless a run took the case's path: a timed run that went elsewhere would not count. */
export function checkPath(c: SupervisorCase, decision: string | null, outcome: string, what: string): void {
  if (decision !== c.decision || outcome !== c.outcome) throw new Error(`${what}: ${decision}/${outcome}, expected ${c.decision}/${c.outcome}`);
}

export function stepVariants(c: SupervisorCase): TimedVariant[] {
  const { playbook, catalog, prompts } = loadSupervisor();
  const env = (): RunEnvironment => {
    const world = createScriptedWorld({ now: c.now, llm: c.llm });
    return { ports: world.ports, catalog, prompts, executors: STEP_EXECUTORS, shadow: false };
  };
  const check = (decision: string | null, outcome: string, what: string): void => checkPath(c, decision, outcome, what);
  return [
    {
      name: STEP_FUNCTION,
      prepare: () => {
        const e = env();
        return async () => {
          const r = await runPlaybook(playbook, c.event, e);
          check(r.decision, r.outcome, STEP_FUNCTION);
        };
      },
    },
    {
      name: STEP_FUNCTION_JOURNAL,
      prepare: () => {
        const e = env();
        return async () => {
          const { run, journal } = await runWithMemoryJournal(playbook, c.event, e);
          check(run.decision, run.outcome, STEP_FUNCTION_JOURNAL);
          if (journal.length < 3) throw new Error(`${STEP_FUNCTION_JOURNAL}: only ${journal.length} journal entries`);
        };
      },
    },
  ];
}
