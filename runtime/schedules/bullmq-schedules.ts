import { Queue } from 'bullmq';
import type { JobSchedulerJson, RepeatOptions } from 'bullmq';
import { EngineError } from '../../engine/errors.ts';
import { bullmqQueueOptions, reportToStderr, SCHEDULE_JOB } from '../queue/bullmq-queue.ts';
import type { BullmqQueueConfig } from '../queue/bullmq-queue.ts';
import { checkScheduleSpecs } from './embedded-schedules.ts';
import type { ScheduleSpec, Schedules } from './schedules.ts';

/** Scheduler ids this class owns; other schedulers on the queue are left alone. */
const ID_PREFIX = 'schedule:';

function schedulerId(playbook: string): string {
  return `${ID_PREFIX}${playbook}`;
}

/**
 * The distributed profile's schedules: one BullMQ job scheduler per playbook on the run queue.
 * Redis holds the scheduler and its next job (id `repeat:schedule:<playbook>:<slot ms>`), so a
 * firing is produced once and delivered to one worker however many processes sync the same specs.
 *
 * An `every` schedule first fires one interval after it is created, as in the embedded profile
 * (BullMQ alone would fire it at once). `sync` only writes schedulers whose repeat options changed,
 * so a reload or a restart does not move the next firing.
 */
export class BullmqSchedules implements Schedules {
  readonly #queue: Queue;

  constructor(config: BullmqQueueConfig) {
    this.#queue = new Queue(config.queueName, bullmqQueueOptions(config));
    this.#queue.on('error', config.onError ?? reportToStderr);
  }

  async sync(specs: readonly ScheduleSpec[]): Promise<void> {
    checkScheduleSpecs(specs);
    const existing = new Map((await this.#owned()).map((s) => [playbookOf(s), s]));
    for (const spec of specs) {
      const current = existing.get(spec.playbook);
      if (current !== undefined && sameRepeat(current, spec)) continue;
      await this.#call(`cannot schedule playbook ${spec.playbook}`, () =>
        this.#queue.upsertJobScheduler(schedulerId(spec.playbook), repeatOf(spec, Date.now()), {
          name: SCHEDULE_JOB,
          data: { playbook: spec.playbook },
        }),
      );
    }
    const wanted = new Set(specs.map((s) => s.playbook));
    for (const playbook of existing.keys()) {
      if (wanted.has(playbook)) continue;
      await this.#call(`cannot unschedule playbook ${playbook}`, () =>
        this.#queue.removeJobScheduler(schedulerId(playbook)),
      );
    }
  }

  async next(): Promise<{ playbook: string; at: number | null }[]> {
    return (await this.#owned())
      .map((s) => ({ playbook: playbookOf(s), at: typeof s.next === 'number' ? s.next : null }))
      .sort((a, b) => (a.playbook < b.playbook ? -1 : a.playbook > b.playbook ? 1 : 0));
  }

  async stop(): Promise<void> {
    await this.#queue.close();
  }

  async #owned(): Promise<JobSchedulerJson[]> {
    const all = await this.#call('cannot list job schedulers', () => this.#queue.getJobSchedulers(0, -1, true));
    return all.filter((s) => idOf(s).startsWith(ID_PREFIX));
  }

  async #call<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new EngineError('QUEUE_UNAVAILABLE', `${what}: ${reason}`, { retryable: true, cause: e });
    }
  }
}

function idOf(s: JobSchedulerJson): string {
  return s.id ?? s.key;
}

function playbookOf(s: JobSchedulerJson): string {
  return idOf(s).slice(ID_PREFIX.length);
}

function repeatOf(spec: ScheduleSpec, now: number): Omit<RepeatOptions, 'key'> {
  // BullMQ starts an interval at once; startDate makes the first slot one interval from now.
  // It only counts when the scheduler is new or its interval changed (BullMQ keeps the phase otherwise).
  if (spec.everyMs !== null) return { every: spec.everyMs, startDate: now + spec.everyMs };
  return spec.timezone === null ? { pattern: spec.cron ?? '' } : { pattern: spec.cron ?? '', tz: spec.timezone };
}

function sameRepeat(s: JobSchedulerJson, spec: ScheduleSpec): boolean {
  if (spec.everyMs !== null) return Number(s.every) === spec.everyMs && s.pattern == null;
  return s.every == null && s.pattern === spec.cron && (s.tz ?? null) === spec.timezone;
}
