import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { EngineConfig } from '../config/config.ts';
import { openEmbeddedProfile } from './embedded.ts';
import type { Profile } from './profile.ts';

/**
 * REDIS_URL and DATABASE_URL select the distributed profile; otherwise the embedded one. The
 * distributed drivers (BullMQ, ioredis, pg) are loaded only when chosen: the embedded server
 * does not pay their memory (about 25 MB).
 */
export async function openProfile(config: EngineConfig, clock: Clock, logger: Logger): Promise<Profile> {
  if (config.redisUrl && config.databaseUrl) {
    const { openDistributedProfile } = await import('./distributed.ts');
    return openDistributedProfile({
      redisUrl: config.redisUrl,
      databaseUrl: config.databaseUrl,
      queueName: config.queueName,
      redisPrefix: config.redisPrefix,
      databaseSchema: config.databaseSchema,
      queueLockMs: config.queueLockMs,
      clock,
      logger,
    });
  }
  return openEmbeddedProfile({ dataDir: config.dataDir, clock, logger });
}
