/**
 * Hands work to workers. The records hold the truth (a run is `queued` in SQLite or PostgreSQL
 * before it is enqueued); the queue only says "look at run X" or "schedule Y fired", so a lost
 * or repeated delivery is harmless: the worker's `startRun` takes a queued run once.
 */
export type QueueJob =
  | { kind: 'run'; runId: string }
  | { kind: 'schedule'; playbook: string; firedAt: number }
  /** A waiting run's timer may be due (an approval's expiry, a wait): look at its journal. */
  | { kind: 'wake'; runId: string };

export interface ConsumeOptions {
  /** Jobs handled at once by this process. */
  concurrency: number;
}

export interface RunQueue {
  /** Announces committed runs. Ids already enqueued and not yet done are not enqueued twice. */
  enqueue(runIds: readonly string[]): Promise<void>;
  /** Starts delivering jobs to `handle`, at most `concurrency` at a time. Call once. */
  consume(handle: (job: QueueJob) => Promise<void>, options: ConsumeOptions): void;
  /**
   * Delivers a `wake` job for the run after `delayMs`: the timer of a waiting run. A lost wake is
   * harmless (the deadline is in the run's journal, and the timers' sweep finds it).
   */
  wakeAt(runId: string, delayMs: number): Promise<void>;
  /** Jobs waiting to be handled (the `queue_depth` metric). */
  depth(): Promise<number>;
  /** Throws when the queue's backend cannot be reached (readiness). */
  ping(): Promise<void>;
  /** Stops taking jobs and waits for the handlers in flight to return. */
  stop(): Promise<void>;
}
