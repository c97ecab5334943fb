import type { Logger } from 'pino';
import { describeError } from '../../engine/errors.ts';
import type { Clock } from '../../engine/ports/clock.ts';
import type { ReadinessCheck, ReadinessReport } from '../http/deps.ts';
import { BullmqRunQueue } from '../queue/bullmq-queue.ts';
import { BullmqSchedules } from '../schedules/bullmq-schedules.ts';
import { openPostgresRecords } from '../stores/postgres/records.ts';
import { openStateRedis } from '../stores/redis/client.ts';
import { RedisStateStore } from '../stores/redis/state-store.ts';
import type { Profile } from './profile.ts';

export interface DistributedOptions {
  redisUrl: string;
  databaseUrl: string;
  queueName: string;
  redisPrefix: string;
  databaseSchema: string;
  queueLockMs?: number;
  clock: Clock;
  logger: Logger;
}

/**
 * Any number of `engine serve` and `engine worker` processes on any host: BullMQ on Redis for the
 * queue and schedules, Redis for gate state (one Lua script per gate path), PostgreSQL for records.
 */
export async function openDistributedProfile(o: DistributedOptions): Promise<Profile> {
  const records = await openPostgresRecords(o.databaseUrl, { schema: o.databaseSchema });
  const redis = openStateRedis(o.redisUrl);
  const state = new RedisStateStore({ redis, clock: o.clock, prefix: `${o.redisPrefix}:state:` });
  const onError = (error: Error): void => o.logger.warn({ err: error }, 'redis connection error');
  const queue = new BullmqRunQueue({ connection: o.redisUrl, queueName: o.queueName, prefix: o.redisPrefix, onError, ...(o.queueLockMs === undefined ? {} : { lockMs: o.queueLockMs }) });
  const schedules: BullmqSchedules[] = [];
  o.logger.info({ queue: o.queueName, schema: o.databaseSchema }, 'distributed profile: Redis + PostgreSQL');
  const check = async (name: string, probe: () => Promise<unknown>): Promise<[string, ReadinessCheck]> => {
    try {
      await probe();
      return [name, { ok: true }];
    } catch (e) {
      return [name, { ok: false, message: describeError(e).message }];
    }
  };
  return {
    name: 'distributed',
    state,
    records,
    queue,
    createSchedules: () => {
      const s = new BullmqSchedules({ connection: o.redisUrl, queueName: o.queueName, prefix: o.redisPrefix, onError });
      schedules.push(s);
      return s;
    },
    async readiness(): Promise<ReadinessReport> {
      const checks = await Promise.all([check('records', () => records.ping()), check('state', () => redis.ping()), check('queue', () => queue.ping())]);
      return { checks: Object.fromEntries(checks) };
    },
    async close() {
      await queue.stop();
      for (const s of schedules) await s.stop();
      await records.close();
      redis.disconnect();
    },
  };
}
