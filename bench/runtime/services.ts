/**
 * The real services of the distributed benches, on loopback only, and the isolation of one bench
 * run on them: its own PostgreSQL schema, BullMQ queue and Redis key prefix, all removed after.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

export const REDIS_URL = 'redis://127.0.0.1:6379';
/** Trust auth as `postgres`, or as `root` where that is the superuser (as in test/stores). */
const DATABASE_CANDIDATES = ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

export interface Isolation {
  schema: string;
  queueName: string;
  redisPrefix: string;
}

/** Names no other bench run or test uses. */
export function isolation(tag: string): Isolation {
  const id = randomUUID().replaceAll('-', '').slice(0, 12);
  return { schema: `bench_${tag}_${id}`, queueName: `bench-${tag}-${id}`, redisPrefix: `bench-${tag}-${id}` };
}

/** The first loopback PostgreSQL URL that accepts a connection, or null. */
async function findDatabaseUrl(): Promise<string | null> {
  for (const url of DATABASE_CANDIDATES) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      return url;
    } catch {
      // try the next user
    } finally {
      await client.end().catch(() => {});
    }
  }
  return null;
}

async function redisReachable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Both services, or why a distributed bench cannot run. */
export async function distributedServices(): Promise<{ ok: true; databaseUrl: string } | { ok: false; why: string }> {
  const [databaseUrl, redis] = await Promise.all([findDatabaseUrl(), redisReachable()]);
  if (!redis) return { ok: false, why: `no Redis at ${REDIS_URL}` };
  if (databaseUrl === null) return { ok: false, why: 'no PostgreSQL at 127.0.0.1:5432/test (users postgres, root)' };
  return { ok: true, databaseUrl };
}

/** The environment of `engine serve` / `engine worker` in the distributed profile, isolated. */
export function distributedEnv(iso: Isolation, databaseUrl: string): Record<string, string> {
  return { REDIS_URL, ENGINE_SECRET_KEY: 'b'.repeat(64), DATABASE_URL: databaseUrl, DATABASE_SCHEMA: iso.schema, QUEUE_NAME: iso.queueName, REDIS_PREFIX: iso.redisPrefix };
}

/** Removes everything a run left: the queue, every key under the prefix, the schema. */
export async function cleanDistributed(iso: Isolation, databaseUrl: string | null): Promise<void> {
  const queue = new Queue(iso.queueName, { connection: { host: '127.0.0.1', port: 6379 }, prefix: iso.redisPrefix });
  queue.on('error', () => {});
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${iso.redisPrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  if (databaseUrl !== null) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${iso.schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}
