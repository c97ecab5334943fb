import { Type, type Static } from '@sinclair/typebox';
import type { Notification } from '../ports/notifier.ts';
import { isShadowed, type EffectRequest } from '../effects/effect.ts';
import { defineExecutor, perform, type StepContext } from './executor.ts';

const Severity = Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]);

const NotifyInput = Type.Object(
  { channel: Type.String({ minLength: 1 }), severity: Type.Optional(Severity), subject: Type.String(), body: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** Sends (or, in shadow mode, only records) a notification. */
function* deliver(ctx: StepContext, n: Notification): Generator<EffectRequest, boolean, unknown> {
  ctx.trace({ type: 'notify', step: ctx.stepId, channel: n.channel, subject: n.subject });
  return !isShadowed(yield* perform({ kind: 'notify.send', notification: n }));
}

export const notifyStep = defineExecutor<Static<typeof NotifyInput>>({
  name: 'notify.send',
  summary: 'Sends a notification (mail, chat) through the notifier.',
  effect: 'write',
  input: NotifyInput,
  defaultTimeoutMs: 30_000,
  run: function* (ctx, input) {
    const sent = yield* deliver(ctx, { channel: input.channel, severity: input.severity ?? 'info', subject: input.subject, body: input.body ?? '' });
    return { sent, shadowed: !sent };
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
    const sent = yield* deliver(ctx, {
      channel: input.channel ?? 'escalation',
      severity: 'critical',
      subject: `[${input.level}] ${input.reason}`,
      body: input.body ?? input.reason,
    });
    return { level: input.level, reason: input.reason, notified: sent };
  },
});

const ApprovalInput = Type.Object(
  {
    intent: Type.String(),
    target: Type.Union([Type.String(), Type.Null()]),
    host: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    reason: Type.String(),
    channel: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Asks people to approve an intent; the run waits for their answer. */
export const approvalStep = defineExecutor<Static<typeof ApprovalInput>>({
  name: 'approval.request',
  summary: 'Asks a human to approve an intent; the run is parked as waiting.',
  effect: 'write',
  input: ApprovalInput,
  defaultTimeoutMs: 30_000,
  run: function* (ctx, input) {
    const approvalId = yield* perform({ kind: 'id.new', prefix: 'apr_' });
    ctx.setOutcome('waiting', `approval ${approvalId} requested: ${input.reason}`);
    yield* deliver(ctx, {
      channel: input.channel ?? 'approvals',
      severity: 'warning',
      subject: `Approval needed: ${input.intent} ${input.target ?? ''}`.trim(),
      body: input.reason,
    });
    return { approval_id: approvalId, status: 'pending', intent: input.intent, target: input.target };
  },
});
