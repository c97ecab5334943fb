import type BetterSqlite3 from 'better-sqlite3';
import { EngineError } from '../../../engine/errors.ts';
import type { Clock } from '../../../engine/ports/clock.ts';
import type { GateOp, GateOpResult, JsonValue, RateHit, StateStore } from '../../../engine/ports/state-store.ts';
import { applyGateOpsSync, type SyncGatePrimitives } from '../../state/apply-gate-ops.ts';
import { PendingState, type StateEntry } from './pending-state.ts';

type StateRow = StateEntry;

export interface SqliteStateStoreOptions {
  /** Expired rows are deleted in bulk every so many writes, so keys nobody reads again do not pile up. */
  purgeEveryWrites?: number;
  /**
   * Write-behind for gate paths, for a process that owns the file (the embedded profile).
   * `applyGateOps` writes to memory (visible to every read of this store at once) instead of one
   * transaction per gate path; the writes reach the file in the transaction of the next
   * `commitWith` (the ingest commit that must precede the webhook's answer), of any direct write
   * (`set`, `setIfAbsent`, `hit`, `delete`, which stay durable when they resolve), of `flush`,
   * or at the latest `flushAfterMs` later. Another process on the file sees them only then.
   */
  deferGateWrites?: { flushAfterMs?: number; onFlushError: (error: unknown) => void };
}

/**
 * The StateStore contract on the `state` table of the embedded data file. Every read-modify-write
 * is one IMMEDIATE transaction (the write lock is taken before reading), so it is atomic for its
 * key even with another process on the same file. Times come only from the injected clock: an
 * expired row reads as absent and is overwritten or purged later. Like the in-memory store and
 * Redis, a rate window is a key holding its count with the window as TTL.
 */
export class SqliteStateStore implements StateStore {
  readonly #clock: Clock;
  readonly #purgeEvery: number;
  #writes = 0;
  readonly #q;
  readonly #primitives: SyncGatePrimitives = {
    claim: (key, value, ttlMs) => this.#claim(key, value, ttlMs),
    hit: (key, max, windowMs) => this.#hit(key, max, windowMs),
    read: (key) => {
      const row = this.#live(key);
      return { value: row ? (JSON.parse(row.value) as JsonValue) : null, ttlMs: this.#ttl(row) };
    },
  };
  readonly #claimTx;
  readonly #hitTx;
  readonly #gateTx;
  readonly #commitTx;
  readonly #deferred: SqliteStateStoreOptions['deferGateWrites'] | null;
  readonly #pending = new PendingState();
  #fallback: NodeJS.Timeout | null = null;

  constructor(db: BetterSqlite3.Database, clock: Clock, options: SqliteStateStoreOptions = {}) {
    this.#clock = clock;
    this.#deferred = options.deferGateWrites ?? null;
    this.#purgeEvery = options.purgeEveryWrites ?? 1000;
    if (!Number.isSafeInteger(this.#purgeEvery) || this.#purgeEvery <= 0) {
      throw new EngineError('STATE_INVALID_OPTION', `purgeEveryWrites must be a positive integer, got ${this.#purgeEvery}`);
    }
    this.#q = {
      live: db.prepare<[string, number], StateRow>(
        'SELECT value, expires_at, rate FROM state WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
      ),
      put: db.prepare<[string, string, number | null, number]>(
        `INSERT INTO state (key, value, expires_at, rate) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, rate = excluded.rate`,
      ),
      delete: db.prepare<[string]>('DELETE FROM state WHERE key = ?'),
      purge: db.prepare<[number]>('DELETE FROM state WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
    this.#claimTx = db.transaction((key: string, value: JsonValue, ttlMs: number) => this.#claim(key, value, ttlMs));
    this.#hitTx = db.transaction((key: string, max: number, windowMs: number) => this.#hit(key, max, windowMs));
    this.#gateTx = db.transaction((ops: readonly GateOp[]) => applyGateOpsSync(this.#primitives, ops));
    this.#commitTx = db.transaction(<T>(work: () => T): T => {
      const result = work();
      for (const [key, entry] of this.#pending.entries()) {
        if (entry === null) this.#q.delete.run(key);
        else this.#write(key, entry.value, entry.expires_at, entry.rate);
      }
      return result;
    });
  }

  /**
   * Runs `work` (synchronous statements on the same file, such as the ingest inserts) in one
   * IMMEDIATE transaction together with the pending gate writes. When the transaction fails, the
   * pending writes stay pending for the next commit.
   */
  commitWith<T>(work: () => T): T {
    const result = this.#commitTx.immediate(work) as T;
    this.#pending.clear();
    return result;
  }

