import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hasErrors } from '../engine/diagnostics/diagnostic.ts';
import { loadPlaybook } from '../engine/playbook/load.ts';
import { loadProject } from '../runtime/project/project.ts';
import { runEvent } from '../cli/testing/run-event.ts';
import { createScriptedWorld } from '../runtime/recording/world.ts';
import { STEP_EXECUTORS } from '../engine/steps/table.ts';
import type { BenchRow } from './report.ts';

const root = join(import.meta.dirname, '..');

/**
 * Lint time for 1,000 generated playbooks (variants of the supervisor: renamed, thresholds
 * changed) and engine time per dry-run event, both in-process (no process start counted).
 */
export async function benchEngine(): Promise<BenchRow[]> {
  const project = loadProject([join(root, 'playbooks')], { root });
  if (hasErrors(project.diagnostics)) throw new Error('the shipped playbooks do not lint clean');
  const source = readFileSync(join(root, 'playbooks/supervisor.yaml'), 'utf8');
  const generated = Array.from({ length: 1000 }, (_, i) =>
    source.replace('name: supervisor', `name: supervisor-${i}`).replace('>= 0.8 and validation', `>= 0.8${i % 10} and validation`),
  );
  const caps = { executors: STEP_EXECUTORS, catalog: project.catalog, prompts: new Set(project.prompts.keys()) };
  loadPlaybook('warmup.yaml', generated[0]!, caps);
  const t0 = performance.now();
  let errors = 0;
  for (const [i, text] of generated.entries()) if (hasErrors(loadPlaybook(`gen-${i}.yaml`, text, caps).diagnostics)) errors += 1;
  const lintMs = performance.now() - t0;
  if (errors) throw new Error(`${errors} generated playbooks did not lint clean`);

  const event = JSON.parse(readFileSync(join(root, 'examples/uptime-kuma/down.json'), 'utf8'));
  const llm = JSON.parse(readFileSync(join(root, 'examples/llm-auto-execute.json'), 'utf8'));
  const { normalizeBody } = await import('../cli/testing/normalize.ts');
  const [normalized] = normalizeBody(event, 'uptime-kuma');
  const runOnce = async () => {
    const world = createScriptedWorld({ now: normalized!['at'] as string, llm });
    const r = await runEvent(project, world, normalized!);
    if (r.summary?.decision !== 'AUTO_EXECUTE') throw new Error('dry-run did not decide AUTO_EXECUTE');
  };
  for (let i = 0; i < 200; i++) await runOnce();
  const n = 2000;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) await runOnce();
  const perRunMs = (performance.now() - t1) / n;
  return [
    { name: 'lint: 1,000 generated playbooks', opsPerSec: 1000 / (lintMs / 1000), note: `${lintMs.toFixed(0)} ms in all (aim < 2000 ms)` },
    { name: 'dry-run: supervisor, one Uptime Kuma event', opsPerSec: 1000 / perRunMs, note: `${perRunMs.toFixed(3)} ms per event (aim < 5 ms)` },
  ];
}
