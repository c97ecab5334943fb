import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import type { ToolCatalog, ToolDefinition } from '../../engine/tools/model.ts';
import { startSimulatorHttp, type SimulatorHttp } from '../../runtime/simulator/http.ts';
import { SimulatorWorld } from '../../runtime/simulator/world.ts';
import { REPO } from './fixture-project.ts';

/** The shipped tools/catalog.yaml. */
export function repoToolCatalog(): ToolCatalog {
  const file = join(REPO, 'tools/catalog.yaml');
  const loaded = loadToolCatalog({ file, content: readFileSync(file) });
  if (!loaded.catalog) throw new Error(`tools/catalog.yaml did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return loaded.catalog;
}

/** The catalog with some tools changed (a shorter timeout for a test). */
export function withTools(catalog: ToolCatalog, changes: Record<string, Partial<ToolDefinition>>): ToolCatalog {
  const out: Record<string, ToolDefinition> = Object.create(null);
  for (const [name, def] of Object.entries(catalog)) out[name] = { ...def, ...(changes[name] ?? {}) };
  return Object.freeze(out);
}

/** Deterministic "random" bytes: 0, 1, 2, ... */
function counterRandom(): (n: number) => Buffer {
  let next = 0;
  return (n) => Buffer.from(Array.from({ length: n }, () => next++ % 256));
}

export interface RunningSimulator {
  world: SimulatorWorld;
  http: SimulatorHttp;
  catalog: ToolCatalog;
}

/** The simulator in-process on an ephemeral port, ready when this resolves. */
export async function startSimulator(options: { now?: number; apiKey?: string; appToken?: string } = {}): Promise<RunningSimulator> {
  const catalog = repoToolCatalog();
  const now = options.now;
  const world = new SimulatorWorld({ ...(now === undefined ? {} : { now: () => now }), random: counterRandom() });
  const http = await startSimulatorHttp({ world, catalog, port: 0, ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(options.appToken ? { appToken: options.appToken } : {}) });
  return { world, http, catalog };
}
