import type { Playbook } from '../../engine/playbook/model.ts';
import type { ScheduleSpec } from '../schedules/schedules.ts';

/** The schedules declared by the playbooks in force. */
export function scheduleSpecs(playbooks: readonly Playbook[]): ScheduleSpec[] {
  return playbooks.flatMap((p) =>
    p.trigger.schedule ? [{ playbook: p.ref.name, everyMs: p.trigger.schedule.everyMs, cron: p.trigger.schedule.cron, timezone: p.trigger.schedule.timezone }] : [],
  );
}
