import { Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineError, isEngineError } from '../../engine/errors.ts';
import { BullmqRunQueue } from '../../runtime/queue/bullmq-queue.ts';
import type { QueueJob } from '../../runtime/queue/run-queue.ts';

const connection = { host: '127.0.0.1', port: 6379 };
const prefix = `test-queue-${process.pid}-${Date.now()}`;
let serial = 0;
const open: { queue: BullmqRunQueue; inspector: Queue; events?: QueueEvents }[] = [];

/** A queue of its own per test, with a plain BullMQ queue on it to look inside and clean up. */
function setup(options: { attempts?: number; backoffMs?: number } = {}) {
  const queueName = `q${++serial}`;
  const errors: Error[] = [];
  const queue = new BullmqRunQueue({ connection, queueName, prefix, onError: (e) => errors.push(e), ...options });
  const inspector = new Queue(queueName, { connection, prefix });
  const entry: (typeof open)[number] = { queue, inspector };
  open.push(entry);
  const events = async (): Promise<QueueEvents> => {
    entry.events = new QueueEvents(queueName, { connection, prefix });
    await entry.events.waitUntilReady();
    return entry.events;
  };
  return { queue, inspector, errors, events };
}

afterEach(async () => {
  for (const { queue, inspector, events } of open.splice(0)) {
    await queue.stop();
    await events?.close();
    await inspector.obliterate({ force: true });
    await inspector.close();
  }
});

afterAll(async () => {
  expect(open).toEqual([]);
});

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records deliveries and lets a test await the n-th one. */
function recorder() {
  const jobs: QueueJob[] = [];
  const waiters: { n: number; done: () => void }[] = [];
  return {
    jobs,
    record(job: QueueJob): void {
      jobs.push(job);
      for (const w of waiters) if (jobs.length >= w.n) w.done();
    },
    reached(n: number): Promise<void> {
      if (jobs.length >= n) return Promise.resolve();
      return new Promise((done) => waiters.push({ n, done }));
    },
  };
}

const runIds = (jobs: QueueJob[]): string[] => jobs.map((j) => (j.kind === 'run' ? j.runId : `?${j.kind}`)).sort();

