import { Queue } from 'bullmq';
import { Cron } from 'croner';
import { afterEach, describe, expect, it } from 'vitest';
import { BullmqRunQueue } from '../../runtime/queue/bullmq-queue.ts';
import type { QueueJob } from '../../runtime/queue/run-queue.ts';
import { BullmqSchedules } from '../../runtime/schedules/bullmq-schedules.ts';
import type { ScheduleSpec } from '../../runtime/schedules/schedules.ts';

const connection = { host: '127.0.0.1', port: 6379 };
const prefix = `test-schedules-${process.pid}-${Date.now()}`;
let serial = 0;
const open: { closers: (() => Promise<void>)[]; inspector: Queue }[] = [];

/** A queue of its own per test, with a plain BullMQ queue on it to look inside and clean up. */
function setup() {
  const queueName = `s${++serial}`;
  const inspector = new Queue(queueName, { connection, prefix });
  const entry = { closers: [] as (() => Promise<void>)[], inspector };
  open.push(entry);
  const schedules = (): BullmqSchedules => {
    const s = new BullmqSchedules({ connection, queueName, prefix });
    entry.closers.push(() => s.stop());
    return s;
  };
  const runQueue = (): BullmqRunQueue => {
    const q = new BullmqRunQueue({ connection, queueName, prefix });
    entry.closers.push(() => q.stop());
    return q;
  };
  return { inspector, schedules, runQueue };
}

afterEach(async () => {
  for (const { closers, inspector } of open.splice(0)) {
    for (const close of closers) await close();
    await inspector.obliterate({ force: true });
    await inspector.close();
  }
});

function every(playbook: string, everyMs: number): ScheduleSpec {
  return { playbook, everyMs, cron: null, timezone: null };
}

function cron(playbook: string, pattern: string, timezone: string | null = null): ScheduleSpec {
  return { playbook, everyMs: null, cron: pattern, timezone };
}

async function schedulerIds(inspector: Queue): Promise<string[]> {
  return (await inspector.getJobSchedulers(0, -1)).map((s) => s.id ?? s.key).sort();
}

