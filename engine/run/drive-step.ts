import { describeError, EngineError } from '../errors.ts';
import { truthy } from '../expr/truthy.ts';
import type { Step } from '../playbook/model.ts';
import { checkStepInput } from '../steps/input-check.ts';
import { lookupTool } from '../tools/model.ts';
import { lookupIntent } from '../intents/model.ts';
import { REDACTED } from '../trace/redact.ts';
import { driveBlock, newBlock } from './drive-block.ts';
import { driveUse } from './drive-use.ts';
import type { StepNode, StepOutcome } from './machine.ts';
import type { Frame, Turn } from './turn.ts';

const MAX_ITEMS = 1000;

type Entered = StepNode | { done: StepOutcome };

/**
 * Enters a step: the loop guard, `when:`, its input, its start in the trace. Steps that need no
 * effect (switch, decide, a skipped step) end here; the others return their node.
 */
export function enterStep(t: Turn, step: Step, frame: Frame): Entered {
  const { m } = t;
  if (++m.stepsRun > t.program.maxSteps) throw new EngineError('STEP_LIMIT', `more than ${t.program.maxSteps} steps ran: a next: loop?`);
  m.path.push(step.id);
  const address = frame.prefix + step.id;
  const visit = (m.visits[address] ?? 0) + 1;
  m.visits[address] = visit;
  const startedAt = m.now;
  try {
    if (step.when && !truthy(step.when.evaluate(t.evalScope(frame)))) {
      t.target(frame)[step.id] = null;
      m.path.pop(); // the path lists the steps that ran
      t.record({ type: 'step.end', step: step.id, status: 'skipped', durationMs: 0, output: { reason: `when: ${step.when.source}` } });
      return { done: { kind: 'skipped' } };
    }
    if (frame.deadline !== null && startedAt >= frame.deadline.at) {
      throw new EngineError('STEP_TIMEOUT', `${frame.deadline.step}: no answer within ${frame.deadline.ms} ms`, { retryable: true });
    }
    const base = { step: step.id, address, visit, startedAt };
    switch (step.kind) {
      case 'use': {
        const executor = t.program.executors.get(step.use);
        if (!executor) throw new EngineError('STEP_UNKNOWN_KIND', `no step executor named ${step.use}`);
        const input = (step.with ? step.with.evaluate(t.evalScope(frame)) : {}) as Record<string, unknown>;
        t.record({ type: 'step.start', step: step.id, use: step.use, input: step.use === 'tool.call' ? maskSecretArgs(t, input) : input });
        checkStepInput(step.use, executor.input, input);
        const deadline = earliest(frame.deadline, startedAt, step.id, useTimeout(t, step, input, executor.defaultTimeoutMs));
        return { kind: 'use', ...base, deadline, input, results: [], awaiting: null, traced: 0 };
      }
      case 'parallel': {
        t.record({ type: 'step.start', step: step.id });
        const deadline = earliest(frame.deadline, startedAt, step.id, step.timeoutMs);
        const inner = { ...frame, deadline };
        return { kind: 'parallel', ...base, deadline, branches: step.branches.map((b) => enterStep(t, b, inner)) };
      }
      case 'for_each': {
        const items = step.items.evaluate(t.evalScope(frame));
        if (!Array.isArray(items)) throw new EngineError('FOR_EACH_NOT_LIST', `for_each: ${step.items.source} is not a list`);
        if (items.length > MAX_ITEMS) throw new EngineError('FOR_EACH_TOO_MANY', `for_each: ${items.length} items, at most ${MAX_ITEMS}`);
        t.record({ type: 'step.start', step: step.id, input: { items: items.length } });
        const deadline = earliest(frame.deadline, startedAt, step.id, step.timeoutMs);
        return { kind: 'for_each', ...base, deadline, items, next: 0, rows: items.map(() => null), running: [] };
      }
      case 'group': {
        t.record({ type: 'step.start', step: step.id });
        const deadline = earliest(frame.deadline, startedAt, step.id, step.timeoutMs);
        return { kind: 'group', ...base, deadline, body: newBlock(step.id, null) };
      }
      case 'switch': {
        const raw = step.on.evaluate(t.evalScope(frame));
        const value = raw === null || raw === undefined ? '' : String(raw);
        const to = Object.prototype.hasOwnProperty.call(step.cases, value) ? step.cases[value]! : step.default;
        t.target(frame)[step.id] = value;
        if (to === null) throw new EngineError('SWITCH_NO_CASE', `switch ${step.on.source}: no case for ${JSON.stringify(value)} and no default`);
        return { done: finish(t, step, frame, startedAt, { ok: true, output: value }, { kind: 'jump', to }) };
      }
      case 'decide': {
        const s = t.evalScope(frame);
        let row = step.rows.findIndex((r) => truthy(r.when.evaluate(s)));
        const then = row >= 0 ? step.rows[row]!.then : step.otherwise;
        if (row < 0) row = step.rows.length;
        t.record({ type: 'decision', step: step.id, row: row + 1, when: row < step.rows.length ? step.rows[row]!.when.source : null, then });
        // A table with named outputs is the run's decision through its `decision` output, if it has one.
        const named = typeof then === 'string' ? then : typeof then['decision'] === 'string' ? then['decision'] : null;
        if (!frame.nested && named !== null) m.decision = named;
        return { done: finish(t, step, frame, startedAt, { ok: true, output: then }) };
      }
    }
  } catch (e) {
    if (isFatal(e)) throw e;
    const err = describeError(e);
    return { done: finish(t, step, frame, startedAt, { ok: false, error: err }) };
  }
}

