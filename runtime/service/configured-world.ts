import type { Logger } from 'pino';
import type { Clock } from '../../engine/ports/clock.ts';
import type { StateStore } from '../../engine/ports/state-store.ts';
import type { ToolCatalog } from '../../engine/tools/model.ts';
import { readProbeConfig } from '../adapters/http-probe/config.ts';
import { FetchProbe } from '../adapters/http-probe/fetch-probe.ts';
import { readMcpConfig } from '../adapters/mcp/config.ts';
import { McpTools } from '../adapters/mcp/tools.ts';
import { readNotifyConfig } from '../adapters/notify/config.ts';
import { ChannelNotifier } from '../adapters/notify/notifier.ts';
import { readSshConfig } from '../adapters/ssh/config.ts';
import { SshShell } from '../adapters/ssh/ssh-shell.ts';
import type { AdapterSections } from '../config/config.ts';
import type { World } from './world.ts';

/** An adapter built from engine.config.yaml, with what the start-up log and /readyz say of it. */
interface Built {
  describe(): string;
  health?(): unknown;
  close?(): Promise<void>;
}

/** The adapters engine.config.yaml configures: the world's parts, their descriptions, health and shutdown. */
export interface ConfiguredWorld {
  world: Partial<World>;
  /** One line per configured adapter, for the start-up log. */
  lines: string[];
  /** Each configured adapter's health (last connection, last failure), for /readyz; informative, never a refusal. */
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface WorldDeps {
  env: Env;
  root: string;
  logger: Logger;
  clock: Clock;
  state: StateStore;
  /** The tool catalog in force (it reloads with the playbooks): where the MCP adapter routes each call. */
  tools: () => ToolCatalog;
}

/**
 * Builds the adapters of the sections engine.config.yaml holds (hosts: SSH, mcp: tools,
 * notifiers:, probes: HTTP). A section absent leaves that adapter unconfigured (a step needing it
 * fails with ADAPTER_NOT_CONFIGURED, as before); a section with errors stops the start with every
 * error by path, secrets never shown.
 */
export function buildConfiguredWorld(sections: AdapterSections, deps: WorldDeps): { ok: true; value: ConfiguredWorld } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const world: Partial<World> = {};
  const built: Record<string, Built> = {};
  const read = <T>(outcome: { ok: true; value: T } | { ok: false; errors: string[] }): T | null => {
    if (outcome.ok) return outcome.value;
    errors.push(...outcome.errors.map((e) => `engine.config.yaml: ${e}`));
    return null;
  };
  if (sections.hosts !== undefined) {
    const config = read(readSshConfig(sections.hosts, deps.env, { baseDir: deps.root }));
    if (config) built['shell'] = world.shell = new SshShell(config);
  }
  if (sections.mcp !== undefined) {
    const config = read(readMcpConfig(sections.mcp, deps.env));
    if (config) built['tools'] = world.tools = new McpTools({ config, catalog: deps.tools, state: deps.state });
  }
  if (sections.notifiers !== undefined) {
    const config = read(readNotifyConfig(sections.notifiers, deps.env));
    if (config) built['notifier'] = world.notifier = new ChannelNotifier(config, { logger: deps.logger, clock: deps.clock });
  }
  if (sections.probes !== undefined) {
    const config = read(readProbeConfig(sections.probes, deps.env));
    if (config) built['http'] = world.http = new FetchProbe(config);
  }
  if (errors.length > 0) {
    void Promise.allSettled(Object.values(built).map((b) => b.close?.()));
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      world,
      lines: Object.values(built).map((b) => b.describe()),
      health: () => Object.fromEntries(Object.entries(built).filter(([, b]) => b.health).map(([name, b]) => [name, b.health!()])),
      close: async () => void (await Promise.allSettled(Object.values(built).map((b) => b.close?.()))),
    },
  };
}
