import { Type, type Static } from '@sinclair/typebox';
import { describeError, EngineError } from '../errors.ts';
import { intentCooldownKey } from '../gates/cooldown.ts';
import { DEFAULT_MIN_CONFIDENCE, validateIntent, type IntentAccepted } from '../intents/validate.ts';
import { defineExecutor, perform, type StepContext, type StepRun } from './executor.ts';
import { closeAudit, openAudit } from './audit.ts';
import { commandNotStarted, type ShellResult } from '../ports/shell.ts';
import { isShadowed } from '../effects/effect.ts';
import { renderCommand } from '../intents/render.ts';

const Proposal = {
  intent: Type.Unknown({ description: 'The intent name (from a model, memory or the playbook).' }),
  target: Type.Optional(Type.Unknown()),
  confidence: Type.Optional(Type.Unknown()),
  expected_target: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'The alerting service: another target goes to a human.' })),
  min_confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
};

const ValidateInput = Type.Object(Proposal, { additionalProperties: false });

/** The five-step validation as a pure step: {ok, code, reason, step, command, risk, requires_approval}. */
export const intentValidateStep = defineExecutor<Static<typeof ValidateInput>>({
  name: 'intent.validate',
  summary: 'Validates a proposed intent against the catalog (seed 003, five steps) without running it.',
  effect: 'pure',
  input: ValidateInput,
  defaultTimeoutMs: 1000,
  run: function* (ctx, input) {
    const v = check(ctx, input);
    if (!v.ok) {
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: v.code, reason: v.reason });
      return { ok: false, code: v.code, step: v.step, reason: v.reason, intent: input.intent ?? null, target: input.target ?? null };
    }
    return {
      ok: true,
      code: null,
      step: null,
      reason: null,
      intent: v.intent.name,
      target: v.target,
      command: v.command,
      risk: v.intent.risk,
      requires_approval: v.intent.requiresApproval,
      read_only: v.intent.readOnly,
    };
  },
});

const RunInput = Type.Object(
  {
    ...Proposal,
    host: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    source: Type.Optional(Type.String({ description: 'Decision source for the audit trail: fast_track, llm_consensus, human...' })),
  },
  { additionalProperties: false },
);

const HOST_GRAMMAR = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$/;

/**
 * Runs a catalogued intent: validates it again (never trusts the caller), honours its cooldown,
 * writes the audit row before and after, and executes through the Shell port — unless in shadow
 * mode and the intent changes the system.
 */
export const intentRunStep = defineExecutor<Static<typeof RunInput>>({
  name: 'intent.run',
  summary: 'Validates and executes a catalogued intent on a host, with cooldown and audit.',
  effect: 'write',
  input: RunInput,
  defaultTimeoutMs: 60_000,
  run: function* (ctx, input) {
    const v = check(ctx, { ...input, min_confidence: input.confidence === undefined ? 0 : input.min_confidence });
    if (!v.ok) {
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: v.code, reason: v.reason });
      throw new EngineError('INTENT_REFUSED', `${v.code}: ${v.reason}`, { details: { code: v.code, step: v.step } });
    }
    const host = input.host ?? null;
    if (host !== null && (!HOST_GRAMMAR.test(host) || host.includes('..'))) {
      const reason = `host ${JSON.stringify(host)} is not a valid host name`;
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: 'HOST_INVALID', reason });
      throw new EngineError('INTENT_REFUSED', `HOST_INVALID: ${reason}`);
    }
    if (v.intent.requiresApproval && !approved(ctx, v.intent.name, v.target, host)) {
      const reason = `${v.intent.name} on ${v.target ?? '(no target)'} at ${host ?? 'the local host'} requires an approval, and this run holds none granted for it`;
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: 'APPROVAL_REQUIRED', reason });
      throw new EngineError('INTENT_REFUSED', `APPROVAL_REQUIRED: ${reason}`, { details: { code: 'APPROVAL_REQUIRED' } });
    }
    const key = intentCooldownKey(v.intent.name, v.target, host);
    if (v.intent.cooldownSeconds > 0 && (yield* perform({ kind: 'state.get', key })) !== null) {
      const reason = `${v.intent.name} on ${v.target ?? '(no target)'} at ${host ?? 'the local host'} ran less than ${v.intent.cooldownSeconds}s ago`;
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: 'COOLDOWN', reason });
      throw new EngineError('INTENT_COOLDOWN', reason);
    }
    return yield* execute(ctx, v, host, input.source ?? 'playbook', key);
  },
});

