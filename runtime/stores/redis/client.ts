import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis settings for the state store. The gate path of an event must answer in bounded time:
 * when Redis is away a call fails with STATE_UNAVAILABLE (retryable) and the caller decides,
 * instead of waiting forever; the client keeps reconnecting and serves again when Redis is back.
 */
export const STATE_REDIS_OPTIONS: RedisOptions = {
  // A command waiting on a lost connection fails after one reconnection attempt (ioredis default:
  // 20 attempts, null: forever). Two attempts cost ~100 ms with the backoff below.
  maxRetriesPerRequest: 1,
  // Kept on: commands sent while the first connection is still opening wait for it instead of
  // failing at startup; maxRetriesPerRequest bounds the wait when Redis stays away.
  enableOfflineQueue: true,
  // A half-open connection (no RST, no answer) fails a command after this long.
  commandTimeout: 5_000,
  connectTimeout: 5_000,
  // Reconnect forever with a capped backoff, so the store comes back by itself.
  retryStrategy: (times: number) => Math.min(times * 100, 2_000),
};

/**
 * A client for the state store. Connection errors are reported through rejected commands; the
 * 'error' event listener only keeps ioredis from printing them a second time.
 */
export function openStateRedis(url: string, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, { ...STATE_REDIS_OPTIONS, ...overrides });
  redis.on('error', () => {});
  return redis;
}
