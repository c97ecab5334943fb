import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../engine/errors.ts';
import { ManualClock } from '../../runtime/inmemory/manual-clock.ts';
import { EmbeddedSchedules } from '../../runtime/schedules/embedded-schedules.ts';
import type { ScheduleSpec } from '../../runtime/schedules/schedules.ts';

const JAN_15_NOON = Date.parse('2025-01-15T12:00:00Z');

/** Lets the schedule loops run every step that does not wait on the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Moves the clock `ms` forward in `step` increments, settling after each, as real time would. */
async function advance(clock: ManualClock, ms: number, step = 1000): Promise<void> {
  await settle();
  for (let moved = 0; moved < ms; moved += step) {
    clock.advance(Math.min(step, ms - moved));
    await settle();
  }
}

function every(playbook: string, everyMs: number): ScheduleSpec {
  return { playbook, everyMs, cron: null, timezone: null };
}

function cron(playbook: string, pattern: string, timezone: string | null = null): ScheduleSpec {
  return { playbook, everyMs: null, cron: pattern, timezone };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(start = 0, fire?: (playbook: string, firedAt: number) => Promise<void>) {
  const clock = new ManualClock(start);
  const fired: { playbook: string; firedAt: number }[] = [];
  const errors: { playbook: string; error: unknown }[] = [];
  const schedules = new EmbeddedSchedules({
    clock,
    fire: async (playbook, firedAt) => {
      fired.push({ playbook, firedAt });
      await fire?.(playbook, firedAt);
    },
    onError: (playbook, error) => errors.push({ playbook, error }),
  });
  return { clock, fired, errors, schedules };
}

describe('EmbeddedSchedules', () => {
  it('fires an every schedule one interval after start, then each interval', async () => {
    const { clock, fired, schedules } = setup();
    await schedules.sync([every('heartbeat', 30_000)]);
    await settle();
    expect(await schedules.next()).toEqual([{ playbook: 'heartbeat', at: 30_000 }]);
    await advance(clock, 29_000);
    expect(fired).toEqual([]);
    await advance(clock, 61_000);
    expect(fired).toEqual([
      { playbook: 'heartbeat', firedAt: 30_000 },
      { playbook: 'heartbeat', firedAt: 60_000 },
      { playbook: 'heartbeat', firedAt: 90_000 },
    ]);
    expect(await schedules.next()).toEqual([{ playbook: 'heartbeat', at: 120_000 }]);
    await schedules.stop();
  });

  it('fires a Paris cron at 17:00Z in winter and 16:00Z in summer', async () => {
    const { clock, fired, schedules } = setup(JAN_15_NOON);
    await schedules.sync([cron('evening', '0 18 * * *', 'Europe/Paris')]);
    await settle();
    expect(await schedules.next()).toEqual([{ playbook: 'evening', at: Date.parse('2025-01-15T17:00:00Z') }]);
    await advance(clock, 5 * 3600_000, 60_000);
    expect(fired).toEqual([{ playbook: 'evening', firedAt: Date.parse('2025-01-15T17:00:00Z') }]);
    expect(await schedules.next()).toEqual([{ playbook: 'evening', at: Date.parse('2025-01-16T17:00:00Z') }]);
    await schedules.stop();

    const summer = setup(Date.parse('2025-07-01T00:00:00Z'));
    await summer.schedules.sync([cron('evening', '0 18 * * *', 'Europe/Paris')]);
    await settle();
    expect(await summer.schedules.next()).toEqual([{ playbook: 'evening', at: Date.parse('2025-07-01T16:00:00Z') }]);
    await summer.schedules.stop();
  });

  it('keeps an unchanged schedule running across syncs', async () => {
    const { clock, fired, schedules } = setup();
    await schedules.sync([every('a', 30_000)]);
    await advance(clock, 10_000);
    await schedules.sync([every('a', 30_000)]);
    await advance(clock, 20_000);
    expect(fired).toEqual([{ playbook: 'a', firedAt: 30_000 }]);
    await schedules.stop();
  });

  it('removes and restarts changed schedules on sync', async () => {
    const { clock, fired, schedules } = setup();
    await schedules.sync([every('a', 30_000), every('b', 30_000)]);
    await advance(clock, 10_000);
    await schedules.sync([every('a', 5_000), cron('c', '* * * * *')]);
    await settle();
    expect(await schedules.next()).toEqual([
      { playbook: 'a', at: 15_000 },
      { playbook: 'c', at: 60_000 },
    ]);
    await advance(clock, 50_000);
    expect(fired.filter((f) => f.playbook === 'b')).toEqual([]);
    expect(fired.filter((f) => f.playbook === 'a').map((f) => f.firedAt)).toEqual([
      15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 55_000, 60_000,
    ]);
    expect(fired.filter((f) => f.playbook === 'c')).toEqual([{ playbook: 'c', firedAt: 60_000 }]);
    await schedules.sync([]);
    await settle();
    expect(await schedules.next()).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
    await schedules.stop();
  });

  it('stop cancels every schedule and waits for a firing in flight', async () => {
    const gate = deferred();
    const { clock, fired, schedules } = setup(0, (playbook) => (playbook === 'slow' ? gate.promise : Promise.resolve()));
    await schedules.sync([every('slow', 10_000), every('quick', 20_000)]);
    await advance(clock, 10_000);
    expect(fired).toEqual([{ playbook: 'slow', firedAt: 10_000 }]);
    let stopped = false;
    const stopping = schedules.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(clock.pendingTimers()).toBe(0);
    await advance(clock, 60_000);
    expect(fired).toEqual([{ playbook: 'slow', firedAt: 10_000 }]);
    await expect(schedules.sync([every('a', 1000)])).rejects.toMatchObject({ code: 'SCHEDULES_STOPPED' });
  });

  it('does not pile up firings that outlast the interval: missed slots are skipped', async () => {
    const gate = deferred();
    let calls = 0;
    const { clock, fired, schedules } = setup(0, () => (++calls === 1 ? gate.promise : Promise.resolve()));
    await schedules.sync([every('slow', 10_000)]);
    await advance(clock, 35_000);
    expect(fired).toEqual([{ playbook: 'slow', firedAt: 10_000 }]);
    expect(await schedules.next()).toEqual([{ playbook: 'slow', at: null }]);
    gate.resolve();
    await settle();
    expect(await schedules.next()).toEqual([{ playbook: 'slow', at: 40_000 }]);
    await advance(clock, 5_000);
    expect(fired.map((f) => f.firedAt)).toEqual([10_000, 40_000]);
    await schedules.stop();
  });

  it('sends a failing firing to onError and keeps the schedule', async () => {
    const boom = new Error('boom');
    let calls = 0;
    const { clock, fired, errors, schedules } = setup(0, async () => {
      if (++calls === 1) throw boom;
    });
    await schedules.sync([every('flaky', 1_000)]);
    await advance(clock, 2_000);
    expect(errors).toEqual([{ playbook: 'flaky', error: boom }]);
    expect(fired.map((f) => f.firedAt)).toEqual([1_000, 2_000]);
    await schedules.stop();
  });

  it.each([
    ['a bad cron', cron('nightly', '0 25 * * *'), /invalid cron/],
    ['a cron with too few fields', cron('nightly', '0 18 * *'), /invalid cron/],
    ['an unknown time zone', cron('nightly', '0 18 * * *', 'Mars/Olympus'), /unknown time zone/],
    ['no every nor cron', { playbook: 'nightly', everyMs: null, cron: null, timezone: null }, /exactly one/],
    ['both every and cron', { playbook: 'nightly', everyMs: 1000, cron: '* * * * *', timezone: null }, /exactly one/],
    ['a zero interval', every('nightly', 0), /positive/],
  ])('rejects %s with SCHEDULE_INVALID naming the playbook, changing nothing', async (_, spec, why) => {
    const { schedules } = setup();
    await schedules.sync([every('kept', 1000)]);
    const error: unknown = await schedules.sync([spec as ScheduleSpec]).catch((e: unknown) => e);
    expect(isEngineError(error) && error.code).toBe('SCHEDULE_INVALID');
    expect((error as Error).message).toContain('playbook nightly');
    expect((error as Error).message).toMatch(why);
    expect((await schedules.next()).map((n) => n.playbook)).toEqual(['kept']);
    await schedules.stop();
  });

  it('rejects a playbook scheduled twice', async () => {
    const { schedules } = setup();
    await expect(schedules.sync([every('a', 1000), every('a', 2000)])).rejects.toMatchObject({
      code: 'SCHEDULE_INVALID',
      message: 'playbook a: scheduled twice',
    });
  });
});