/** An approval counts only for exactly what it named: intent, target and host. */
function approved(ctx: StepContext, intent: string, target: string | null, host: string | null): boolean {
  return ctx.run.approvals.some((a) => a.tool === undefined && a.intent === intent && a.target === target && (a.host ?? null) === host);
}

function check(ctx: StepContext, input: Static<typeof ValidateInput>) {
  return validateIntent(
    ctx.catalog,
    { intent: input.intent, target: input.target ?? null, confidence: input.confidence ?? 1 },
    {
      minConfidence: input.min_confidence ?? DEFAULT_MIN_CONFIDENCE,
      ...(typeof input.expected_target === 'string' ? { expectedTarget: input.expected_target } : {}),
    },
  );
}

/** How long a verification may take at most: it is a status check, not a change. */
const VERIFY_TIMEOUT_MS = 30_000;

/**
 * After a change that exited as accepted, the intent's `verify:` (`systemctl is-active --
 * nginx`) says whether it took: exit 0 and the step succeeds; anything else fails it with
 * VERIFY_FAILED, so its on_error: route hands it on (seed 000: an N1 failure goes to N2). The
 * check is traced as a command of its own, `note: verify`.
 */
function* verifyChange(ctx: StepContext, v: IntentAccepted, host: string | null): StepRun<void> {
  const check = renderCommand({ ...v.intent, command: v.intent.verify! }, v.target);
  const base = { type: 'command', step: ctx.stepId, intent: v.intent.name, target: v.target, host, argv: check.argv, command: check.command } as const;
  let answer: ShellResult;
  try {
    const timeoutMs = Math.min((v.intent.timeoutSeconds ?? 60) * 1000, VERIFY_TIMEOUT_MS);
    answer = (yield* perform({ kind: 'shell.exec', host, argv: check.argv, timeoutMs, readOnly: true, verify: null })) as ShellResult;
  } catch (e) {
    const err = describeError(e);
    ctx.trace({ ...base, executed: !commandNotStarted(e), status: commandNotStarted(e) ? 'not_run' : 'interrupted', note: `verify: ${err.code}: ${err.message}` });
    throw new EngineError('VERIFY_FAILED', `${v.command} ran, but its verification ${check.command} did not answer: ${err.code}: ${err.message}`, { cause: e });
  }
  const ok = answer.exitCode === 0;
  ctx.trace({ ...base, executed: true, status: ok ? 'succeeded' : 'failed', exitCode: answer.exitCode, note: 'verify' });
  if (!ok) {
    throw new EngineError('VERIFY_FAILED', `${v.command} exited as accepted, but ${check.command} exited with ${answer.exitCode ?? 'no code'} on ${host ?? 'the local host'}: the change did not take`, {
      details: { exit_code: answer.exitCode, stdout: answer.stdout.slice(0, 4096), stderr: answer.stderr.slice(0, 4096) },
    });
  }
}

