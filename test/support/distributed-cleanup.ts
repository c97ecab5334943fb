import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { EngineConfig } from '../../runtime/config/config.ts';
import { adminPool } from '../stores/postgres-test-db.ts';

/** Removes what a distributed-profile test left: its BullMQ queue, its Redis keys, its PostgreSQL schema. */
export async function cleanDistributed(config: EngineConfig, schema: string): Promise<void> {
  const queue = new Queue(config.queueName, { connection: { host: '127.0.0.1', port: 6379 }, prefix: config.redisPrefix });
  await queue.obliterate({ force: true });
  await queue.close();
  const redis = new Redis(6379, '127.0.0.1');
  const keys = await redis.keys(`${config.redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  const pool = await adminPool();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
