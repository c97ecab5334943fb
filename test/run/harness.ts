import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../../engine/playbook/load.ts';
import type { Playbook } from '../../engine/playbook/model.ts';
import type { Ports } from '../../engine/ports/index.ts';
import { runPlaybook, type DrivenRun, type RunEnvironment } from '../../runtime/driver/run-driver.ts';

import type { TraceEvent } from '../../engine/trace/trace.ts';
import { STEP_EXECUTORS } from '../../engine/steps/table.ts';
import { createScriptedWorld, type ScriptedWorld, type WorldFixture } from '../../runtime/recording/world.ts';
import { shippedCatalog } from '../intents/shipped-catalog.ts';
import { readFileSync } from 'node:fs';
import { loadToolCatalog } from '../../engine/tools/load-catalog.ts';
import type { ToolCatalog } from '../../engine/tools/model.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CATALOG = shippedCatalog();
const PROMPT_NAMES: ReadonlySet<string> = new Set(
  readdirSync(`${ROOT}prompts`)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3)),
);
/** The ad-hoc tools the run tests call (test/fixtures/tools/catalog.yaml). */
export const TEST_TOOLS: ToolCatalog = loadToolCatalog({ file: 'test/fixtures/tools/catalog.yaml', content: readFileSync(`${ROOT}test/fixtures/tools/catalog.yaml`) }).catalog!;
export const CAPS = { executors: STEP_EXECUTORS, catalog: CATALOG, prompts: PROMPT_NAMES, tools: TEST_TOOLS };

export const HEADER = 'apiVersion: heal/v1\nkind: Playbook\nmetadata: { name: t, version: "1" }\non: { webhook: test }\n';

/** Compiles an inline playbook (header added) or throws with the diagnostics. */
export function compile(body: string, file = 'inline.yaml'): Playbook {
  const { playbook, diagnostics } = loadPlaybook(file, HEADER + body, CAPS);
  if (!playbook) throw new Error(`playbook does not load:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  return playbook;
}

export const EVENT = { source: 'test', host: 'web1', service: 'nginx', status: 'down', fingerprint: 'fp-1', message: 'nginx is down' };
const NOW = '2025-03-03T10:00:00Z';

export function world(fixture: Partial<WorldFixture> = {}): ScriptedWorld {
  return createScriptedWorld({ now: NOW, ...fixture });
}

export function run(
  playbook: Playbook,
  w: ScriptedWorld,
  options: { event?: Record<string, unknown>; ports?: Partial<Ports> } & Partial<Omit<RunEnvironment, 'ports'>> = {},
): Promise<DrivenRun> {
  const { event, ports, ...rest } = options;
  return runPlaybook(playbook, event ?? EVENT, {
    ports: { ...w.ports, ...ports },
    catalog: CATALOG,
    tools: TEST_TOOLS,
    prompts: new Map(),
    executors: STEP_EXECUTORS,
    ...rest,
  });
}

export function stepEnd(trace: readonly TraceEvent[], step: string) {
  return trace.filter((e): e is Extract<TraceEvent, { type: 'step.end' }> => e.type === 'step.end' && e.step === step);
}

export function routes(trace: readonly TraceEvent[]) {
  return trace.filter((e): e is Extract<TraceEvent, { type: 'route' }> => e.type === 'route').map((e) => `${e.from}->${e.to} (${e.via})`);
}