function* execute(ctx: StepContext, v: IntentAccepted, host: string | null, source: string, key: string): StepRun {
  const shadow = ctx.run.shadow && !v.intent.readOnly;
  const base = { type: 'command', step: ctx.stepId, intent: v.intent.name, target: v.target, host, argv: v.argv, command: v.command } as const;
  const auditId = yield* openAudit(ctx, { v, host, source, shadow });
  if (shadow) {
    ctx.trace({ ...base, executed: false, status: 'shadowed', note: 'shadow mode: not executed' });
    return { ok: true, shadowed: true, exit_code: null, stdout: '', stderr: '', command: v.command, intent: v.intent.name, target: v.target };
  }
  const cooling = v.intent.cooldownSeconds > 0;
  // Marked before running: a crash mid-command must not let a retry run it again at once.
  if (cooling && !(yield* perform({ kind: 'state.set_if_absent', key, value: ctx.run.id, ttlMs: v.intent.cooldownSeconds * 1000 }))) {
    const reason = `${v.intent.name} on ${v.target ?? '(no target)'} is cooling down`;
    yield* closeAudit(ctx, auditId, { kind: 'not_run', message: `INTENT_COOLDOWN: ${reason}` });
    ctx.trace({ ...base, executed: false, status: 'not_run', note: `not run: ${reason}` });
    throw new EngineError('INTENT_COOLDOWN', reason);
  }
  let result: ShellResult;
  try {
    const verify = v.intent.verify === null ? null : renderCommand({ ...v.intent, command: v.intent.verify }, v.target).argv;
    const timeoutMs = (v.intent.timeoutSeconds ?? 60) * 1000;
    const answer = yield* perform({ kind: 'shell.exec', host, argv: v.argv, timeoutMs, readOnly: v.intent.readOnly, verify });
    if (isShadowed(answer)) {
      // The driver keeps write effects from their port in shadow mode, whatever the step expected.
      yield* closeAudit(ctx, auditId, { kind: 'not_run', message: 'SHADOWED: shadow mode kept the command from the host' });
      ctx.trace({ ...base, executed: false, status: 'shadowed', note: 'shadow mode: not executed' });
      return { ok: true, shadowed: true, exit_code: null, stdout: '', stderr: '', command: v.command, intent: v.intent.name, target: v.target };
    }
    result = answer;
  } catch (e) {
    const err = describeError(e);
    const message = `${err.code}: ${err.message}`;
    if (commandNotStarted(e)) {
      // Nothing ran, so nothing cools down: the next alert may try again.
      if (cooling) yield* perform({ kind: 'state.delete', key });
      yield* closeAudit(ctx, auditId, { kind: 'not_run', message });
      ctx.trace({ ...base, executed: false, status: 'not_run', note: `not run: ${message}` });
    } else {
      yield* closeAudit(ctx, auditId, { kind: 'broken', message });
      ctx.trace({ ...base, executed: true, status: 'interrupted', note: `may have run: ${message}` });
    }
    throw e;
  }
  const changes = !v.intent.readOnly;
  const accepted = changes ? v.intent.acceptedExitCodes.includes(result.exitCode ?? -1) : result.exitCode === 0;
  yield* closeAudit(ctx, auditId, { kind: 'ran', ok: accepted, result });
  ctx.trace({ ...base, executed: true, status: accepted ? 'succeeded' : 'failed', exitCode: result.exitCode });
  if (changes && !accepted) {
    // A change that failed is not a result to route on: it fails the step (Rundeck, Ansible).
    throw new EngineError('COMMAND_FAILED', `${v.command} exited with ${result.exitCode ?? 'no code'} on ${host ?? 'the local host'} (accepted: ${v.intent.acceptedExitCodes.join(', ')})${result.stderr ? `: ${result.stderr.slice(0, 200)}` : ''}`, {
      details: { exit_code: result.exitCode, stdout: result.stdout.slice(0, 4096), stderr: result.stderr.slice(0, 4096) },
    });
  }
  if (changes && v.intent.verify !== null) yield* verifyChange(ctx, v, host);
  return {
    ok: accepted,
    shadowed: false,
    // A change whose verify: passed says so; nothing else carries the field.
    ...(changes && v.intent.verify !== null ? { verified: true } : {}),
    exit_code: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    command: v.command,
    intent: v.intent.name,
    target: v.target,
  };
}
