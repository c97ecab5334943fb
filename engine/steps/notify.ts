import { Type, type Static } from '@sinclair/typebox';
import { describeError, EngineError } from '../errors.ts';
import { parseDuration } from '../expr/index.ts';
import type { Notification } from '../ports/notifier.ts';
import { isShadowed, type EffectRequest } from '../effects/effect.ts';
import { argsHash } from '../tools/args-hash.ts';
import { lookupTool } from '../tools/model.ts';
import { defineExecutor, perform, type StepContext } from './executor.ts';

const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);

const Link = Type.Object(
  { label: Type.String({ minLength: 1 }), url: Type.String({ pattern: '^(https?|mailto):', description: 'http(s):// or mailto: only.' }) },
  { additionalProperties: false },
);

const NotifyInput = Type.Object(
  {
    channel: Type.String({ minLength: 1 }),
    severity: Type.Optional(Severity),
    subject: Type.String(),
    body: Type.Optional(Type.String()),
    to: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 50, description: 'Recipients: mail addresses, chat handles.' })),
    links: Type.Optional(Type.Array(Link, { maxItems: 20 })),
    html: Type.Optional(Type.String({ maxLength: 256 * 1024, description: 'An HTML part (mail); body is the text fallback.' })),
  },
  { additionalProperties: false },
);

/** What became of a notification: sent, kept back by shadow mode, or failed (with why). */
type Delivery = { sent: true } | { sent: false; shadowed: true } | { sent: false; shadowed: false; error: { code: string; message: string } };

/**
 * Sends (or, in shadow mode, only records) a notification. A notifier that fails (SMTP refused,
 * a webhook down) is recorded in the trace and the step's output, never thrown: telling people
 * must not undo or fail the remediation before it, nor keep an approval from waiting.
 */
function* deliver(ctx: StepContext, n: Notification): Generator<EffectRequest, Delivery, unknown> {
  ctx.trace({ type: 'notify', step: ctx.stepId, channel: n.channel, subject: n.subject });
  try {
    return isShadowed(yield* perform({ kind: 'notify.send', notification: n })) ? { sent: false, shadowed: true } : { sent: true };
  } catch (e) {
    const err = describeError(e);
    ctx.trace({ type: 'notify.failed', step: ctx.stepId, channel: n.channel, code: err.code, reason: err.message });
    return { sent: false, shadowed: false, error: { code: err.code, message: err.message } };
  }
}

export const notifyStep = defineExecutor<Static<typeof NotifyInput>>({
  name: 'notify.send',
  summary: 'Sends a notification (mail, chat) through the notifier.',
  effect: 'write',
  input: NotifyInput,
  defaultTimeoutMs: 30_000,
  run: function* (ctx, input) {
    const d = yield* deliver(ctx, {
      channel: input.channel,
      severity: input.severity ?? 'info',
      subject: input.subject,
      body: input.body ?? '',
      ...(input.to ? { to: input.to } : {}),
      ...(input.links ? { links: input.links } : {}),
      ...(input.html !== undefined ? { html: input.html } : {}),
    });
    // Failed: the output says why and the run goes on (${tell.sent} is false, ${tell.error.code}).
    return d.sent ? { sent: true, shadowed: false } : d.shadowed ? { sent: false, shadowed: true } : { sent: false, shadowed: false, error: d.error };
  },
});

const EscalateInput = Type.Object(
  {
    level: Type.String({ minLength: 1, description: 'N2, N3, human...' }),
    reason: Type.String(),
    channel: Type.Optional(Type.String()),
    body: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Hands the incident to the next level: the run ends as escalated, with the reason in the trace. */
export const escalateStep = defineExecutor<Static<typeof EscalateInput>>({
  name: 'escalate',
  summary: 'Escalates to the next level (N2, N3, a human) and marks the run escalated.',
  effect: 'write',
  input: EscalateInput,
  defaultTimeoutMs: 30_000,
  run: function* (ctx, input) {
    ctx.setOutcome('escalated', `${input.level}: ${input.reason}`);
    const d = yield* deliver(ctx, {
      channel: input.channel ?? 'escalation',
      severity: 'critical',
      subject: `[${input.level}] ${input.reason}`,
      body: input.body ?? input.reason,
    });
    return { level: input.level, reason: input.reason, notified: d.sent, ...('error' in d ? { notify_error: d.error } : {}) };
  },
});

const ApprovalInput = Type.Object(
  {
    intent: Type.Optional(Type.String({ description: 'The intent to approve (with target:); or tool: and args: for an L3 tool.' })),
    target: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    tool: Type.Optional(Type.String({ description: 'An L3 tool of tools/catalog.yaml to approve, for exactly the args: given.' })),
    args: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The exact arguments the tool call will be given.' })),
    host: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    reason: Type.String(),
    channel: Type.Optional(Type.String()),
    expires_in: Type.Optional(Type.String({ description: 'How long people have to decide (default 1h); then the step takes on_timeout:.' })),
    to: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 50, description: 'Who is asked: mail addresses, chat handles.' })),
    links: Type.Optional(Type.Array(Link, { maxItems: 20, description: 'Links for the people asked (the request, the ticket).' })),
    html: Type.Optional(Type.String({ maxLength: 256 * 1024, description: 'An HTML part for the request (mail); the text says how to decide.' })),
  },
  { additionalProperties: false },
);

