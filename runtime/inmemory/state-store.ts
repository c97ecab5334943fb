import { EngineError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { GateOp, GateOpResult, JsonValue, RateHit, StateStore } from '../../engine/ports/state-store.ts';
import { applyGateOpsSync, type SyncGatePrimitives } from '../state/apply-gate-ops.ts';
import { copyJson } from './json-copy.ts';

interface Entry {
  value: JsonValue;
  /** Epoch ms at which the key reads as absent; null when it never expires. */
  expiresAt: number | null;
  /** Set for a rate window: the count lives in `value`, the window ends at `expiresAt`. */
  rate?: true;
}

/** Expired entries are also dropped in bulk every so many writes, so unread keys do not pile up. */
const PURGE_EVERY_WRITES = 1000;

/**
 * The StateStore contract in one process. Every method runs synchronously inside its promise, so
 * each is atomic for its key. Expiry is computed from the injected clock when a key is touched:
 * there are no real timers. Like Redis, a rate window is an ordinary key holding its count with
 * a TTL: `get` reads the count, `ttl` the rest of the window, `delete` ends the window.
 */
export class InMemoryStateStore implements StateStore {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  #writes = 0;
  /** While gate ops run: each written key's entry before the list touched it, to undo on a throw. */
  #undo: Map<string, Entry | undefined> | null = null;
  readonly #primitives: SyncGatePrimitives = {
    claim: (key, value, ttlMs) => this.#claim(key, value, ttlMs),
    hit: (key, max, windowMs) => this.#hit(key, max, windowMs),
    read: (key) => {
      const entry = this.#live(key);
      return { value: entry ? copyJson(entry.value) : null, ttlMs: this.#ttl(entry) };
    },
  };

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async get(key: string): Promise<JsonValue | null> {
    const entry = this.#live(key);
    return entry ? copyJson(entry.value) : null;
  }

  async set(key: string, value: JsonValue, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? null : this.#clock.now() + checkTtl(ttlMs);
    this.#write(key, { value: copyJson(value), expiresAt });
  }

  async setIfAbsent(key: string, value: JsonValue, ttlMs: number): Promise<boolean> {
    return this.#claim(key, value, ttlMs).claimed;
  }

  async hit(key: string, max: number, windowMs: number): Promise<RateHit> {
    return this.#hit(key, max, windowMs);
  }

  async ttl(key: string): Promise<number | null> {
    return this.#ttl(this.#live(key));
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Runs synchronously, so no other call interleaves; a throw undoes the writes of the list. */
  async applyGateOps(ops: readonly GateOp[]): Promise<GateOpResult[]> {
    this.#undo = new Map();
    try {
      return applyGateOpsSync(this.#primitives, ops);
    } catch (e) {
      for (const [key, entry] of this.#undo) {
        if (entry) this.#entries.set(key, entry);
        else this.#entries.delete(key);
      }
      throw e;
    } finally {
      this.#undo = null;
    }
  }

  #claim(key: string, value: JsonValue, ttlMs: number): { claimed: boolean; holder: JsonValue | null } {
    const expiresAt = this.#clock.now() + checkTtl(ttlMs);
    const copy = copyJson(value);
    const present = this.#live(key);
    if (present) return { claimed: false, holder: copyJson(present.value) };
    this.#write(key, { value: copy, expiresAt });
    return { claimed: true, holder: null };
  }

  #hit(key: string, max: number, windowMs: number): RateHit {
    checkTtl(windowMs, 'windowMs');
    const now = this.#clock.now();
    const entry = this.#live(key);
    if (entry && (!entry.rate || typeof entry.value !== 'number' || entry.expiresAt === null)) {
      throw new EngineError('STATE_WRONG_TYPE', `key ${JSON.stringify(key)} holds a value, not a rate window`);
    }
    const count = entry ? (entry.value as number) : 0;
    const resetAt = entry ? (entry.expiresAt as number) : now + windowMs;
    if (count >= max) return { allowed: false, count, resetAt };
    this.#write(key, { value: count + 1, expiresAt: resetAt, rate: true });
    return { allowed: true, count: count + 1, resetAt };
  }

  #ttl(entry: Entry | undefined): number | null {
    if (!entry || entry.expiresAt === null) return null;
    return entry.expiresAt - this.#clock.now();
  }

  /** Drops every expired entry; returns how many. Reads never need it: expiry is checked on access. */
  purgeExpired(): number {
    const now = this.#clock.now();
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) {
        this.#entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.#clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, entry: Entry): void {
    if (this.#undo && !this.#undo.has(key)) this.#undo.set(key, this.#entries.get(key));
    this.#entries.set(key, entry);
    if (++this.#writes % PURGE_EVERY_WRITES === 0) this.purgeExpired();
  }
}

function checkTtl(ms: number, what = 'ttlMs'): number {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new EngineError('STATE_INVALID_TTL', `${what} must be a positive integer number of ms, got ${ms}`);
  }
  return ms;
}
