import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedRunQueue } from '../../runtime/queue/embedded-queue.ts';
import type { QueueJob } from '../../runtime/queue/run-queue.ts';
import { openDatabase } from '../../runtime/stores/sqlite/database.ts';
import { SqliteRecords } from '../../runtime/stores/sqlite/records.ts';
import { at, eventRecord, runRow } from '../records/fixtures.ts';

/** A handler that holds each job until the test releases it, and lets the test await deliveries. */
class HeldHandler {
  readonly delivered: string[] = [];
  active = 0;
  maxActive = 0;
  readonly #releases = new Map<string, () => void>();
  #waiters: { count: number; resolve: () => void }[] = [];

  readonly handle = async (job: QueueJob): Promise<void> => {
    if (job.kind !== 'run') throw new Error(`unexpected job ${job.kind}`);
    this.delivered.push(job.runId);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const held = new Promise<void>((resolve) => this.#releases.set(job.runId, resolve));
    this.#waiters = this.#waiters.filter((w) => (this.delivered.length >= w.count ? (w.resolve(), false) : true));
    await held;
    this.active--;
  };

  /** Resolves once `count` jobs in all have been delivered. */
  deliveries(count: number): Promise<void> {
    if (this.delivered.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  release(runId: string): void {
    const release = this.#releases.get(runId);
    if (!release) throw new Error(`${runId} is not held`);
    this.#releases.delete(runId);
    release();
  }

  releaseAll(): void {
    for (const id of [...this.#releases.keys()]) this.release(id);
  }
}

/** Lets the consumer loop run every turn it can; used only to show that something did NOT happen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('EmbeddedRunQueue', () => {
  let records: SqliteRecords;
  let queue: EmbeddedRunQueue;
  let handler: HeldHandler;
  const errors: [unknown, QueueJob | null][] = [];

  const setup = (recoveryBatch?: number): void => {
    records = new SqliteRecords(openDatabase(':memory:'));
    errors.length = 0;
    queue = new EmbeddedRunQueue(records, { onError: (e, job) => errors.push([e, job]), recoveryBatch });
    handler = new HeldHandler();
  };
  /** Commits queued runs; a run's queuedAt is `at(n)` for run id `run_000n`. */
  const commit = async (...ids: string[]): Promise<void> => {
    const eventId = `evt_${ids.join('_')}`;
    await records.commitIngest({
      events: [eventRecord(eventId, { runs: ids })],
      runs: ids.map((id) => runRow(id, { eventId, queuedAt: at(Number(id.slice(-4))) })),
    });
  };

  afterEach(async () => {
    handler.releaseAll();
    await queue.stop();
    await records.close();
  });

  it('first delivers the runs a previous process left queued, oldest first, then enqueued ids', async () => {
    setup();
    await commit('run_0002', 'run_0003');
    await commit('run_0001');
    await commit('run_0004');
    await records.startRun('run_0004', at(9)); // running: the worker recovery's business, not the queue's
    await queue.enqueue(['run_new1']);
    queue.consume(handler.handle, { concurrency: 10 });
    await handler.deliveries(4);
    await settle();
    expect(handler.delivered).toEqual(['run_0001', 'run_0002', 'run_0003', 'run_new1']);
    await queue.enqueue(['run_new2']);
    await handler.deliveries(5);
    expect(handler.delivered.at(-1)).toBe('run_new2');
  });

  it('never delivers an id that is waiting or in flight, and delivers it again once done', async () => {
    setup();
    queue.consume(handler.handle, { concurrency: 5 });
    await queue.enqueue(['run_a', 'run_a', 'run_b']);
    await queue.enqueue(['run_b']);
    await handler.deliveries(2);
    await queue.enqueue(['run_a', 'run_b']);
    await settle();
    expect(handler.delivered).toEqual(['run_a', 'run_b']);
    expect(await queue.depth()).toBe(0);
    handler.release('run_a');
    await settle();
    await queue.enqueue(['run_a']);
    await handler.deliveries(3);
    expect(handler.delivered).toEqual(['run_a', 'run_b', 'run_a']);
  });

  it('holds at most `concurrency` jobs at once and counts the rest as depth', async () => {
    setup();
    queue.consume(handler.handle, { concurrency: 2 });
    await queue.enqueue(['r1', 'r2', 'r3', 'r4', 'r5']);
    await handler.deliveries(2);
    await settle();
    expect(handler.delivered).toEqual(['r1', 'r2']);
    expect(await queue.depth()).toBe(3);
    handler.release('r2');
    await handler.deliveries(3);
    await settle();
    expect(handler.delivered).toEqual(['r1', 'r2', 'r3']);
    expect(await queue.depth()).toBe(2);
    handler.release('r1');
    handler.release('r3');
    await handler.deliveries(5);
    expect(handler.maxActive).toBe(2);
    expect(await queue.depth()).toBe(0);
  });

  it('stop() stops delivering and waits for the handlers in flight', async () => {
    setup();
    queue.consume(handler.handle, { concurrency: 2 });
    await queue.enqueue(['r1', 'r2', 'r3']);
    await handler.deliveries(2);
    let stopped = false;
    const stopping = queue.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    handler.release('r1');
    await settle();
    expect(stopped).toBe(false);
    expect(handler.delivered).toEqual(['r1', 'r2']);
    handler.release('r2');
    await stopping;
    expect(handler.active).toBe(0);
    await queue.enqueue(['r4']);
    await settle();
    expect(handler.delivered).toEqual(['r1', 'r2']);
  });

  it('reports a failed handler with its job and keeps delivering', async () => {
    setup();
    const delivered: string[] = [];
    let secondDone!: () => void;
    const second = new Promise<void>((resolve) => (secondDone = resolve));
    queue.consume(
      async (job) => {
        if (job.kind === 'run') delivered.push(job.runId);
        if (delivered.length === 1) throw new Error('boom');
        secondDone();
      },
      { concurrency: 1 },
    );
    await queue.enqueue(['r1', 'r2']);
    await second;
    expect(delivered).toEqual(['r1', 'r2']);
    expect(errors).toEqual([[new Error('boom'), { kind: 'run', runId: 'r1' }]]);
  });

  it('recovers a backlog larger than one page, each run once, even when runs stay queued', async () => {
    setup(2);
    await commit('run_0001', 'run_0002', 'run_0003', 'run_0004', 'run_0005', 'run_0006', 'run_0007');
    const delivered: string[] = [];
    let allDone!: () => void;
    const all = new Promise<void>((resolve) => (allDone = resolve));
    queue.consume(
      async (job) => {
        if (job.kind !== 'run') return;
        delivered.push(job.runId);
        // Odd runs are taken; even runs fail before startRun and stay queued.
        if (Number(job.runId.slice(-1)) % 2 === 1) await records.startRun(job.runId, at(20));
        if (delivered.length === 7) allDone();
      },
      { concurrency: 1 },
    );
    await all;
    expect(delivered).toEqual(['run_0001', 'run_0002', 'run_0003', 'run_0004', 'run_0005', 'run_0006', 'run_0007']);
    await settle();
    expect(delivered).toHaveLength(7);
    expect((await records.queuedRuns(10)).map((r) => r.runId)).toEqual(['run_0002', 'run_0004', 'run_0006']);
  });

  it('reports a failed recovery and still delivers enqueued ids', async () => {
    setup();
    const failing = new EmbeddedRunQueue(
      {
        queuedRuns: () => Promise.reject(new Error('disk I/O error')),
        ping: () => Promise.resolve(),
      },
      { onError: (e, job) => errors.push([e, job]) },
    );
    failing.consume(handler.handle, { concurrency: 1 });
    await failing.enqueue(['r1']);
    await handler.deliveries(1);
    expect(errors[0]).toEqual([new Error('disk I/O error'), null]);
    handler.releaseAll();
    await failing.stop();
  });

  it('refuses a second consume and a concurrency that is not a positive integer', () => {
    setup();
    expect(() => queue.consume(handler.handle, { concurrency: 0 })).toThrow(
      expect.objectContaining({ code: 'QUEUE_INVALID_CONCURRENCY' }),
    );
    queue.consume(handler.handle, { concurrency: 1 });
    expect(() => queue.consume(handler.handle, { concurrency: 1 })).toThrow(
      expect.objectContaining({ code: 'QUEUE_ALREADY_CONSUMING' }),
    );
  });

  it('pings through the records', async () => {
    setup();
    await expect(queue.ping()).resolves.toBeUndefined();
    await records.close();
    await expect(queue.ping()).rejects.toMatchObject({ code: 'RECORDS_UNAVAILABLE' });
  });
});
