import { Type, type Static } from '@sinclair/typebox';
import { EngineError } from '../errors.ts';
import { cooldownKey } from '../gates/cooldown.ts';
import { DEFAULT_MIN_CONFIDENCE, validateIntent, type IntentAccepted } from '../intents/validate.ts';
import { defineExecutor, type StepContext } from './executor.ts';
import { audited } from './audit.ts';

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
  run: async (ctx, input) => {
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
  run: async (ctx, input) => {
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
    const key = cooldownKey(`${v.intent.name}:${v.target ?? ''}`);
    if (v.intent.cooldownSeconds > 0 && (await ctx.ports.state.get(key)) !== null) {
      const reason = `${v.intent.name} on ${v.target ?? '(no target)'} ran less than ${v.intent.cooldownSeconds}s ago`;
      ctx.trace({ type: 'intent.refused', step: ctx.stepId, code: 'COOLDOWN', reason });
      throw new EngineError('INTENT_COOLDOWN', reason);
    }
    return execute(ctx, v, host, input.source ?? 'playbook', key);
  },
});

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

async function execute(ctx: StepContext, v: IntentAccepted, host: string | null, source: string, key: string) {
  const skip = ctx.run.shadow && !v.intent.readOnly;
  const timeoutMs = (v.intent.timeoutSeconds ?? 60) * 1000;
  ctx.trace({
    type: 'command',
    step: ctx.stepId,
    intent: v.intent.name,
    target: v.target,
    host,
    argv: v.argv,
    command: v.command,
    executed: !skip,
    ...(skip ? { note: 'shadow mode: not executed' } : {}),
  });
  const result = await audited(ctx, { v, host, source, shadow: skip }, async () => {
    if (skip) return null;
    // Marked before running: a crash mid-command must not let a retry run it again at once.
    if (v.intent.cooldownSeconds > 0 && !(await ctx.ports.state.setIfAbsent(key, ctx.run.id, v.intent.cooldownSeconds * 1000))) {
      throw new EngineError('INTENT_COOLDOWN', `${v.intent.name} on ${v.target ?? '(no target)'} is cooling down`);
    }
    return ctx.ports.shell.exec({ host, argv: v.argv, timeoutMs, signal: ctx.signal });
  });
  if (result === null) return { ok: true, shadowed: true, exit_code: null, stdout: '', stderr: '', command: v.command, intent: v.intent.name, target: v.target };
  return {
    ok: result.exitCode === 0,
    shadowed: false,
    exit_code: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    command: v.command,
    intent: v.intent.name,
    target: v.target,
  };
}
