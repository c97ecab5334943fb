import type { IngestBatch } from '../records/records.ts';

/**
 * Group commit: the ingest batches of every request that arrives within one turn of the event
 * loop are committed in one transaction, then each request is answered. Under load this turns
 * thousands of small commits into a few large ones; alone, a request waits one setImmediate.
 * When a merged commit fails, each batch is retried on its own, so one bad batch cannot make
 * the others fail and each caller gets its own answer.
 */
export class CommitBatcher {
  readonly #commit: (batch: IngestBatch) => Promise<void>;
  readonly #maxBatches: number;
  #pending: { batch: IngestBatch; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #scheduled = false;

  constructor(commit: (batch: IngestBatch) => Promise<void>, options: { maxBatches?: number } = {}) {
    this.#commit = commit;
    this.#maxBatches = options.maxBatches ?? 500;
  }

  commit(batch: IngestBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ batch, resolve, reject });
      if (this.#pending.length >= this.#maxBatches) void this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const items = this.#pending;
    this.#pending = [];
    if (items.length === 0) return;
    if (items.length === 1) {
      const only = items[0]!;
      await this.#commit(only.batch).then(only.resolve, only.reject);
      return;
    }
    const merged: IngestBatch = { events: items.flatMap((i) => i.batch.events), runs: items.flatMap((i) => i.batch.runs) };
    try {
      await this.#commit(merged);
      for (const i of items) i.resolve();
    } catch {
      // The merged transaction rolled back whole: commit each batch alone to find the bad one.
      for (const i of items) await this.#commit(i.batch).then(i.resolve, i.reject);
    }
  }
}
