/** Id source: production uses random ids, tests a counter. */
export interface Ids {
  /** A new id that starts with `prefix` (for example `run_`). */
  next(prefix: string): string;
}
