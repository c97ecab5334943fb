import { EngineError } from '../../engine/errors.ts';
import type { CompiledExpr } from '../../engine/expr/index.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { advance, startRun } from '../../engine/run/advance.ts';
import { admitRun, type AdmissionVerdict } from '../../engine/run/admit.ts';
import type { EffectOutcome } from '../../engine/effects/effect.ts';
import type { Advanced } from '../../engine/run/machine.ts';
import { compileProgram } from '../../engine/run/program.ts';
import type { RunResult } from '../../engine/run/result.ts';
import type { StepExecutor } from '../../engine/steps/executor.ts';
import type { TraceEvent } from '../../engine/trace/trace.ts';
import { performEffect } from './perform-effect.ts';

/** Everything a run needs besides the playbook and the event. */
export interface RunEnvironment {
  ports: Ports;
  catalog: IntentCatalog;
  prompts: ReadonlyMap<string, CompiledExpr>;
  executors: ReadonlyMap<string, StepExecutor<never>>;
  /** Global shadow mode; a playbook may also be in shadow mode on its own. */
  shadow?: boolean;
  /** Values masked wherever they appear in the trace. */
  secrets?: readonly string[];
  /** Guard against `next:` loops. */
  maxSteps?: number;
  runId?: string;
  /**
   * Gate verdicts already given at ingest (the runtime admits runs before answering a webhook).
   * When absent, the run passes its gates itself, as dry-run and `engine test` do.
   */
  admission?: AdmissionVerdict;
}

/**
 * Drives one run to its end: starts the step function, executes the effects it asks for through
 * the ports (concurrently, as parallel branches ask), and feeds each result back as it arrives.
 * Production, dry-run, shadow mode and `engine test` differ only in the ports and the shadow flag.
 */
export async function runPlaybook(playbook: Playbook, event: Record<string, unknown> | null, env: RunEnvironment): Promise<RunResult> {
  const { ports } = env;
  const runId = env.runId ?? ports.ids.next('run_');
  const shadow = Boolean(env.shadow) || playbook.shadow;
  const at = ports.clock.now();
  const admission = env.admission ?? (await admitRun(playbook, event, { state: ports.state, now: at, runId, shadow }));
  const program = compileProgram(playbook, env);
  let step: Advanced = startRun(program, { runId, event, shadow, admission, at });
  const trace: TraceEvent[] = [...step.trace];
  const inflight = new Map<string, Promise<{ id: string; outcome: EffectOutcome }>>();
  while (step.status !== 'done') {
    for (const effect of step.effects) {
      inflight.set(effect.id, performEffect(effect, ports, { shadow }).then((outcome) => ({ id: effect.id, outcome })));
    }
    if (inflight.size === 0) throw new EngineError('RUN_STUCK', `run ${runId} waits for no effect and has not ended`);
    const done = await Promise.race(inflight.values());
    inflight.delete(done.id);
    step = advance(program, step.state, { type: 'results', at: ports.clock.now(), results: [done] });
    trace.push(...step.trace);
  }
  const m = step.state;
  return { runId, playbook: playbook.ref, outcome: m.outcome ?? 'succeeded', reason: m.reason, decision: m.decision, path: m.path, trace };
}
