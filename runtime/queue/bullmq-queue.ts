import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { DefaultJobOptions, Job, QueueOptions, RedisOptions } from 'bullmq';
import { EngineError, isEngineError } from '../../engine/errors.ts';
import type { ConsumeOptions, QueueJob, RunQueue } from './run-queue.ts';

/** Where a BullMQ queue lives; shared by the run queue and the job schedulers on the same queue. */
export interface BullmqQueueConfig {
  /** ioredis options, or a Redis URL (`redis://host:6379/0`). */
  connection: RedisOptions | string;
  queueName: string;
  /** Key prefix in Redis; isolates deployments (and tests) sharing one Redis. Default `heal`. */
  prefix?: string;
  /** Deliveries of a job whose handler keeps throwing retryable errors. Default 5. */
  attempts?: number;
  /** First retry delay; doubles on each attempt. Default 1000 ms. */
  backoffMs?: number;
  /** Connection and worker errors BullMQ reports as events. Default: written to stderr. */
  onError?: (error: Error) => void;
}

export interface BullmqRunQueueConfig extends BullmqQueueConfig {
  /** How long `ping()` waits for PONG before declaring the queue unavailable. Default 1000 ms. */
  pingTimeoutMs?: number;
  /**
   * How long a worker's lock on a job lasts without renewal (BullMQ lockDuration; also the stalled
   * check interval): a job held by a worker that died is delivered again after about this long.
   */
  lockMs?: number;
}

/** BullMQ job names: the wire format between producers and workers of any version. */
const RUN_JOB = 'run';
export const SCHEDULE_JOB = 'schedule';
const WAKE_JOB = 'wake';

const DEFAULT_PREFIX = 'heal';

export function redisOptions(connection: RedisOptions | string): RedisOptions {
  return typeof connection === 'string' ? { url: connection } : connection;
}

/**
 * Queue options shared by every producer of this queue (runs and schedulers), so the jobs agree on
 * retries and retention whoever adds them.
 */
export function bullmqQueueOptions(config: BullmqQueueConfig): QueueOptions {
  const defaultJobOptions: DefaultJobOptions = {
    attempts: config.attempts ?? 5,
    backoff: { type: 'exponential', delay: config.backoffMs ?? 1000 },
    // A finished job is removed at once: the records keep the outcome, and a kept job would make
    // BullMQ drop a later enqueue of the same run id (a resumed run) as a duplicate.
    removeOnComplete: true,
    // Failed jobs stay a while for inspection; `enqueue` takes them out before re-adding a run.
    removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
  };
  return { connection: redisOptions(config.connection), prefix: config.prefix ?? DEFAULT_PREFIX, defaultJobOptions };
}

export function reportToStderr(error: Error): void {
  console.error(`bullmq: ${error.message}`);
}

/**
 * The distributed profile's queue: BullMQ on Redis. A run job's id is its run id, so BullMQ
 * ignores a second enqueue while the first is waiting, delayed or active. Schedule jobs come from
 * BullMQ job schedulers on the same queue (see runtime/schedules/bullmq-schedules.ts).
 */
export class BullmqRunQueue implements RunQueue {
  readonly #config: BullmqRunQueueConfig;
  readonly #queue: Queue;
  readonly #onError: (error: Error) => void;
  #worker: Worker | null = null;
  #stopped: Promise<void> | null = null;

  constructor(config: BullmqRunQueueConfig) {
    this.#config = config;
    this.#onError = config.onError ?? reportToStderr;
    this.#queue = new Queue(config.queueName, bullmqQueueOptions(config));
    // An EventEmitter 'error' without a listener would crash the process.
    this.#queue.on('error', this.#onError);
  }

  async enqueue(runIds: readonly string[]): Promise<void> {
    const ids = [...new Set(runIds)];
    if (ids.length === 0) return;
    try {
      await this.#removeFailed(ids);
      await this.#queue.addBulk(ids.map((runId) => ({ name: RUN_JOB, data: { runId }, opts: { jobId: runId } })));
    } catch (e) {
      throw unavailable(`cannot enqueue ${ids.length} run(s) on ${this.#config.queueName}`, e);
    }
  }

  /** A delayed BullMQ job: it survives every process, and whichever worker is up takes it. */
  async wakeAt(runId: string, delayMs: number): Promise<void> {
    try {
      await this.#queue.add(WAKE_JOB, { runId }, { delay: Math.max(0, Math.ceil(delayMs)) });
    } catch (e) {
      throw unavailable(`cannot schedule a wake of ${runId} on ${this.#config.queueName}`, e);
    }
  }