/** Drives an entered step on: its outcome once it ended, null while it waits for effects. */
export function driveStep(t: Turn, node: StepNode, frame: Frame): StepOutcome | null {
  const step = t.program.steps.get(node.step)!;
  switch (node.kind) {
    case 'use': {
      const use = step as Extract<Step, { kind: 'use' }>;
      const p = driveUse(t, node, use);
      if (p === null) return null;
      if (!p.ok) return finish(t, step, frame, node.startedAt, { ok: false, error: p.error });
      return finish(t, step, frame, node.startedAt, { ok: true, output: p.output, traced: use.use === 'tool.call' ? maskSecretResult(t, node.input, p.output) : p.output });
    }
    case 'parallel': {
      const inner = { ...frame, deadline: node.deadline };
      const def = step as Extract<Step, { kind: 'parallel' }>;
      let waiting = false;
      node.branches.forEach((b, i) => {
        if ('done' in b) return;
        const o = driveStep(t, b, inner);
        if (o === null) waiting = true;
        else node.branches[i] = { done: o };
      });
      const failedFast = def.onBranchError === 'fail' && node.branches.some((b) => 'done' in b && b.done.kind === 'error');
      if (waiting && !failedFast) return null;
      // One failed branch fails the step at once: the others are abandoned, their answers ignored.
      for (const b of node.branches) if (!('done' in b)) abandon(t, b);
      const out: Record<string, unknown> = {};
      let failed: { code: string; message: string } | null = null;
      for (const [i, b] of def.branches.entries()) {
        const b0 = node.branches[i]!;
        if (!('done' in b0)) continue;
        const o = b0.done;
        if (o.kind !== 'error') out[b.id] = t.target(frame)[b.id];
        else if (def.onBranchError === 'continue') out[b.id] = t.target(frame)[b.id] = { error: o.error };
        else failed ??= o.error;
      }
      if (failed) return finish(t, step, frame, node.startedAt, { ok: false, error: { code: failed.code, message: `a parallel branch failed: ${failed.message}` } });
      return finish(t, step, frame, node.startedAt, { ok: true, output: out });
    }
    case 'for_each':
      return driveForEach(t, node, step as Extract<Step, { kind: 'for_each' }>, frame);
    case 'group': {
      const def = step as Extract<Step, { kind: 'group' }>;
      const o = driveBlock(t, node.body, { ...frame, deadline: node.deadline, nested: true });
      if (o === null) return null;
      if (o.kind === 'error') return finish(t, step, frame, node.startedAt, { ok: false, error: { code: o.error.code, message: `${o.error.step}: ${o.error.message}` } });
      const out: Record<string, unknown> = {};
      for (const sub of def.steps) out[sub.id] = t.target(frame)[sub.id];
      return finish(t, step, frame, node.startedAt, { ok: true, output: out });
    }
  }
}

/**
 * Runs the items, `concurrency` at a time, each in its own body (its locals, its addresses
 * `step[i].sub`): a waiting item (an approval) does not hold back the others beyond that bound.
 * With `on_item_error: fail` the first failed item fails the step and the others are abandoned.
 */
function driveForEach(t: Turn, node: Extract<StepNode, { kind: 'for_each' }>, step: Extract<Step, { kind: 'for_each' }>, frame: Frame): StepOutcome | null {
  for (;;) {
    while (node.running.length < step.concurrency && node.next < node.items.length) {
      node.running.push({ index: node.next, body: newBlock(step.id, { [step.as]: node.items[node.next], index: node.next }) });
      node.next += 1;
    }
    if (node.running.length === 0) return finish(t, step, frame, node.startedAt, { ok: true, output: node.rows });
    let ended = false;
    for (const item of [...node.running]) {
      const locals = item.body.locals!;
      const inner: Frame = { scopes: [...frame.scopes, locals], prefix: `${frame.prefix}${step.id}[${item.index}].`, deadline: node.deadline, nested: true };
      const o = driveBlock(t, item.body, inner);
      if (o === null) continue;
      ended = true;
      node.running.splice(node.running.indexOf(item), 1);
      const row: Record<string, unknown> = {};
      for (const sub of step.steps) row[sub.id] = locals[sub.id];
      if (o.kind === 'error') {
        if (step.onItemError !== 'continue') {
          for (const other of node.running) if (other.body.current) abandon(t, other.body.current);
          node.running = [];
          return finish(t, step, frame, node.startedAt, { ok: false, error: { code: o.error.code, message: `item ${item.index}: ${o.error.step}: ${o.error.message}` } });
        }
        row['error'] = o.error;
      }
      node.rows[item.index] = row;
    }
    // Every running item waits: so does the step. One ended: start the next ones.
    if (!ended) return null;
  }
}

