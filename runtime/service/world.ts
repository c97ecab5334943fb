import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { Ids } from '../../engine/ports/ids.ts';
import type { Ports } from '../../engine/ports/index.ts';
import type { Profile } from '../profiles/profile.ts';
import { UNCONFIGURED_ADAPTERS, UnconfiguredHttp, UnconfiguredLlm, UnconfiguredMemory, UnconfiguredShell, UnconfiguredTools } from '../unconfigured/adapters.ts';
import { LogNotifier } from '../unconfigured/log-notifier.ts';

/** The adapters that reach outside systems; tests and embedders may replace any of them. */
export type World = Pick<Ports, 'llm' | 'shell' | 'memory' | 'notifier' | 'tools' | 'http'>;

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
    http: world.http ?? new UnconfiguredHttp(),
    notifier: world.notifier ?? new LogNotifier(logger),
  };
}

/** One line per adapter for the start-up log: what is connected, and what a step needing it does. */
export interface AdapterReport {
  configured: string[];
  notConfigured: Record<string, string>;
}

export function reportAdapters(world: Partial<World>): AdapterReport {
  const configured: string[] = [];
  const notConfigured: Record<string, string> = {};
  for (const name of ['llm', 'shell', 'tools', 'memory', 'http'] as const) {
    if (world[name] !== undefined) configured.push(name);
    else notConfigured[name] = UNCONFIGURED_ADAPTERS[name];
  }
  configured.push(world.notifier !== undefined ? 'notifier' : 'notifier (to the JSON log)');
  return { configured, notConfigured };
}
