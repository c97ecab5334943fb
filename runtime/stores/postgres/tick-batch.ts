/**
 * Coalesces the calls made within one turn of the event loop into one statement: a worker at
 * concurrency 8 takes and finishes runs in bursts, and eight single-row UPDATEs cost eight commits
 * where one UPDATE over eight rows costs one. Alone, a call waits one setImmediate.
 *
 * `run` gets distinct keys only (two calls for the same run in one batch would race inside one
 * statement): a repeated key waits for the next batch. It answers per item; a throw fails every
 * call of the batch with that error.
 */
interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class TickBatch<I, O> {
  readonly #run: (items: readonly I[]) => Promise<O[]>;
  readonly #key: (item: I) => string;
  #pending: Pending<I, O>[] = [];
  #scheduled = false;

  constructor(run: (items: readonly I[]) => Promise<O[]>, key: (item: I) => string) {
    this.#run = run;
    this.#key = key;
  }

  call(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const seen = new Set<string>();
    const batch: Pending<I, O>[] = [];
    const later: Pending<I, O>[] = [];
    for (const p of this.#pending) {
      const key = this.#key(p.item);
      (seen.has(key) ? later : batch).push(p);
      seen.add(key);
    }
    this.#pending = later;
    if (later.length > 0) this.#schedule();
    if (batch.length === 0) return;
    try {
      const results = await this.#run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}
