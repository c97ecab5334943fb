import type { QueueJob } from '../queue/run-queue.ts';

/**
 * Counts jobs in flight in this process, so shutdown and tests can await "nothing running"
 * instead of sleeping, and so a handler's failure is reported, never lost.
 */
export class WorkTracker {
  #inFlight = 0;
  #waiters: (() => void)[] = [];

  wrap(handle: (job: QueueJob) => Promise<void>, onError: (job: QueueJob, error: unknown) => void): (job: QueueJob) => Promise<void> {
    return async (job) => {
      this.#inFlight++;
      try {
        await handle(job);
      } catch (e) {
        onError(job, e);
        throw e;
      } finally {
        this.#inFlight--;
        if (this.#inFlight === 0) for (const w of this.#waiters.splice(0)) w();
      }
    };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves when no job is in flight (at once if none is). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
