export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Counters, TTL keys, dedup marks, cooldowns and caches. Contract (checked by one conformance suite
 * for every adapter): every method is atomic for its key; an expired key reads as absent;
 * times come from the adapter's clock, never from the caller's wall time.
 */
export interface StateStore extends GateOps {
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

/**
 * One state operation of a playbook's gate path. The gates of one event are planned first (their
 * keys are pure expressions), then sent to the store as one list, so a networked store answers
 * them in one round trip (one Lua script in Redis).
 */
export type GateOp =
  /** Dedup and cooldown marks: set `value` unless the key exists. Refuses when it already exists. */
  | { op: 'claim'; key: string; value: JsonValue; ttlMs: number }
  /** Rate limit: the same as `hit()`. Refuses when not allowed. */
  | { op: 'hit'; key: string; max: number; windowMs: number }
  /**
   * Flags (maintenance, circuit, cooldown without `for:`): read a key. Refuses when the key is
   * present and either `refuseOn` is 'present', or the value's JSON text (`JSON.stringify`) is
   * one of `refuseOn`.
   */
  | { op: 'read'; key: string; refuseOn: 'present' | { anyOf: string[] } | { except: string[] } };

export type GateOpResult =
  | { op: 'claim'; refused: boolean; /** the value already there when refused */ holder: JsonValue | null }
  | ({ op: 'hit'; refused: boolean } & RateHit)
  | { op: 'read'; refused: boolean; value: JsonValue | null; ttlMs: number | null };

/**
 * Applies gate operations in order, atomically as a whole, and stops after the first refused one:
 * the result has one entry per operation applied, the last being the refusal if any. Operations
 * after a refusal leave no trace (a refused rate hit is not counted, a later dedup mark not set).
 * `read` with `{ except: [...] }` refuses when the key is present and its JSON text is not listed.
 */
export interface GateOps {
  applyGateOps(ops: readonly GateOp[]): Promise<GateOpResult[]>;
}
