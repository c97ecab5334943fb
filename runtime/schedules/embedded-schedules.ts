import { Cron } from 'croner';
import { EngineError } from '../../engine/errors.ts';
import { scheduleProblems } from '../../engine/schedules/check.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { ScheduleSpec, Schedules } from './schedules.ts';

export interface EmbeddedSchedulesDeps {
  clock: Clock;
  /** Starts the playbook for the firing of slot `firedAt` (epoch ms). */
  fire: (playbook: string, firedAt: number) => Promise<void>;
  /** A firing that threw; the schedule goes on. */
  onError: (playbook: string, error: unknown) => void;
}

/** Longest single wait: Node's setTimeout fires at once beyond 2^31-1 ms, so longer waits are chained. */
const MAX_WAIT_MS = 2 ** 31 - 1;

interface Entry {
  spec: ScheduleSpec;
  key: string;
  controller: AbortController;
  /** The slot being waited for; null while a firing runs or when no slot is left. */
  next: number | null;
  loop: Promise<void>;
}

/**
 * The embedded profile's schedules: one loop per playbook on the injected clock.
 *
 * Firings never pile up: the next slot is computed after a firing returns, and slots that passed
 * meanwhile are skipped (an `every` schedule keeps its phase, a cron schedule takes its next match
 * after now). A firing that throws goes to `onError` and the schedule goes on.
 */
export class EmbeddedSchedules implements Schedules {
  readonly #deps: EmbeddedSchedulesDeps;
  readonly #entries = new Map<string, Entry>();
  #stopped = false;

  constructor(deps: EmbeddedSchedulesDeps) {
    this.#deps = deps;
  }

  async sync(specs: readonly ScheduleSpec[]): Promise<void> {
    if (this.#stopped) throw new EngineError('SCHEDULES_STOPPED', 'the schedules are stopped');
    checkScheduleSpecs(specs); // all or nothing: an invalid spec leaves the running set untouched
    const wanted = new Map(specs.map((s) => [s.playbook, s]));
    for (const [playbook, entry] of this.#entries) {
      const spec = wanted.get(playbook);
      if (spec !== undefined && specKey(spec) === entry.key) continue;
      // A firing in flight finishes; its loop then sees the abort and ends.
      entry.controller.abort();
      this.#entries.delete(playbook);
    }
    for (const spec of specs) {
      if (!this.#entries.has(spec.playbook)) this.#start(spec);
    }
  }

  async next(): Promise<{ playbook: string; at: number | null }[]> {
    return [...this.#entries.values()]
      .map((e) => ({ playbook: e.spec.playbook, at: e.next }))
      .sort((a, b) => (a.playbook < b.playbook ? -1 : a.playbook > b.playbook ? 1 : 0));
  }

  /** Cancels every schedule and waits for the firings in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const loops = [...this.#entries.values()].map((e) => {
      e.controller.abort();
      return e.loop;
    });
    this.#entries.clear();
    await Promise.all(loops);
  }

  #start(spec: ScheduleSpec): void {
    const entry: Entry = {
      spec,
      key: specKey(spec),
      controller: new AbortController(),
      next: null,
      loop: Promise.resolve(),
    };
    this.#entries.set(spec.playbook, entry);
    entry.loop = this.#run(entry).catch((e: unknown) => this.#deps.onError(spec.playbook, e));
  }

  async #run(entry: Entry): Promise<void> {
    const { clock, fire, onError } = this.#deps;
    const { signal } = entry.controller;
    const { playbook } = entry.spec;
    const slots = slotsOf(entry.spec);
    let last = clock.now(); // an `every` schedule first fires one interval after it starts
    let first = true;
    while (!signal.aborted) {
      const at = slots(last, clock.now(), first);
      entry.next = Number.isFinite(at) ? at : null;
      if (!(await this.#sleepUntil(at, signal))) return;
      entry.next = null;
      try {
        await fire(playbook, at);
      } catch (e) {
        onError(playbook, e);
      }
      last = at;
      first = false;
    }
  }

  /** Waits until the clock reaches `at`; false when aborted first. */
  async #sleepUntil(at: number, signal: AbortSignal): Promise<boolean> {
    const { clock } = this.#deps;
    for (let now = clock.now(); now < at; now = clock.now()) {
      try {
        await clock.delay(Math.min(at - now, MAX_WAIT_MS), signal);
      } catch (e) {
        if (signal.aborted) return false;
        throw e;
      }
    }
    return !signal.aborted;
  }
}

/**
 * The next slot of a schedule, given the last slot fired (or the start) and now. Slots already
 * passed are skipped; a slot equal to now still fires.
 */
function slotsOf(spec: ScheduleSpec): (last: number, now: number, first: boolean) => number {
  if (spec.everyMs !== null) {
    const every = spec.everyMs;
    return (last, now) => {
      const missed = Math.max(0, Math.ceil((now - last) / every) - 1);
      return last + every * (missed + 1);
    };
  }
  const cron = compileCron(spec);
  return (last, now, first) => {
    // Never before the last slot fired: a clock that wakes a hair early must not repeat it.
    const from = first ? now : Math.max(now, last);
    const next = cron.nextRun(new Date(from));
    // A pattern with no future match (a past year) waits forever, until sync or stop aborts it.
    return next === null ? Number.POSITIVE_INFINITY : next.getTime();
  };
}

function specKey(spec: ScheduleSpec): string {
  return JSON.stringify([spec.everyMs, spec.cron, spec.timezone]);
}

function compileCron(spec: ScheduleSpec): Cron {
  return new Cron(spec.cron ?? '', spec.timezone === null ? {} : { timezone: spec.timezone });
}

/**
 * Rejects a set of schedules that cannot run, naming the playbook: duplicate playbooks, neither or
 * both of `everyMs` and `cron`, then the engine's own schedule check (engine/schedules/check.ts,
 * which lint runs too): a non-positive interval, a bad cron expression or time zone.
 * Shared by both profiles so a playbook is refused the same way wherever it runs.
 */
export function checkScheduleSpecs(specs: readonly ScheduleSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    const invalid = (why: string): EngineError =>
      new EngineError('SCHEDULE_INVALID', `playbook ${spec.playbook}: ${why}`, { details: { playbook: spec.playbook } });
    if (seen.has(spec.playbook)) throw invalid('scheduled twice');
    seen.add(spec.playbook);
    if ((spec.everyMs === null) === (spec.cron === null)) throw invalid('a schedule needs exactly one of every and cron');
    const problem = scheduleProblems(spec).find((p) => p.severity === 'error');
    if (problem) throw invalid(problem.message);
  }
}
