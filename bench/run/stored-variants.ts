/**
 * A supervisor run as the embedded profile's worker drives it: admitted and committed like an
 * ingest, taken (queued → running), then driveStoredRun with SQLite records, so every effect and
 * every result goes to the run journal (and each command to the audit trail) in the data file.
 * Production-shaped ids (RandomIds), no secrets configured (nothing to seal). The baseline is the
 * same run in memory (runPlaybook), admitted beforehand too, so neither timed run passes gates.
 */
import { admitRun } from '../../engine/run/admit.ts';
import { compileProgram } from '../../engine/run/program.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { driveStoredRun } from '../../runtime/driver/stored-run.ts';
import { runPlaybook } from '../../runtime/driver/run-driver.ts';
import { RandomIds } from '../../runtime/random-ids.ts';
import type { Records } from '../../runtime/records/records.ts';
import { createScriptedWorld } from '../../runtime/recording/world.ts';
import { checkPath, type LoadedSupervisor } from './step-variants.ts';
import type { SupervisorCase } from './supervisor-case.ts';
import type { TimedVariant } from './timing.ts';

export const IN_MEMORY = 'step function, in memory';
export const STORED_SQLITE = 'stored run, SQLite journal';

/** The two variants; `stored` lists the run id of every stored run, for the journal's figures. */
export function storedVariants(c: SupervisorCase, supervisor: LoadedSupervisor, records: Records, stored: string[]): TimedVariant[] {
  const { playbook, catalog, prompts } = supervisor;
  const program = compileProgram(playbook, { catalog, prompts, executors: STEP_EXECUTORS });
  const admitted = async () => {
    const world = createScriptedWorld({ now: c.now, llm: c.llm });
    const ids = new RandomIds();
    const runId = ids.next('run_');
    const now = world.clock.now();
    const admission = await admitRun(playbook, c.event, { state: world.state, now, runId, shadow: false });
    if (!admission.admitted) throw new Error(`the supervisor refused the bench event: ${admission.reason}`);
    return { world, ids, runId, now, admission };
  };
  return [
    {
      name: IN_MEMORY,
      prepare: async () => {
        const { world, ids, runId, admission } = await admitted();
        const env = { ports: { ...world.ports, ids }, catalog, prompts, executors: STEP_EXECUTORS, shadow: false, runId, admission };
        return async () => {
          const r = await runPlaybook(playbook, c.event, env);
          checkPath(c, r.decision, r.outcome, IN_MEMORY);
        };
      },
    },
    {
      name: STORED_SQLITE,
      prepare: async () => {
        const { world, ids, runId, now, admission } = await admitted();
        const at = new Date(now).toISOString();
        const eventId = ids.next('evt_');
        await records.commitIngest({
          events: [{ eventId, source: 'uptime-kuma', receivedAt: at, event: c.event, summary: 'bench', runs: [runId], skipped: [] }],
          runs: [{
            runId, eventId, playbook: playbook.ref, trigger: 'webhook', status: 'queued', shadow: false, event: c.event, admission: admission.gates,
            queuedAt: at, startedAt: null, endedAt: null, attempts: 0, reason: null, decision: null, result: null,
          }],
        });
        const row = await records.startRun(runId, at);
        if (!row) throw new Error(`run ${runId} was not queued`);
        // The audit side of the same store, as the worker's ports have it.
        const ports = { ...world.ports, ids, records };
        return async () => {
          const r = await driveStoredRun(program, row, { records, ports, secrets: null, secretValues: [] });
          checkPath(c, r.decision, r.outcome, STORED_SQLITE);
          stored.push(runId);
        };
      },
    },
  ];
}
