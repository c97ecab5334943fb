/** A playbook's `on.schedule`: `every: 30s`, or `cron:` with an optional IANA time zone. */
export interface ScheduleSpec {
  playbook: string;
  everyMs: number | null;
  cron: string | null;
  timezone: string | null;
}

/**
 * The set of active schedules. `sync` is idempotent and makes the set exactly `specs` (a reload
 * adds, changes and removes). Each firing reaches exactly one process: in-process timers in the
 * embedded profile, BullMQ job schedulers (delivered as `schedule` jobs) in the distributed one.
 */
export interface Schedules {
  sync(specs: readonly ScheduleSpec[]): Promise<void>;
  /** Next firing time of each active schedule (epoch ms), for `GET /schedules` and tests. */
  next(): Promise<{ playbook: string; at: number | null }[]>;
  stop(): Promise<void>;
}
