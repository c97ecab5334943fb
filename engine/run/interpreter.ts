import { describeError, EngineError } from '../errors.ts';
import type { CompiledExpr } from '../expr/index.ts';
import type { IntentCatalog } from '../intents/model.ts';
import { END, type Playbook } from '../playbook/model.ts';
import type { Ports } from '../ports/index.ts';
import type { StepExecutor } from '../steps/executor.ts';
import { admitRun, runScope, type AdmissionVerdict } from './admit.ts';
import type { RunResult } from './result.ts';
import { RunState } from './run-state.ts';
import { executeStep, type StepRuntime } from './step-runner.ts';

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
 * Runs one playbook for one event: gates, then the step sequence with its jumps. Deterministic
 * under the injected clock and ids; reaches the world only through `env.ports`.
 */
export async function runPlaybook(playbook: Playbook, event: Record<string, unknown> | null, env: RunEnvironment): Promise<RunResult> {
  const { ports } = env;
  const runId = env.runId ?? ports.ids.next('run_');
  const shadow = Boolean(env.shadow) || playbook.shadow;
  const startedAt = ports.clock.now();
  const state = new RunState(
    runId,
    playbook.ref,
    startedAt,
    () => ports.clock.now(),
    runScope(playbook, event, runId, shadow),
    env.secrets ?? [],
  );
  state.record({ type: 'run.start', runId, playbook: playbook.ref, event, shadow });

  try {
    if (await passGates(playbook, event, state, env, shadow)) await runSteps(playbook, state, env, shadow);
  } catch (e) {
    const err = describeError(e);
    state.record({ type: 'step.end', step: '(run)', status: 'error', durationMs: 0, error: { code: err.code, message: err.message } });
    state.setOutcome('failed', `${err.code}: ${err.message}`);
  }
  const outcome = state.outcome ?? 'succeeded';
  state.record({
    type: 'run.end',
    outcome,
    decision: state.decision,
    durationMs: ports.clock.now() - startedAt,
    ...(state.outcomeReason ? { reason: state.outcomeReason } : {}),
  });
  return {
    runId,
    playbook: playbook.ref,
    outcome,
    reason: state.outcomeReason,
    decision: state.decision,
    path: state.path,
    trace: state.trace,
  };
}

async function passGates(playbook: Playbook, event: Record<string, unknown> | null, state: RunState, env: RunEnvironment, shadow: boolean): Promise<boolean> {
  const admission = env.admission ?? (await admitRun(playbook, event, { state: env.ports.state, now: env.ports.clock.now(), runId: state.runId, shadow }));
  for (const gate of admission.gates) state.recordStamped(gate);
  if (admission.admitted) return true;
  state.setOutcome('skipped', admission.reason ?? 'refused by a gate');
  return false;
}

async function runSteps(playbook: Playbook, state: RunState, env: RunEnvironment, shadow: boolean): Promise<void> {
  const runtime: StepRuntime = { env, state, shadow };
  const maxSteps = env.maxSteps ?? 1000;
  let index = 0;
  let executed = 0;
  while (index < playbook.steps.length) {
    if (++executed > maxSteps) throw new EngineError('STEP_LIMIT', `more than ${maxSteps} steps ran: a next: loop?`);
    const step = playbook.steps[index]!;
    const outcome = await executeStep(step, runtime, state.scope);
    let jump: string | null = null;
    let via: 'next' | 'switch' | 'on_error' = 'next';
    if (outcome.kind === 'error') {
      const route = step.onError ?? playbook.onError;
      if (route === null || route === step.id) {
        state.setOutcome('failed', `${step.id}: ${outcome.error.code}: ${outcome.error.message}`);
        return;
      }
      state.scope['error'] = { step: step.id, code: outcome.error.code, message: outcome.error.message };
      jump = route;
      via = 'on_error';
    } else if (outcome.kind === 'jump') {
      jump = outcome.to;
      via = 'switch';
    } else if (outcome.kind === 'ran' && step.next !== null) {
      jump = step.next;
    }
    if (jump === null) {
      index += 1;
      continue;
    }
    state.record({ type: 'route', from: step.id, to: jump, via });
    if (jump === END) return;
    const to = playbook.positions.get(jump);
    if (to === undefined) throw new EngineError('STEP_UNKNOWN_REF', `${step.id} routes to unknown step ${jump}`);
    index = to;
  }
}
