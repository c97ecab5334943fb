export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Counters, TTL keys, dedup marks, cooldowns and caches. Contract (checked by one conformance suite
 * for every adapter): every method is atomic for its key; an expired key reads as absent;
 * times come from the adapter's clock, never from the caller's wall time.
 */
export interface StateStore {
  get(key: string): Promise<JsonValue | null>;
  /** Set a value; with `ttlMs` it disappears after that long. */
  set(key: string, value: JsonValue, ttlMs?: number): Promise<void>;
  /** Set only when absent (dedup, cooldown marks). True when this call set it. */
  setIfAbsent(key: string, value: JsonValue, ttlMs: number): Promise<boolean>;
  /**
   * Rate limit in one atomic step: counts this hit in a window of `windowMs` that starts at the
   * first hit, unless `max` hits are already counted. `allowed` is false when refused (not counted).
   */
  hit(key: string, max: number, windowMs: number): Promise<RateHit>;
  /** Remaining time to live of a key in ms, or null when absent or without TTL. */
  ttl(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
}

export interface RateHit {
  allowed: boolean;
  /** Hits counted in the current window, after this one when allowed. */
  count: number;
  /** Epoch ms when the current window ends. */
  resetAt: number;
}
