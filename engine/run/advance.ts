import { describeError, EngineError } from '../errors.ts';
import { runScope, type AdmissionVerdict } from './admit.ts';
import { driveBlock, newBlock } from './drive-block.ts';
import type { EffectOutcome } from '../effects/effect.ts';
import type { Advanced, RunInput, RunMachine } from './machine.ts';
import type { Program } from './program.ts';
import { ROOT_FRAME, Turn } from './turn.ts';

export interface RunStart {
  runId: string;
  event: Record<string, unknown> | null;
  shadow: boolean;
  /** The gate verdicts the run was admitted with. */
  admission: AdmissionVerdict;
  at: number;
}

/** The first state of a run, driven to its first effects (or to its end: a refused or effect-free run). */
export function startRun(program: Program, start: RunStart): Advanced {
  const { playbook } = program;
  const m: RunMachine = {
    runId: start.runId,
    playbook: playbook.ref,
    shadow: start.shadow,
    startedAt: start.at,
    now: start.at,
    seq: 0,
    stepsRun: 0,
    visits: {},
    scope: runScope(playbook, start.event, start.runId, start.shadow),
    path: [],
    decision: null,
    outcome: null,
    reason: null,
    root: null,
    approvals: [],
    pending: {},
    status: 'running',
  };
  const t = new Turn(program, m, new Map());
  t.record({ type: 'run.start', runId: m.runId, playbook: m.playbook, event: start.event, shadow: m.shadow });
  for (const gate of start.admission.gates) t.recordStamped(gate);
  if (!start.admission.admitted) {
    t.setOutcome('skipped', start.admission.reason ?? 'refused by a gate');
    return end(t);
  }
  m.root = newBlock('', null);
  return drive(t);
}

/**
 * The step function: given a run's state and the results of some of its pending effects, returns
 * the next state, the new effects to execute and the trace events written. Pure: the same
 * program, state and input give the same output; the state passed in is not changed.
 */
export function advance(program: Program, state: RunMachine, input: RunInput): Advanced {
  if (state.status === 'done') throw new EngineError('RUN_ENDED', `run ${state.runId} has ended; nothing to advance`);
  return advanceOwned(program, structuredClone(state), input);
}

/**
 * `advance` without its defensive copy, for a driver that owns the state and never reads the one
 * it passed in again: the same output, computed on the state given, which it changes.
 */
export function advanceOwned(program: Program, m: RunMachine, input: RunInput): Advanced {
  if (m.status === 'done') throw new EngineError('RUN_ENDED', `run ${m.runId} has ended; nothing to advance`);
  m.seq += 1;
  m.now = Math.max(m.now, input.at);
  const inbox = new Map<string, EffectOutcome>();
  for (const r of input.results) {
    if (!(r.id in m.pending)) throw new EngineError('EFFECT_UNKNOWN', `run ${m.runId} is not waiting for effect ${r.id}`);
    inbox.set(r.id, r.outcome);
  }
  return drive(new Turn(program, m, inbox));
}

function drive(t: Turn): Advanced {
  const { m } = t;
  try {
    const outcome = driveBlock(t, m.root!, ROOT_FRAME);
    if (outcome === null) {
      m.status = Object.values(m.pending).every((e) => e.mode === 'wait') ? 'waiting' : 'running';
      return { state: m, effects: t.effects, trace: t.trace, status: m.status };
    }
    if (outcome.kind === 'error') t.setOutcome('failed', `${outcome.error.step}: ${outcome.error.code}: ${outcome.error.message}`);
  } catch (e) {
    const err = describeError(e);
    t.record({ type: 'step.end', step: '(run)', status: 'error', durationMs: 0, error: { code: err.code, message: err.message } });
    t.setOutcome('failed', `${err.code}: ${err.message}`);
  }
  return end(t);
}

function end(t: Turn): Advanced {
  const { m } = t;
  m.status = 'done';
  m.root = null;
  // Effects still pending (other parallel branches of a run that failed) are abandoned.
  m.pending = {};
  const outcome = m.outcome ?? 'succeeded';
  m.outcome = outcome;
  t.record({ type: 'run.end', outcome, decision: m.decision, durationMs: m.now - m.startedAt, ...(m.reason ? { reason: m.reason } : {}) });
  return { state: m, effects: [], trace: t.trace, status: 'done' };
}