/** Drops the effects a step still waits for: the step will never be driven again. */
function abandon(t: Turn, node: StepNode): void {
  switch (node.kind) {
    case 'use':
      if (node.awaiting !== null) delete t.m.pending[node.awaiting];
      return;
    case 'parallel':
      for (const b of node.branches) if (!('done' in b)) abandon(t, b);
      return;
    case 'for_each':
      for (const item of node.running) if (item.body.current) abandon(t, item.body.current);
      return;
    case 'group':
      if (node.body.current) abandon(t, node.body.current);
      return;
  }
}

/** `traced`: the output as the trace shows it (secrets masked), when it differs from what the run reads. */
type Ending = { ok: true; output: unknown; traced?: unknown } | { ok: false; error: { code: string; message: string } };

/** Writes a step's output (null on error) and its end in the trace; returns its outcome. */
function finish(t: Turn, step: Step, frame: Frame, startedAt: number, end: Ending, outcome: StepOutcome = { kind: 'ran' }): StepOutcome {
  const durationMs = t.m.now - startedAt;
  if (end.ok) {
    t.target(frame)[step.id] = end.output;
    t.record({ type: 'step.end', step: step.id, status: 'ok', durationMs, output: 'traced' in end ? end.traced : end.output });
    return outcome;
  }
  t.target(frame)[step.id] = null;
  t.record({ type: 'step.end', step: step.id, status: 'error', durationMs, error: { code: end.error.code, message: end.error.message } });
  return { kind: 'error', error: { step: step.id, code: end.error.code, message: end.error.message } };
}

function earliest(outer: Frame['deadline'], startedAt: number, step: string, ms: number | null): Frame['deadline'] {
  if (ms === null) return outer;
  const own = { at: startedAt + ms, step, ms };
  return outer !== null && outer.at <= own.at ? outer : own;
}

/** Errors that end the run rather than the step: a `next:` loop, a jump nowhere. */
function isFatal(e: unknown): boolean {
  return e instanceof EngineError && (e.code === 'STEP_LIMIT' || e.code === 'STEP_UNKNOWN_REF');
}

/** What an intent.run step adds to its command's timeout: the audit rows, the cooldown mark. */
const INTENT_STEP_MARGIN_MS = 30_000;

/**
 * A step's time bound: its own `timeout:`, else its executor's default; a tool call is also
 * bounded by the catalog's `timeout_seconds` for that tool, which a playbook cannot raise.
 */
function useTimeout(t: Turn, step: Extract<Step, { kind: 'use' }>, input: Record<string, unknown>, fallback: number): number {
  if (step.use === 'intent.run' && step.timeoutMs === null) {
    // A command may take its intent's timeout_seconds (a restart: 120 s); the step leaves it that,
    // and room for its audit rows and cooldown mark, rather than cutting it at the default.
    const intent = typeof input['intent'] === 'string' ? lookupIntent(t.program.catalog, input['intent']) : undefined;
    const command = intent?.timeoutSeconds;
    return command === undefined || command === null ? fallback : Math.max(fallback, command * 1000 + INTENT_STEP_MARGIN_MS);
  }
  const def = step.use === 'tool.call' ? lookupTool(t.program.tools, input['name']) : undefined;
  if (def === undefined) return step.timeoutMs ?? fallback;
  const bound = def.timeoutSeconds * 1000;
  return Math.min(step.timeoutMs ?? bound, bound);
}

/** The fields of a tool's result the catalog marks secret (a generated password) are masked in the trace. */
function maskSecretResult(t: Turn, input: Record<string, unknown>, output: unknown): unknown {
  const def = lookupTool(t.program.tools, input['name']);
  const o = output as { result?: unknown } | null;
  if (!def || def.secretResult.length === 0 || o === null || typeof o.result !== 'object' || o.result === null || Array.isArray(o.result)) return output;
  const result: Record<string, unknown> = { ...(o.result as Record<string, unknown>) };
  for (const field of def.secretResult) if (field in result) result[field] = REDACTED;
  return { ...o, result };
}

/** A tool's secret arguments (the catalog marks them) never reach the trace in clear, whatever their names. */
function maskSecretArgs(t: Turn, input: Record<string, unknown>): Record<string, unknown> {
  const def = lookupTool(t.program.tools, input['name']);
  const args = input['args'];
  if (!def || def.secretArgs.length === 0 || typeof args !== 'object' || args === null) return input;
  const masked: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const field of def.secretArgs) if (field in masked) masked[field] = REDACTED;
  return { ...input, args: masked };
}
