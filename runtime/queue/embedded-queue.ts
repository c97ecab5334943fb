import type { Clock } from '../../engine/ports/clock.ts';
import { EngineError } from '../../engine/errors.ts';
import type { Records } from '../records/records.ts';
import type { ConsumeOptions, QueueJob, RunQueue } from './run-queue.ts';

export interface EmbeddedRunQueueOptions {
  /**
   * Told about a handler that rejected (the run stays as the handler left it: queued runs are
   * found again at the next start) and about a failed recovery query (retried at the next wake).
   */
  onError(error: unknown, job: QueueJob | null): void;
  /** Unseen queued runs asked for per recovery page (default 500). */
  recoveryBatch?: number;
  /** The clock wakes of waiting runs are timed on (the injected one, so tests move it). */
  clock?: Clock;
}

/**
 * The embedded profile's queue, for one process. The records are the queue: a run is `queued` in
 * SQLite before `enqueue` is called, so `enqueue` only wakes the consumer loop, and at start the
 * loop loads the runs a previous process left queued. Nothing polls: the loop sleeps on a promise
 * that `enqueue`, a finished handler or `stop` resolves.
 *
 * Only `{kind:'run'}` jobs go through it; embedded schedules call admission directly.
 * `depth()` counts the ids this process knows and has not delivered yet; runs still queued in the
 * records beyond the current recovery batch are not counted until loaded.
 */
export class EmbeddedRunQueue implements RunQueue {
  readonly #records: Pick<Records, 'queuedRuns' | 'ping'>;
  readonly #onError: EmbeddedRunQueueOptions['onError'];
  readonly #recoveryBatch: number;
  /** Ids known and not delivered yet, in delivery order (a Set keeps insertion order). */
  readonly #pending = new Set<string>();
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Ids seen by recovery: a later recovery page must not hand them out again. */
  readonly #recovered = new Set<string>();
  #recovering = true;
  #consuming = false;
  #stopped = false;
  #wake = signal();
  #loop: Promise<void> | null = null;
  #handle: ((job: QueueJob) => Promise<void>) | null = null;
  readonly #clock: Clock | null;
  /** Cancels the wakes still to come at stop(); they are found again by the timers' sweep at the next start. */
  readonly #wakes = new AbortController();

  constructor(records: Pick<Records, 'queuedRuns' | 'ping'>, options: EmbeddedRunQueueOptions) {
    this.#records = records;
    this.#onError = options.onError;
    this.#recoveryBatch = options.recoveryBatch ?? 500;
    this.#clock = options.clock ?? null;
    if (!Number.isSafeInteger(this.#recoveryBatch) || this.#recoveryBatch <= 0) {
      throw new EngineError('QUEUE_INVALID_OPTION', `recoveryBatch must be a positive integer, got ${this.#recoveryBatch}`);
    }
  }

  async enqueue(runIds: readonly string[]): Promise<void> {
    if (this.#stopped) return; // still queued in the records: the next start picks them up
    for (const id of runIds) this.#add(id);
    this.#notify();
  }

  consume(handle: (job: QueueJob) => Promise<void>, options: ConsumeOptions): void {
    if (this.#consuming) throw new EngineError('QUEUE_ALREADY_CONSUMING', 'consume() is called once per queue');
    if (!Number.isSafeInteger(options.concurrency) || options.concurrency <= 0) {
      throw new EngineError('QUEUE_INVALID_CONCURRENCY', `concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#consuming = true;
    this.#handle = handle;
    this.#loop = this.#run(handle, options.concurrency);
  }

  /** An in-process timer: precise while this process lives; the journal and the sweep cover a restart. */
  async wakeAt(runId: string, delayMs: number): Promise<void> {
    if (this.#stopped || this.#clock === null) return;
    const job: QueueJob = { kind: 'wake', runId };
    this.#clock.delay(Math.max(0, delayMs), this.#wakes.signal).then(
      () => (this.#stopped || !this.#handle ? undefined : this.#handle(job).catch((e: unknown) => this.#onError(e, job))),
      () => undefined,
    );
  }

  async depth(): Promise<number> {
    return this.#pending.size;
  }

  async ping(): Promise<void> {
    await this.#records.ping();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakes.abort();
    this.#notify();
    await this.#loop;
    await Promise.all(this.#inFlight.values());
  }

  async #run(handle: (job: QueueJob) => Promise<void>, concurrency: number): Promise<void> {
    await this.#recover(true);
    while (!this.#stopped) {
      const woken = this.#wake.promise;
      if (this.#recovering && this.#pending.size === 0) await this.#recover(false);
      if (this.#stopped) break;
      const next = this.#inFlight.size < concurrency ? this.#pending.values().next() : undefined;
      if (next === undefined || next.done) {
        await woken;
        continue;
      }
      this.#pending.delete(next.value);
      this.#deliver(handle, next.value);
    }
  }

  /**
   * Loads a page of runs left queued, oldest first. There is no offset in `queuedRuns`, and a run
   * delivered earlier may still be queued (its handler failed before starting it), so each page
   * asks for as many more runs as were already seen and skips those: a stuck run cannot hide the
   * rest. Recovery ends with a short page or one with nothing unseen. The first page goes before
   * ids enqueued before `consume`: those runs are newer.
   */
  async #recover(first: boolean): Promise<void> {
    const limit = this.#recovered.size + this.#recoveryBatch;
    let runs;
    try {
      runs = await this.#records.queuedRuns(limit);
    } catch (e) {
      this.#onError(e, null);
      return;
    }
    const later = first ? [...this.#pending] : [];
    for (const id of later) this.#pending.delete(id);
    let unseen = 0;
    for (const run of runs) {
      if (this.#recovered.has(run.runId)) continue;
      this.#recovered.add(run.runId);
      this.#add(run.runId);
      unseen++;
    }
    for (const id of later) this.#add(id);
    if (unseen === 0 || runs.length < limit) {
      this.#recovering = false;
      this.#recovered.clear();
    }
  }

  #deliver(handle: (job: QueueJob) => Promise<void>, runId: string): void {
    const job: QueueJob = { kind: 'run', runId };
    const done = Promise.resolve()
      .then(() => handle(job))
      .catch((e: unknown) => this.#onError(e, job))
      .finally(() => {
        this.#inFlight.delete(runId);
        this.#notify();
      });
    this.#inFlight.set(runId, done);
  }

  /** Adds an id unless it is already waiting or in flight. */
  #add(runId: string): void {
    if (!this.#inFlight.has(runId)) this.#pending.add(runId);
  }

  #notify(): void {
    const current = this.#wake;
    this.#wake = signal();
    current.resolve();
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
