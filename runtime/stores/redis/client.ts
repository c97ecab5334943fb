import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis settings for the state store. The gate path of an event must answer in bounded time:
 * when Redis is away a call fails with STATE_UNAVAILABLE (retryable) and the caller decides,
 * instead of waiting forever; the client keeps reconnecting and serves again when Redis is back.
 */
const STATE_REDIS_OPTIONS: RedisOptions = {
  // 0: when the connection drops, commands in flight and queued fail at once, at the first
  // failed reconnection (ioredis default: 20 attempts; null: wait forever).
  maxRetriesPerRequest: 0,
  // Never resend a script whose answer was lost: it may have run, and a second run would count a
  // rate hit twice or refuse a claim on the caller's own mark. The caller sees STATE_UNAVAILABLE.
  autoResendUnfulfilledCommands: false,
  // Kept on: commands sent while a connection is opening wait for it instead of failing at
  // startup; while Redis is away they wait at most one reconnection attempt (see retryStrategy).
  enableOfflineQueue: true,
  // A half-open connection (no RST, no answer) fails a command after this long.
  commandTimeout: 5_000,
  connectTimeout: 5_000,
  // Reconnect forever, at most every 500 ms: the store comes back by itself when Redis does, and
  // a call made while Redis is away fails within about 500 ms.
  retryStrategy: (times: number) => Math.min(times * 50, 500),
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