  consume(handle: (job: QueueJob) => Promise<void>, options: ConsumeOptions): void {
    if (this.#worker !== null) throw new EngineError('QUEUE_ALREADY_CONSUMING', 'consume() may be called once');
    if (this.#stopped !== null) throw new EngineError('QUEUE_STOPPED', 'the queue is stopped');
    const { prefix } = bullmqQueueOptions(this.#config);
    this.#worker = new Worker(this.#config.queueName, (job: Job) => deliver(job, handle), {
      // A worker blocks on Redis; BullMQ requires its commands never to give up (docs: connections).
      connection: { ...redisOptions(this.#config.connection), maxRetriesPerRequest: null },
      prefix,
      concurrency: options.concurrency,
      ...(this.#config.lockMs === undefined ? {} : { lockDuration: this.#config.lockMs, stalledInterval: this.#config.lockMs }),
    });
    this.#worker.on('error', this.#onError);
  }

  async depth(): Promise<number> {
    try {
      const counts = await this.#queue.getJobCounts('waiting', 'delayed', 'prioritized');
      return (counts['waiting'] ?? 0) + (counts['delayed'] ?? 0) + (counts['prioritized'] ?? 0);
    } catch (e) {
      throw unavailable(`cannot count jobs on ${this.#config.queueName}`, e);
    }
  }

  async ping(): Promise<void> {
    const timeoutMs = this.#config.pingTimeoutMs ?? 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable(`Redis did not answer PING within ${timeoutMs} ms`)), timeoutMs);
    });
    const pong = (async () => {
      const client: unknown = await this.#queue.client;
      // BullMQ's client adapter forwards commands it does not declare (PING) to ioredis.
      const ping = (client as { ping?: () => Promise<string> }).ping;
      if (typeof ping !== 'function') throw new Error('the Redis client has no PING');
      await ping.call(client);
    })();
    try {
      await Promise.race([pong, timeout]);
    } catch (e) {
      throw isEngineError(e) ? e : unavailable('Redis PING failed', e);
    } finally {
      clearTimeout(timer);
      pong.catch(() => undefined); // the loser of the race settles later; its outcome is already reported
    }
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      // Worker.close() waits for the handlers in flight before closing its connections.
      await this.#worker?.close();
      await this.#queue.close();
    })();
    return this.#stopped;
  }

  /** A failed job kept for inspection still holds its id: take it out so the run can be announced again. */
  async #removeFailed(ids: readonly string[]): Promise<void> {
    const client = await this.#queue.client;
    const failedKey = this.#queue.toKey('failed');
    const scores = await Promise.all(ids.map((id) => client.zscore(failedKey, id)));
    const failed = ids.filter((_, i) => scores[i] !== null);
    await Promise.all(failed.map((id) => this.#queue.remove(id)));
  }
}

/** Hands one BullMQ job to the handler; the error's retry flag decides whether BullMQ tries again. */
async function deliver(job: Job, handle: (job: QueueJob) => Promise<void>): Promise<void> {
  const queueJob = toQueueJob(job);
  try {
    await handle(queueJob);
  } catch (e) {
    if (isEngineError(e) && (e as EngineError).retryable) throw e;
    const code = isEngineError(e) ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    throw new UnrecoverableError(`${code}: ${message}`);
  }
}

function toQueueJob(job: Job): QueueJob {
  const data: unknown = job.data;
  const field = (name: string): unknown =>
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined;
  if (job.name === RUN_JOB || job.name === WAKE_JOB) {
    const runId = field('runId');
    if (typeof runId === 'string') return job.name === RUN_JOB ? { kind: 'run', runId } : { kind: 'wake', runId };
  } else if (job.name === SCHEDULE_JOB) {
    const playbook = field('playbook');
    const firedAt = field('firedAt');
    if (typeof playbook === 'string') {
      return { kind: 'schedule', playbook, firedAt: typeof firedAt === 'number' ? firedAt : scheduledAt(job) };
    }
  }
  throw new UnrecoverableError(`QUEUE_JOB_INVALID: job ${job.id ?? '?'} named ${JSON.stringify(job.name)} carries no valid data`);
}

/**
 * The slot a scheduler job was made for: BullMQ names it `repeat:<scheduler id>:<slot ms>`. Any
 * other delayed job became due at its creation time plus its delay.
 */
function scheduledAt(job: Job): number {
  const slot = /^repeat:.*:(\d+)$/.exec(job.id ?? '');
  if (slot?.[1] !== undefined) return Number(slot[1]);
  return job.timestamp + (job.delay ?? 0);
}

function unavailable(message: string, cause?: unknown): EngineError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new EngineError('QUEUE_UNAVAILABLE', `${message}${reason}`, { retryable: true, cause });
}
