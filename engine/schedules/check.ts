import { CronPattern } from 'croner';

/** A playbook's `on.schedule` as the engine and both schedule drivers see it. */
export interface ScheduleFields {
  everyMs: number | null;
  cron: string | null;
  timezone: string | null;
}

type ScheduleProblemCode = 'SCHEDULE_EVERY' | 'SCHEDULE_CRON' | 'SCHEDULE_TIMEZONE';

export interface ScheduleProblem {
  code: ScheduleProblemCode;
  /** The key of `on.schedule` at fault. */
  field: 'every' | 'cron' | 'timezone';
  message: string;
  severity: 'error' | 'warning';
}

/**
 * The one check of a schedule, used by lint (located diagnostics) and by the schedule drivers
 * (runtime/schedules, before they start a timer or a job scheduler), so a schedule is refused at
 * lint for the same reasons it would be at server start. Pure: croner's CronPattern only parses
 * (no timer, no clock), and a time zone is checked with Intl, which reads no clock either.
 * Exactly one of every and cron is a schema matter, reported elsewhere; this checks each one given.
 */
export function scheduleProblems(s: ScheduleFields): ScheduleProblem[] {
  const out: ScheduleProblem[] = [];
  const error = (code: ScheduleProblemCode, field: ScheduleProblem['field'], message: string) => out.push({ code, field, message, severity: 'error' });
  if (s.everyMs !== null && !(Number.isSafeInteger(s.everyMs) && s.everyMs > 0)) {
    error('SCHEDULE_EVERY', 'every', `every: must be a positive interval (such as 30s), got ${s.everyMs} ms`);
  }
  let zoneOk = true;
  if (s.timezone !== null) {
    zoneOk = isTimeZone(s.timezone);
    if (!zoneOk) error('SCHEDULE_TIMEZONE', 'timezone', `unknown time zone ${JSON.stringify(s.timezone)}; use an IANA name such as Europe/Paris or UTC`);
    else if (s.cron === null) {
      out.push({ code: 'SCHEDULE_TIMEZONE', field: 'timezone', message: 'timezone: only applies to cron:; an every: schedule ignores it', severity: 'warning' });
    }
  }
  if (s.cron !== null) {
    const problem = cronProblem(s.cron, zoneOk ? s.timezone : null);
    if (problem !== null) error('SCHEDULE_CRON', 'cron', `invalid cron ${JSON.stringify(s.cron)}: ${problem}`);
  }
  return out;
}

function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** croner's own message, without its class-name prefix; null when the pattern parses. */
function cronProblem(cron: string, timezone: string | null): string | null {
  try {
    new CronPattern(cron, timezone ?? undefined);
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
}
