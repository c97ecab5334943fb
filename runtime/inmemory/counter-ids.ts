import type { Ids } from '../../engine/ports/ids.ts';

/** Deterministic ids for dry-run and tests: `run_0001`, `run_0002`… counted per prefix. */
export class CounterIds implements Ids {
  readonly #counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}${String(n).padStart(4, '0')}`;
  }
}
