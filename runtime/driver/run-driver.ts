import { EngineError } from '../../engine/errors.ts';
import type { CompiledExpr } from '../../engine/expr/index.ts';
import type { IntentCatalog } from '../../engine/intents/model.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { advanceOwned, startRun } from '../../engine/run/advance.ts';
import { admitRun, type AdmissionVerdict } from '../../engine/run/admit.ts';
import { SHADOWED, type Effect, type EffectOutcome } from '../../engine/effects/effect.ts';
import type { Advanced, RunMachine } from '../../engine/run/machine.ts';
import type { ToolCatalog } from '../../engine/tools/model.ts';
import { compileProgram, type Program } from '../../engine/run/program.ts';
import type { RunResult } from '../../engine/run/result.ts';
import type { StepExecutor } from '../../engine/steps/executor.ts';
import type { TraceEvent } from '../../engine/trace/trace.ts';
import { performEffect } from './perform-effect.ts';

/** Everything a run needs besides the playbook and the event. */
export interface RunEnvironment {
  ports: Ports;
  catalog: IntentCatalog;
  /** The tool catalog tool.call checks against; absent: tool.call refuses every tool. */
  tools?: ToolCatalog;
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
  /** Answers a wait (an approval, a timer) at once, as `engine test` scripts them; null leaves the run waiting. */
  answerWait?: (effect: Effect, state: RunMachine) => Promise<EffectOutcome | null>;
}

/** A run driven as far as it goes: ended, or suspended waiting for people or a timer. */
export type DrivenRun = RunResult & { state: RunMachine };

/** How a driver reaches the world and what it writes down; the journal hooks run before the run moves on. */
export interface DriveOptions {
  ports: Ports;
  shadow: boolean;
  /** Called with each result before it is fed back. */
  onResult?: (id: string, outcome: EffectOutcome, at: number) => Promise<void>;
  /**
   * Called after each step of the run with the effects it asked for (maybe none), before any is
   * executed: a journal writes the results it was given and these effects in one batch. Not
   * called once the run has ended: its last results go with the caller's end entry.
   */
  onEffects?: (effects: readonly Effect[]) => Promise<void>;
  answerWait?: RunEnvironment['answerWait'];
  /** Executes an effect; defaults to the ports (recovery passes its reconciliation for effects in flight). */
  perform?: (effect: Effect) => Promise<EffectOutcome>;
}

/**
 * Drives a run on from a step function output: executes the effects it asks for (concurrently,
 * as parallel branches ask), and feeds each result back as it arrives, until the run ends or
 * only people or timers can move it on. `inflight` are effects asked for earlier and not answered
 * (a resumed run's), executed first with `resume`.
 */
export async function driveRun(program: Program, first: Advanced, options: DriveOptions, inflight: Effect[] = [], resume?: (effect: Effect) => Promise<EffectOutcome>): Promise<{ state: RunMachine; trace: TraceEvent[] }> {
  const { ports } = options;
  let step = first;
  const trace: TraceEvent[] = [...step.trace];
  const running = new Map<string, Promise<{ id: string; outcome: EffectOutcome | null }>>();
  const perform = options.perform ?? ((e: Effect) => performEffect(e, ports, { shadow: options.shadow }));
  const start = (effect: Effect, how: (e: Effect) => Promise<EffectOutcome | null>) => running.set(effect.id, how(effect).then((outcome) => ({ id: effect.id, outcome })));
  for (const effect of inflight) start(effect, resume ?? perform);
  let fresh = step.effects;
  while (step.status !== 'done') {
    await options.onEffects?.(fresh);
    for (const effect of fresh) {
      if (effect.mode !== 'wait') start(effect, perform);
      else if (options.shadow) start(effect, async () => ({ ok: true, value: SHADOWED }));
      else if (options.answerWait) start(effect, (e) => options.answerWait!(e, step.state));
    }
    if (running.size === 0) {
      if (step.status === 'waiting') break;
      throw new EngineError('RUN_STUCK', `run ${step.state.runId} waits for no effect and has not ended`);
    }
    const done = await Promise.race(running.values());
    running.delete(done.id);
    fresh = [];
    // No answer (a wait left to people), or an answer the run no longer waits for (an abandoned branch).
    if (done.outcome === null || !(done.id in step.state.pending)) continue;
    const at = ports.clock.now();
    await options.onResult?.(done.id, done.outcome, at);
    // The driver owns the state: the step function may change it rather than copy it.
    step = advanceOwned(program, step.state, { type: 'results', at, results: [{ id: done.id, outcome: done.outcome }] });
    trace.push(...step.trace);
    fresh = step.effects;
  }
  return { state: step.state, trace };
}

/**
 * Runs one playbook for one event in this process, from its gates to its end or its first wait:
 * what dry-run and `engine test` use, with recording adapters.
 */
export async function runPlaybook(playbook: Playbook, event: Record<string, unknown> | null, env: RunEnvironment): Promise<DrivenRun> {
  const { ports } = env;
  const runId = env.runId ?? ports.ids.next('run_');
  const shadow = Boolean(env.shadow) || playbook.shadow;
  const at = ports.clock.now();
  const admission = env.admission ?? (await admitRun(playbook, event, { state: ports.state, now: at, runId, shadow }));
  const program = compileProgram(playbook, env);
  const first = startRun(program, { runId, event, shadow, admission, at });
  const { state, trace } = await driveRun(program, first, { ports, shadow, ...(env.answerWait ? { answerWait: env.answerWait } : {}) });
  return resultOf(state, trace);
}

/** The run as dry-run and GET /runs/:id show it; a suspended run is `waiting`. */
export function resultOf(state: RunMachine, trace: TraceEvent[]): DrivenRun {
  const outcome = state.status === 'waiting' ? 'waiting' : (state.outcome ?? 'succeeded');
  const reason = state.status === 'waiting' ? waitingReason(state) : state.reason;
  return { runId: state.runId, playbook: state.playbook, outcome, reason, decision: state.decision, path: state.path, trace, state };
}

function waitingReason(state: RunMachine): string {
  const waits = Object.values(state.pending).map((e) =>
    e.request.kind === 'approval.await' ? `approval ${e.request.approvalId} requested at step ${e.step}: ${e.request.reason}` : `step ${e.step} waits for a timer`,
  );
  return waits.join('; ');
}
