import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { EngineConfig } from '../config/config.ts';
import { openDistributedProfile } from './distributed.ts';
import { openEmbeddedProfile } from './embedded.ts';
import type { Profile } from './profile.ts';

/** REDIS_URL and DATABASE_URL select the distributed profile; otherwise the embedded one. */
export async function openProfile(config: EngineConfig, clock: Clock, logger: Logger): Promise<Profile> {
  if (config.redisUrl && config.databaseUrl) {
    return openDistributedProfile({
      redisUrl: config.redisUrl,
      databaseUrl: config.databaseUrl,
      queueName: config.queueName,
      redisPrefix: config.redisPrefix,
      databaseSchema: config.databaseSchema,
      clock,
      logger,
    });
  }
  return openEmbeddedProfile({ dataDir: config.dataDir, clock, logger });
}