describe('BullmqRunQueue', () => {
  it('delivers each enqueued run once', async () => {
    const { queue } = setup();
    const seen = recorder();
    await queue.enqueue(['run_1', 'run_2', 'run_3']);
    queue.consume(async (job) => seen.record(job), { concurrency: 2 });
    await seen.reached(3);
    await queue.stop();
    expect(runIds(seen.jobs)).toEqual(['run_1', 'run_2', 'run_3']);
    expect(seen.jobs[0]).toMatchObject({ kind: 'run' });
  });

  it('ignores a run id enqueued again while it waits', async () => {
    const { queue, inspector } = setup();
    await queue.enqueue(['run_a', 'run_b']);
    await queue.enqueue(['run_a', 'run_b', 'run_a']);
    expect(await queue.depth()).toBe(2);
    const seen = recorder();
    queue.consume(async (job) => seen.record(job), { concurrency: 4 });
    await seen.reached(2);
    await queue.stop();
    expect(runIds(seen.jobs)).toEqual(['run_a', 'run_b']);
    expect(await inspector.getJobCounts('waiting', 'active', 'delayed')).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
  });

  it('counts waiting and delayed jobs as depth', async () => {
    const { queue, inspector } = setup();
    expect(await queue.depth()).toBe(0);
    await queue.enqueue(['run_1', 'run_2', 'run_3']);
    await inspector.add('run', { runId: 'run_later' }, { jobId: 'run_later', delay: 60_000 });
    expect(await queue.depth()).toBe(4);
  });

  it('handles at most `concurrency` jobs at once', async () => {
    const { queue, inspector } = setup();
    const gate = deferred();
    const twoActive = deferred();
    let active = 0;
    let most = 0;
    const seen = recorder();
    await queue.enqueue(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    queue.consume(
      async (job) => {
        active++;
        most = Math.max(most, active);
        if (active === 2) twoActive.resolve();
        await gate.promise;
        active--;
        seen.record(job);
      },
      { concurrency: 2 },
    );
    await twoActive.promise;
    try {
      expect(await inspector.getJobCounts('active', 'waiting')).toMatchObject({ active: 2, waiting: 4 });
    } finally {
      gate.resolve();
    }
    await seen.reached(6);
    expect(most).toBe(2);
    expect(runIds(seen.jobs)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('stop waits for the handler in flight', async () => {
    const { queue, inspector } = setup();
    const started = deferred();
    const gate = deferred();
    let finished = false;
    await queue.enqueue(['run_slow']);
    queue.consume(
      async () => {
        started.resolve();
        await gate.promise;
        finished = true;
      },
      { concurrency: 1 },
    );
    await started.promise;
    let stopped = false;
    let finishedWhenStopped = false;
    const stopping = queue.stop().then(() => {
      stopped = true;
      finishedWhenStopped = finished;
    });
    await new Promise<void>((r) => setImmediate(r));
    try {
      expect(stopped).toBe(false);
    } finally {
      gate.resolve();
    }
    await stopping;
    expect(finishedWhenStopped).toBe(true);
    // The finished job was removed, not left active for another worker to redo.
    expect(await inspector.getJobCounts('active', 'waiting', 'completed')).toMatchObject({ active: 0, waiting: 0, completed: 0 });
  });

  it('retries a job whose handler throws a retryable error', async () => {
    const { queue } = setup({ attempts: 3, backoffMs: 10 });
    const seen = recorder();
    queue.consume(
      async (job) => {
        seen.record(job);
        if (seen.jobs.length === 1) throw new EngineError('STORE_BUSY', 'database is locked', { retryable: true });
      },
      { concurrency: 1 },
    );
    await queue.enqueue(['run_retry']);
    await seen.reached(2);
    expect(runIds(seen.jobs)).toEqual(['run_retry', 'run_retry']);
  });

  it('fails a job at once on a non-retryable error, and the run can be enqueued again', async () => {
    const { queue, inspector, events } = setup({ attempts: 3, backoffMs: 10 });
    const queueEvents = await events();
    const failed = new Promise<{ jobId: string; failedReason: string }>((r) => queueEvents.once('failed', r));
    const seen = recorder();
    queue.consume(
      async (job) => {
        seen.record(job);
        if (seen.jobs.length === 1) throw new EngineError('PLAYBOOK_MISSING', 'no playbook disk-full');
      },
      { concurrency: 1 },
    );
    await queue.enqueue(['run_bad']);
    expect(await failed).toMatchObject({ jobId: 'run_bad', failedReason: 'PLAYBOOK_MISSING: no playbook disk-full' });
    expect(seen.jobs).toHaveLength(1);
    expect(await inspector.getJobState('run_bad')).toBe('failed');
    await queue.enqueue(['run_bad']);
    await seen.reached(2);
    expect(runIds(seen.jobs)).toEqual(['run_bad', 'run_bad']);
  });

  it('refuses a second consume', () => {
    const { queue } = setup();
    queue.consume(async () => undefined, { concurrency: 1 });
    expect(() => queue.consume(async () => undefined, { concurrency: 1 })).toThrow(/once/);
  });

  it('answers ping when Redis is up', async () => {
    const { queue } = setup();
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it('rejects ping quickly with QUEUE_UNAVAILABLE when Redis is down', async () => {
    const errors: Error[] = [];
    const down = new BullmqRunQueue({
      connection: 'redis://127.0.0.1:1',
      queueName: 'unreachable',
      prefix,
      pingTimeoutMs: 200,
      onError: (e) => errors.push(e),
    });
    const started = Date.now();
    const error: unknown = await down.ping().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isEngineError(error) && error.code).toBe('QUEUE_UNAVAILABLE');
    expect((error as EngineError).retryable).toBe(true);
    await down.stop();
  });
});
