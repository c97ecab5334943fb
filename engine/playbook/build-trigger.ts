import { parseDuration } from '../expr/index.ts';
import type { PlaybookDocument } from '../../schemas/playbook.ts';
import { scheduleProblems } from '../schedules/check.ts';
import type { CompileContext } from './compile-context.ts';
import type { Trigger } from './model.ts';

/** `on:`: the webhooks, the schedule, approvals, and the `when:` condition, each only if it passed the schema. */
export function buildTrigger(ctx: CompileContext, on: PlaybookDocument['on'] | undefined): Trigger {
  const none: Trigger = { webhooks: [], schedule: null, approval: false, when: null };
  if (on === undefined || ctx.broken.has(['on'])) return none;
  const when = on.when === undefined || ctx.broken.has(['on', 'when']) ? null : ctx.expr(on.when, ['on', 'when']);
  // A broken trigger key (a typo such as `webhok:`) is reported by the schema; no second error here.
  if (!on.webhook && !on.schedule && !on.approval && !ctx.broken.within(['on'], [['on', 'when']])) {
    ctx.report('SCHEMA', 'on: needs a trigger: webhook:, schedule: or approval:', ['on'], { key: true });
  }
  const webhooks = on.webhook === undefined || ctx.broken.has(['on', 'webhook']) ? [] : Array.isArray(on.webhook) ? on.webhook : [on.webhook];
  let schedule: Trigger['schedule'] = null;
  if (on.schedule && !ctx.broken.has(['on', 'schedule'])) {
    const s = on.schedule;
    schedule = { everyMs: s.every ? parseDuration(s.every) : null, cron: s.cron ?? null, timezone: s.timezone ?? null };
    if ((schedule.everyMs === null) === (schedule.cron === null)) ctx.report('SCHEMA', 'schedule: needs exactly one of every: or cron:', ['on', 'schedule']);
    // The same check the schedule drivers make at server start, here at lint.
    for (const p of scheduleProblems(schedule)) ctx.report(p.code, p.message, ['on', 'schedule', p.field], { severity: p.severity });
  }
  return { webhooks, schedule, approval: !ctx.broken.has(['on', 'approval']) && on.approval === true, when };
}