  /** Commits the pending gate writes now (before closing the file, say). */
  flush(): void {
    if (this.#fallback) clearTimeout(this.#fallback);
    this.#fallback = null;
    if (this.#pending.size > 0) this.commitWith(() => undefined);
  }

  async get(key: string): Promise<JsonValue | null> {
    const row = this.#live(key);
    return row ? (JSON.parse(row.value) as JsonValue) : null;
  }

  async set(key: string, value: JsonValue, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? null : this.#clock.now() + checkTtl(ttlMs);
    if (this.#deferred) this.#direct(() => this.#pending.set(key, { value: encode(value), expires_at: expiresAt, rate: 0 }));
    else this.#write(key, encode(value), expiresAt, 0);
  }

  async setIfAbsent(key: string, value: JsonValue, ttlMs: number): Promise<boolean> {
    if (this.#deferred) return this.#direct(() => this.#claim(key, value, ttlMs)).claimed;
    return this.#claimTx.immediate(key, value, ttlMs).claimed;
  }

  async hit(key: string, max: number, windowMs: number): Promise<RateHit> {
    if (this.#deferred) return this.#direct(() => this.#hit(key, max, windowMs));
    return this.#hitTx.immediate(key, max, windowMs);
  }

  async ttl(key: string): Promise<number | null> {
    return this.#ttl(this.#live(key));
  }

  async delete(key: string): Promise<void> {
    if (this.#deferred) this.#direct(() => this.#pending.set(key, null));
    else this.#q.delete.run(key);
  }

  /**
   * Atomic as a whole: a throw part way undoes it. One IMMEDIATE transaction, or with
   * `deferGateWrites` one synchronous pass over memory whose writes the next commit carries.
   */
  async applyGateOps(ops: readonly GateOp[]): Promise<GateOpResult[]> {
    if (!this.#deferred) return this.#gateTx.immediate(ops);
    const results = this.#pending.atomically(() => applyGateOpsSync(this.#primitives, ops));
    if (this.#pending.size > 0 && !this.#fallback) {
      const deferred = this.#deferred;
      this.#fallback = setTimeout(() => {
        this.#fallback = null;
        try {
          this.flush();
        } catch (e) {
          deferred.onFlushError(e);
        }
      }, deferred.flushAfterMs ?? 1000);
      this.#fallback.unref();
    }
    return results;
  }

  /** Deletes every expired row; returns how many. Reads never need it: expiry is checked on access. */
  purgeExpired(): number {
    return this.#q.purge.run(this.#clock.now()).changes;
  }

  #claim(key: string, value: JsonValue, ttlMs: number): { claimed: boolean; holder: JsonValue | null } {
    const expiresAt = this.#clock.now() + checkTtl(ttlMs);
    const text = encode(value);
    const present = this.#live(key);
    if (present) return { claimed: false, holder: JSON.parse(present.value) as JsonValue };
    this.#put(key, text, expiresAt, 0);
    return { claimed: true, holder: null };
  }

  #hit(key: string, max: number, windowMs: number): RateHit {
    checkTtl(windowMs, 'windowMs');
    const now = this.#clock.now();
    const row = this.#live(key);
    const count = row ? (JSON.parse(row.value) as unknown) : 0;
    if (row && (row.rate !== 1 || typeof count !== 'number' || row.expires_at === null)) {
      throw new EngineError('STATE_WRONG_TYPE', `key ${JSON.stringify(key)} holds a value, not a rate window`);
    }
    const counted = count as number;
    const resetAt = row?.expires_at ?? now + windowMs;
    if (counted >= max) return { allowed: false, count: counted, resetAt };
    this.#put(key, String(counted + 1), resetAt, 1);
    return { allowed: true, count: counted + 1, resetAt };
  }

  /** A direct write with `deferGateWrites`: made in memory, then committed with everything pending. */
  #direct<T>(work: () => T): T {
    // A failed commit undoes this write; the gate writes pending before it stay pending.
    return this.#pending.atomically(() => this.commitWith(work));
  }

  #live(key: string): StateRow | undefined {
    const now = this.#clock.now();
    if (this.#deferred) {
      const pending = this.#pending.get(key);
      if (pending !== undefined) return pending !== null && (pending.expires_at === null || pending.expires_at > now) ? pending : undefined;
    }
    return this.#q.live.get(key, now);
  }

  #ttl(row: StateRow | undefined): number | null {
    if (!row || row.expires_at === null) return null;
    return row.expires_at - this.#clock.now();
  }

  #put(key: string, value: string, expiresAt: number | null, rate: 0 | 1): void {
    if (this.#deferred) this.#pending.set(key, { value, expires_at: expiresAt, rate });
    else this.#write(key, value, expiresAt, rate);
  }

  #write(key: string, value: string, expiresAt: number | null, rate: number): void {
    this.#q.put.run(key, value, expiresAt, rate);
    if (++this.#writes % this.#purgeEvery === 0) this.purgeExpired();
  }
}

function encode(value: JsonValue): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new EngineError('NOT_JSON', 'value cannot be stored: it is not a JSON value');
  return text;
}

function checkTtl(ms: number, what = 'ttlMs'): number {
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new EngineError('STATE_INVALID_TTL', `${what} must be a positive integer number of ms, got ${ms}`);
  }
  return ms;
}