const DEFAULT_APPROVAL_MS = 3_600_000;

/**
 * Asks people to approve an intent and suspends the run until they decide: nothing is held in
 * memory meanwhile, and any process resumes it. Approved: the grant joins the run (the only thing
 * that lets intent.run run an approval-required intent) and the run goes on. Rejected: the step
 * fails with APPROVAL_REJECTED (on_error:). Expired: APPROVAL_EXPIRED (on_timeout:, else on_error:).
 */
export const approvalStep = defineExecutor<Static<typeof ApprovalInput>>({
  name: 'approval.request',
  summary: 'Asks a human to approve an intent; the run waits, durably, for the decision.',
  effect: 'write',
  input: ApprovalInput,
  defaultTimeoutMs: 30_000,
  run: function* (ctx, input) {
    const ttlMs = input.expires_in === undefined ? DEFAULT_APPROVAL_MS : parseDuration(input.expires_in);
    if (ttlMs === null) throw new EngineError('STEP_INPUT', `approval.request: bad expires_in ${JSON.stringify(input.expires_in)}`);
    const subject = approvalSubject(input);
    if (input.tool !== undefined) checkApprovableTool(ctx, input.tool, input.args ?? {});
    const approvalId = yield* perform({ kind: 'id.new', prefix: 'apr_' });
    const host = input.host ?? null;
    yield* deliver(ctx, {
      channel: input.channel ?? 'approvals',
      severity: 'warning',
      subject: `Approval needed: ${subject.intent} ${subject.target ?? ''}`.trim(),
      body: `${input.reason}\n\nRun ${ctx.run.id}, step ${ctx.stepId}, approval ${approvalId}. Decide with: engine approve ${ctx.run.id} --step ${ctx.stepId} --approve|--reject --by NAME`,
      ...(input.to ? { to: input.to } : {}),
      ...(input.links ? { links: input.links } : {}),
      ...(input.html !== undefined ? { html: input.html } : {}),
    });
    const expiresAt = Date.parse(ctx.nowIso()) + ttlMs;
    const answer = yield* perform({ kind: 'approval.await', approvalId, intent: subject.intent, target: subject.target, host, reason: input.reason, expiresAt, ...subject.tool });
    const base = { approval_id: approvalId, intent: subject.intent, target: subject.target, host, ...(subject.tool.tool === undefined ? {} : { tool: subject.tool.tool, args_hash: subject.tool.argsHash }) };
    if (isShadowed(answer)) {
      // Shadow mode asks nobody: the run records that it would wait here.
      ctx.setOutcome('waiting', `approval ${approvalId} would be requested: ${input.reason}`);
      return { ...base, status: 'pending', shadowed: true };
    }
    const who = answer.by ?? 'nobody';
    if (answer.decision === 'rejected') {
      throw new EngineError('APPROVAL_REJECTED', `${who} rejected ${subject.intent} on ${subject.target ?? '(no target)'}${answer.reason ? `: ${answer.reason}` : ''}`);
    }
    if (answer.decision === 'expired') {
      throw new EngineError('APPROVAL_EXPIRED', `nobody decided on ${subject.intent} on ${subject.target ?? '(no target)'} before ${new Date(expiresAt).toISOString()}`);
    }
    return { ...base, status: 'approved', by: answer.by, decided_at: answer.at, reason: answer.reason };
  },
});

/** People are never asked to approve a call the engine would refuse: the tool must be catalogued and the arguments fit its schema. */
function checkApprovableTool(ctx: StepContext, name: string, args: Record<string, unknown>): void {
  const def = lookupTool(ctx.tools, name);
  if (def === undefined) {
    throw new EngineError('TOOL_REFUSED', `approval.request: unknown tool ${JSON.stringify(name)}: it is not in the tool catalog, so nobody is asked`, { details: { code: 'TOOL_UNKNOWN', tool: name } });
  }
  const problem = def.checkArgs(args);
  if (problem !== null) {
    throw new EngineError('TOOL_REFUSED', `approval.request: invalid args for tool ${name}: ${problem}; nobody is asked`, { details: { code: 'TOOL_INVALID_ARGS', tool: name } });
  }
}

/**
 * What an approval names: an intent and its target, or an L3 tool and the hash of its exact
 * arguments (then `intent` reads `tool:NAME`, which no intent name can be, and there is no target).
 */
function approvalSubject(input: Static<typeof ApprovalInput>): { intent: string; target: string | null; tool: { tool?: string; argsHash?: string } } {
  if (input.tool !== undefined) {
    if (input.intent !== undefined || input.target !== undefined) throw new EngineError('STEP_INPUT', 'approval.request: give intent: and target:, or tool: and args:, not both');
    return { intent: `tool:${input.tool}`, target: null, tool: { tool: input.tool, argsHash: argsHash(input.args ?? {}) } };
  }
  if (input.args !== undefined) throw new EngineError('STEP_INPUT', 'approval.request: args: goes with tool:');
  if (input.intent === undefined) throw new EngineError('STEP_INPUT', 'approval.request: give intent: (and target:), or tool: and args:');
  return { intent: input.intent, target: input.target ?? null, tool: {} };
}
