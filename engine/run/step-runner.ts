import { describeError, EngineError } from '../errors.ts';
import type { Step } from '../playbook/model.ts';
import type { StepContext } from '../steps/executor.ts';
import { checkStepInput } from '../steps/input-check.ts';
import type { RunEnvironment } from './interpreter.ts';
import type { RunState } from './run-state.ts';
import { truthy } from '../expr/truthy.ts';

export interface StepRuntime {
  env: RunEnvironment;
  state: RunState;
  shadow: boolean;
}

export type StepOutcome =
  | { kind: 'ran' }
  | { kind: 'skipped' }
  | { kind: 'jump'; to: string }
  | { kind: 'error'; error: { code: string; message: string } };

const MAX_ITEMS = 1000;

/** Runs one step of any kind, writing its output into `scope[step.id]` and its events into the trace. */
export async function executeStep(step: Step, rt: StepRuntime, scope: Record<string, unknown>): Promise<StepOutcome> {
  const { state } = rt;
  state.path.push(step.id);
  const started = state.now();
  if (step.when && !truthy(step.when.evaluate(withNow(scope, rt)))) {
    scope[step.id] = null;
    state.record({ type: 'step.end', step: step.id, status: 'skipped', durationMs: 0, output: { reason: `when: ${step.when.source}` } });
    state.path.pop();
    return { kind: 'skipped' };
  }
  try {
    const result = await runKind(step, rt, scope);
    state.record({ type: 'step.end', step: step.id, status: 'ok', durationMs: state.now() - started, output: scope[step.id] });
    return result;
  } catch (e) {
    const error = describeError(e);
    scope[step.id] = null;
    state.record({ type: 'step.end', step: step.id, status: 'error', durationMs: state.now() - started, error: { code: error.code, message: error.message } });
    return { kind: 'error', error: { code: error.code, message: error.message } };
  }
}

async function runKind(step: Step, rt: StepRuntime, scope: Record<string, unknown>): Promise<StepOutcome> {
  const { state } = rt;
  switch (step.kind) {
    case 'use': {
      const executor = rt.env.executors.get(step.use);
      if (!executor) throw new EngineError('STEP_UNKNOWN_KIND', `no step executor named ${step.use}`);
      const input = (step.with ? step.with.evaluate(withNow(scope, rt)) : {}) as Record<string, unknown>;
      state.record({ type: 'step.start', step: step.id, use: step.use, input });
      checkStepInput(step.use, executor.input, input);
      const timeoutMs = step.timeoutMs ?? executor.defaultTimeoutMs;
      scope[step.id] = await withTimeout(rt, step.id, timeoutMs, (signal) => executor.run(contextFor(step.id, rt, signal), input as never));
      return { kind: 'ran' };
    }
    case 'parallel': {
      state.record({ type: 'step.start', step: step.id });
      const outcomes = await Promise.all(step.branches.map((b) => executeStep(b, rt, scope)));
      const failed = outcomes.find((o) => o.kind === 'error');
      const out: Record<string, unknown> = {};
      for (const b of step.branches) out[b.id] = scope[b.id];
      scope[step.id] = out;
      if (failed && failed.kind === 'error') throw new EngineError(failed.error.code, `a parallel branch failed: ${failed.error.message}`);
      return { kind: 'ran' };
    }
    case 'for_each': {
      const items = step.items.evaluate(withNow(scope, rt));
      if (!Array.isArray(items)) throw new EngineError('FOR_EACH_NOT_LIST', `for_each: ${step.items.source} is not a list`);
      if (items.length > MAX_ITEMS) throw new EngineError('FOR_EACH_TOO_MANY', `for_each: ${items.length} items, at most ${MAX_ITEMS}`);
      state.record({ type: 'step.start', step: step.id, input: { items: items.length } });
      const results: Record<string, unknown>[] = [];
      for (const [index, item] of items.entries()) {
        const child: Record<string, unknown> = { ...scope, [step.as]: item, index };
        for (const sub of step.steps) {
          const o = await executeStep(sub, rt, child);
          if (o.kind === 'error') throw new EngineError(o.error.code, `item ${index}: ${sub.id}: ${o.error.message}`);
        }
        const row: Record<string, unknown> = {};
        for (const sub of step.steps) row[sub.id] = child[sub.id];
        results.push(row);
      }
      scope[step.id] = results;
      return { kind: 'ran' };
    }
    case 'switch': {
      const raw = step.on.evaluate(withNow(scope, rt));
      const value = raw === null || raw === undefined ? '' : String(raw);
      const to = Object.prototype.hasOwnProperty.call(step.cases, value) ? step.cases[value]! : step.default;
      scope[step.id] = value;
      if (to === null) throw new EngineError('SWITCH_NO_CASE', `switch ${step.on.source}: no case for ${JSON.stringify(value)} and no default`);
      return { kind: 'jump', to };
    }
    case 'decide': {
      const s = withNow(scope, rt);
      let row = step.rows.findIndex((r) => truthy(r.when.evaluate(s)));
      const then = row >= 0 ? step.rows[row]!.then : step.otherwise;
      if (row < 0) row = step.rows.length;
      state.record({ type: 'decision', step: step.id, row: row + 1, when: row < step.rows.length ? step.rows[row]!.when.source : null, then });
      scope[step.id] = then;
      state.decision = then;
      return { kind: 'ran' };
    }
  }
}

function withNow(scope: Record<string, unknown>, rt: StepRuntime): Record<string, unknown> {
  scope['$now'] = rt.state.now();
  return scope;
}

function contextFor(stepId: string, rt: StepRuntime, signal: AbortSignal): StepContext {
  const { env, state } = rt;
  return {
    ports: env.ports,
    catalog: env.catalog,
    prompts: env.prompts,
    run: { id: state.runId, playbook: state.playbook, shadow: rt.shadow, event: state.scope['event'] },
    stepId,
    signal,
    trace: (event) => state.record(event),
    setOutcome: (outcome, reason) => state.setOutcome(outcome, reason),
    nowIso: () => state.nowIso(),
  };
}

/** Races the step against the injected clock; the step's signal is aborted on timeout. */
async function withTimeout<T>(rt: StepRuntime, stepId: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stepAbort = new AbortController();
  const timerAbort = new AbortController();
  const timer = rt.env.ports.clock.delay(ms, timerAbort.signal).then(
    () => {
      stepAbort.abort(new EngineError('STEP_TIMEOUT', `${stepId}: no answer within ${ms} ms`, { retryable: true }));
      throw stepAbort.signal.reason;
    },
    () => new Promise<never>(() => {}),
  );
  try {
    return await Promise.race([work(stepAbort.signal), timer]);
  } finally {
    timerAbort.abort();
  }
}