describe('BullmqSchedules', () => {
  it('creates one job scheduler per playbook with its repeat options and a delayed first job', async () => {
    const { inspector, schedules } = setup();
    const s = schedules();
    const before = Date.now();
    await s.sync([every('heartbeat', 60_000), cron('evening', '0 18 * * *', 'Europe/Paris'), cron('tick', '*/5 * * * *')]);
    const after = Date.now();

    const byId = new Map((await inspector.getJobSchedulers(0, -1)).map((j) => [j.id ?? j.key, j]));
    expect([...byId.keys()].sort()).toEqual(['schedule:evening', 'schedule:heartbeat', 'schedule:tick']);
    expect(byId.get('schedule:heartbeat')).toMatchObject({ name: 'schedule', every: 60_000 });
    expect(byId.get('schedule:evening')).toMatchObject({ name: 'schedule', pattern: '0 18 * * *', tz: 'Europe/Paris' });
    expect(byId.get('schedule:tick')).toMatchObject({ name: 'schedule', pattern: '*/5 * * * *' });
    expect(byId.get('schedule:tick')?.tz).toBeUndefined();

    const next = new Map((await s.next()).map((n) => [n.playbook, n.at]));
    // An interval starts one interval after the sync, as in the embedded profile.
    expect(next.get('heartbeat')).toBeGreaterThanOrEqual(before + 60_000);
    expect(next.get('heartbeat')).toBeLessThanOrEqual(after + 60_000);
    const evening = new Cron('0 18 * * *', { timezone: 'Europe/Paris' });
    expect([evening.nextRun(new Date(before))?.getTime(), evening.nextRun(new Date(after))?.getTime()]).toContain(
      next.get('evening'),
    );

    for (const [playbook, at] of next) {
      const job = await inspector.getJob(`repeat:schedule:${playbook}:${at}`);
      expect(job?.name).toBe('schedule');
      expect(job?.data).toEqual({ playbook });
      expect(await job?.getState()).toBe('delayed');
    }
    expect(await inspector.getJobCounts('delayed')).toEqual({ delayed: 3 });
  });

  it('removes the schedulers of playbooks no longer listed, and only those', async () => {
    const { inspector, schedules } = setup();
    await inspector.upsertJobScheduler('someone-else', { every: 60_000 });
    const s = schedules();
    await s.sync([every('a', 60_000), every('b', 60_000)]);
    const bNext = (await s.next()).find((n) => n.playbook === 'b')?.at;
    await s.sync([every('a', 60_000)]);
    expect(await schedulerIds(inspector)).toEqual(['schedule:a', 'someone-else']);
    expect(await inspector.getJob(`repeat:schedule:b:${bNext}`)).toBeUndefined();
    expect((await s.next()).map((n) => n.playbook)).toEqual(['a']);
    await s.sync([]);
    expect(await schedulerIds(inspector)).toEqual(['someone-else']);
  });

  it('keeps the next firing across an unchanged sync and moves it when the schedule changes', async () => {
    const { inspector, schedules } = setup();
    const s = schedules();
    await s.sync([every('a', 60_000), cron('b', '0 3 * * *')]);
    const first = await s.next();
    await s.sync([every('a', 60_000), cron('b', '0 3 * * *')]);
    expect(await s.next()).toEqual(first);

    await s.sync([every('a', 120_000), cron('b', '0 3 * * *', 'Asia/Tokyo')]);
    const byId = new Map((await inspector.getJobSchedulers(0, -1)).map((j) => [j.id ?? j.key, j]));
    expect(byId.get('schedule:a')).toMatchObject({ every: 120_000 });
    expect(byId.get('schedule:b')).toMatchObject({ pattern: '0 3 * * *', tz: 'Asia/Tokyo' });
    const tokyo = new Cron('0 3 * * *', { timezone: 'Asia/Tokyo' }).nextRun()?.getTime();
    expect((await s.next()).find((n) => n.playbook === 'b')?.at).toBe(tokyo);
    expect(await inspector.getJobCounts('delayed')).toEqual({ delayed: 2 });
  });

  it('leaves exactly one scheduler and one pending job per playbook when two processes sync', async () => {
    const { inspector, schedules } = setup();
    const specs = [every('a', 60_000), cron('b', '0 18 * * *', 'Europe/Paris'), every('c', 30_000)];
    const [one, two] = [schedules(), schedules()];
    await Promise.all([one.sync(specs), two.sync(specs)]);
    await Promise.all([two.sync(specs), one.sync(specs)]);
    expect(await schedulerIds(inspector)).toEqual(['schedule:a', 'schedule:b', 'schedule:c']);
    expect(await inspector.getJobCounts('delayed', 'waiting')).toMatchObject({ delayed: 3, waiting: 0 });
    expect(await one.next()).toEqual(await two.next());
  });

  it('delivers a firing to a worker as a schedule job', async () => {
    const { schedules, runQueue } = setup();
    const s = schedules();
    await s.sync([every('fast', 200)]);
    const at = (await s.next())[0]?.at;
    const queue = runQueue();
    const delivered = new Promise<QueueJob>((resolve) => queue.consume(async (job) => resolve(job), { concurrency: 1 }));
    expect(await delivered).toEqual({ kind: 'schedule', playbook: 'fast', firedAt: at });
  });

  it('rejects an invalid spec with SCHEDULE_INVALID before writing anything', async () => {
    const { inspector, schedules } = setup();
    const s = schedules();
    await expect(s.sync([every('ok', 1000), cron('broken', '61 * * * *')])).rejects.toMatchObject({
      code: 'SCHEDULE_INVALID',
      message: expect.stringContaining('playbook broken'),
    });
    expect(await schedulerIds(inspector)).toEqual([]);
  });
});
