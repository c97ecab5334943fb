/** A row of the `state` table as the store reads and writes it. */
export interface StateEntry {
  value: string;
  expires_at: number | null;
  /** 1 when the value is a rate window's count. */
  rate: number;
}

/**
 * State writes made but not yet committed to the file, the newest per key (`null`: deleted).
 * Reads look here before the file, so a write is visible at once; the store commits the lot in
 * one transaction (see SqliteStateStore's `deferGateWrites`).
 */
export class PendingState {
  readonly #entries = new Map<string, StateEntry | null>();
  /** While `atomically` runs: what each written key held before, to undo on a throw. */
  #undo: [string, StateEntry | null | undefined][] | null = null;

  get size(): number {
    return this.#entries.size;
  }

  /** The pending entry, `null` for a pending delete, `undefined` when the key has no pending write. */
  get(key: string): StateEntry | null | undefined {
    return this.#entries.get(key);
  }

  set(key: string, entry: StateEntry | null): void {
    this.#undo?.push([key, this.#entries.has(key) ? this.#entries.get(key) : undefined]);
    this.#entries.set(key, entry);
  }

  entries(): IterableIterator<[string, StateEntry | null]> {
    return this.#entries.entries();
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Runs `work`; when it throws, every pending write it made is undone before the throw goes on. */
  atomically<T>(work: () => T): T {
    const outer = this.#undo;
    const undo: [string, StateEntry | null | undefined][] = [];
    this.#undo = undo;
    try {
      return work();
    } catch (e) {
      for (const [key, before] of undo.reverse()) {
        if (before === undefined) this.#entries.delete(key);
        else this.#entries.set(key, before);
      }
      throw e;
    } finally {
      // A nested call's writes belong to the outer call too, so an outer throw undoes them.
      if (outer) outer.push(...undo);
      this.#undo = outer;
    }
  }
}
