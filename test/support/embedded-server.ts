import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, type EngineConfig } from '../../runtime/config/config.ts';
import { CounterIds } from '../../runtime/inmemory/counter-ids.ts';
import { createLogger } from '../../runtime/observability/logger.ts';
import { createScriptedWorld, type ScriptedWorld, type WorldFixture } from '../../runtime/recording/world.ts';
import { startServer, type RunningServer } from '../../runtime/service/server.ts';
import type { World } from '../../runtime/service/world.ts';
import { fixtureEnv } from './fixture-project.ts';

export interface TestServerOptions {
  /** Configuration variables on top of a fresh DATA_DIR, PORT=0 and the fixture playbooks. */
  env?: Record<string, string>;
  /** The scripted world (its clock drives the server). */
  fixture?: Partial<WorldFixture> & { now: string };
  /** Which adapters of the scripted world the server gets (default: all of them). */
  adapters?: readonly (keyof World)[];
  logger?: Logger;
}

export interface TestServer {
  server: RunningServer;
  world: ScriptedWorld;
  config: EngineConfig;
  dataDir: string;
  /** Closes the server and removes its data folder. */
  close(): Promise<void>;
}

const ALL_ADAPTERS: readonly (keyof World)[] = ['llm', 'shell', 'memory', 'notifier', 'tools', 'http'];

/** `engine serve` in the embedded profile on a fresh SQLite file, with a scripted world. */
export async function startTestServer(options: TestServerOptions = { fixture: { now: '2026-11-21T23:04:00Z' } }): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-test-server-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, PORT: '0', ...fixtureEnv(), ...options.env }, process.cwd());
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const world = createScriptedWorld(options.fixture ?? { now: '2026-11-21T23:04:00Z' });
  const adapters: Partial<World> = {};
  for (const name of options.adapters ?? ALL_ADAPTERS) Object.assign(adapters, { [name]: world[name] });
  const server = await startServer(loaded.config, {
    clock: world.clock,
    ids: new CounterIds(),
    logger: options.logger ?? createLogger({ level: 'silent' }),
    world: adapters,
    watch: false,
  });
  return {
    server,
    world,
    config: loaded.config,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
