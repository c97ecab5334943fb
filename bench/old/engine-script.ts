/**
 * The child script that times the old interpreter (`runPlaybook` of engine/run/interpreter.ts at
 * OLD_COMMIT) against the step function, in one process, round by round (bench/run/timing.ts).
 * Only the few lines that call the old code are written here, as text: they import it from the
 * temporary worktree. The event, the model answers, the new variants and the timing loop are this
 * checkout's own modules, imported by path, so old and new run the same event through the same loop.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../runtime/fixtures.ts';
import type { SupervisorCase } from '../run/supervisor-case.ts';
import type { TimingOptions } from '../run/timing.ts';
import { RESULT_MARK } from './checkout.ts';

export const OLD_INTERPRETER = 'old interpreter';

export function oldEngineScript(oldTree: string, decision: SupervisorCase['decision'], timing: TimingOptions): string {
  const at = (root: string, path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);
  return `// Written by bench/old/engine-script.ts for one bench run; removed with this folder.
import { hasErrors } from ${at(oldTree, 'engine/diagnostics/diagnostic.ts')};
import { runPlaybook } from ${at(oldTree, 'engine/run/interpreter.ts')};
import { STEP_EXECUTORS } from ${at(oldTree, 'engine/steps/table.ts')};
import { loadProject } from ${at(oldTree, 'runtime/project/project.ts')};
import { createScriptedWorld } from ${at(oldTree, 'runtime/recording/world.ts')};
import { supervisorCases } from ${at(REPO_ROOT, 'bench/run/supervisor-case.ts')};
import { stepVariants } from ${at(REPO_ROOT, 'bench/run/step-variants.ts')};
import { timeInterleaved } from ${at(REPO_ROOT, 'bench/run/timing.ts')};

const root = ${JSON.stringify(oldTree)};
const c = supervisorCases()[${JSON.stringify(decision)}];
const project = loadProject([root + '/playbooks'], { root });
const playbook = project.playbooks.find((p) => p.ref.name === 'supervisor');
if (hasErrors(project.diagnostics) || !project.catalog || !playbook) throw new Error('the old supervisor does not load');
const old = {
  name: ${JSON.stringify(OLD_INTERPRETER)},
  prepare() {
    const world = createScriptedWorld({ now: c.now, llm: c.llm });
    const env = { ports: world.ports, catalog: project.catalog, prompts: project.prompts, executors: STEP_EXECUTORS, shadow: false };
    return async () => {
      const r = await runPlaybook(playbook, c.event, env);
      if (r.decision !== c.decision || r.outcome !== c.outcome) throw new Error('old interpreter: ' + r.decision + '/' + r.outcome + ', expected ' + c.decision + '/' + c.outcome);
    };
  },
};
const timings = await timeInterleaved([old, ...stepVariants(c)], ${JSON.stringify(timing)});
console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify(timings));
`;
}
