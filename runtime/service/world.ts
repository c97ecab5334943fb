import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { Profile } from '../profiles/profile.ts';
import { UnconfiguredLlm, UnconfiguredMemory, UnconfiguredShell, UnconfiguredTools } from '../unconfigured/adapters.ts';
import { LogNotifier } from '../unconfigured/log-notifier.ts';

/** The adapters that reach outside systems; tests and embedders may replace any of them. */
export type World = Pick<Ports, 'llm' | 'shell' | 'memory' | 'notifier' | 'tools'>;

/** The interpreter's ports for a server: the profile's stores plus the world's adapters. */
export function serverPorts(profile: Profile, clock: Clock, ids: Ids, logger: Logger, world: Partial<World> = {}): Ports {
  return {
    clock,
    ids,
    state: profile.state,
    records: profile.records,
    llm: world.llm ?? new UnconfiguredLlm(),
    shell: world.shell ?? new UnconfiguredShell(),
    memory: world.memory ?? new UnconfiguredMemory(),
    tools: world.tools ?? new UnconfiguredTools(),
    notifier: world.notifier ?? new LogNotifier(logger),
  };
}
