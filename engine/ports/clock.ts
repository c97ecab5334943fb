/** Time is a port: runs are deterministic under an injected clock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
}
