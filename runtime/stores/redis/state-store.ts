import type { Redis } from 'ioredis';
import { EngineError } from '../../../engine/errors.ts';
import type { Clock } from '../../../engine/ports/clock.ts';
import type { GateOp, GateOpResult, JsonValue, RateHit, StateStore } from '../../../engine/ports/state-store.ts';
import { checkTtl, decodeGateOps, encodeGateOps, jsonText, parseJson } from './gate-ops-codec.ts';
import { stateError } from './errors.ts';
import { defineStateScripts, type StateScripts } from './scripts.ts';

export interface RedisStateStoreOptions {
  /** Best built with `openStateRedis` (bounded retries); must not set ioredis `keyPrefix`. */
  redis: Redis;
  clock: Clock;
  /** Prepended to every key, e.g. 'engine:state:'; one prefix per deployment (or per test). */
  prefix: string;
  /** How long after its logical expiry Redis itself drops a key; default 60 s. */
  gcGraceMs?: number;
}

const DEFAULT_GC_GRACE_MS = 60_000;

/**
 * The StateStore on Redis, for the distributed profile. Each key is a hash
 * `{v: JSON text, e: expiry epoch ms, r: '1' for a rate window}`.
 *
 * Time comes only from the injected clock: writes store the absolute expiry `e` computed from the
 * clock's `now`, and every read and script judges expiry against the caller's `now`, so a key
 * is live exactly while `now < e`, under a manual clock as under the system clock. Redis's own
 * expiry would use Redis time, so it is used only to collect garbage: each write also sets a
 * relative PEXPIRE of (e - now) + gcGraceMs. Relative, not PEXPIREAT, because a manual clock in
 * the past would make an absolute deadline drop the key at once. The cost: a clock running more
 * than gcGraceMs slower than Redis time can see a key vanish early (reads as absent), and hosts
 * sharing the store must keep their clocks in sync (NTP), as expiry is judged by each caller.
 *
 * setIfAbsent, hit and applyGateOps are one Lua script (gate-ops.lua), so a list of gate
 * operations is one round trip and atomic as a whole; set is set.lua; get and ttl are one HMGET.
 * Failures are EngineErrors: STATE_UNAVAILABLE (retryable) when Redis cannot be reached,
 * STATE_WRONG_TYPE, STATE_INVALID_TTL, NOT_JSON, STATE_ERROR otherwise.
 */
export class RedisStateStore implements StateStore {
  readonly #redis: Redis & StateScripts;
  readonly #clock: Clock;
  readonly #prefix: string;
  readonly #gcGraceMs: number;

  constructor(options: RedisStateStoreOptions) {
    this.#redis = defineStateScripts(options.redis);
    this.#clock = options.clock;
    this.#prefix = options.prefix;
    this.#gcGraceMs = checkTtl(options.gcGraceMs ?? DEFAULT_GC_GRACE_MS, 'gcGraceMs');
  }

  async get(key: string): Promise<JsonValue | null> {
    const entry = await this.#read(key);
    return entry ? parseJson(entry.v) : null;
  }

  async set(key: string, value: JsonValue, ttlMs?: number): Promise<void> {
    const ttl = ttlMs === undefined ? '' : String(checkTtl(ttlMs));
    const text = jsonText(value);
    const now = this.#clock.now();
    await this.#call(() => this.#redis.engineStateSet(this.#key(key), text, ttl, now, this.#gcGraceMs));
  }

  async setIfAbsent(key: string, value: JsonValue, ttlMs: number): Promise<boolean> {
    const [result] = await this.applyGateOps([{ op: 'claim', key, value, ttlMs }]);
    return result?.refused === false;
  }

  async hit(key: string, max: number, windowMs: number): Promise<RateHit> {
    const [result] = await this.applyGateOps([{ op: 'hit', key, max, windowMs }]);
    if (result?.op !== 'hit') throw new EngineError('STATE_BAD_REPLY', 'the gate-ops script gave no result for a hit');
    return { allowed: result.allowed, count: result.count, resetAt: result.resetAt };
  }

  async ttl(key: string): Promise<number | null> {
    const entry = await this.#read(key);
    return entry && entry.e !== null ? entry.e - this.#clock.now() : null;
  }

  async delete(key: string): Promise<void> {
    await this.#call(() => this.#redis.del(this.#key(key)));
  }

  async applyGateOps(ops: readonly GateOp[]): Promise<GateOpResult[]> {
    if (ops.length === 0) return [];
    const { keys, args } = encodeGateOps(ops, (key) => this.#key(key));
    const now = this.#clock.now();
    const reply = await this.#call(
      () => this.#redis.engineStateGateOps(keys.length, ...keys, now, this.#gcGraceMs, ...args),
      (opNumber) => ops[opNumber - 1]?.key,
    );
    return decodeGateOps(ops, reply);
  }

  /** The live entry of a key under the clock's now, or null. */
  async #read(key: string): Promise<{ v: string; e: number | null } | null> {
    const [v, e] = await this.#call(() => this.#redis.hmget(this.#key(key), 'v', 'e'));
    if (v === null || v === undefined) return null;
    const expiresAt = e === null || e === undefined ? null : Number(e);
    if (expiresAt !== null && expiresAt <= this.#clock.now()) return null;
    return { v, e: expiresAt };
  }

  #key(key: string): string {
    return this.#prefix + key;
  }

  async #call<T>(command: () => Promise<T>, keyOf?: (opNumber: number) => string | undefined): Promise<T> {
    try {
      return await command();
    } catch (e) {
      throw stateError(e, keyOf);
    }
  }
}
