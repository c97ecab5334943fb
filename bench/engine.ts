import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hasErrors } from '../engine/diagnostics/diagnostic.ts';
import { clearParseCache } from '../engine/expr/parse-cache.ts';
import { compilePlaybook } from '../engine/playbook/load.ts';
import { loadYaml, type YamlParser } from '../engine/yaml/load.ts';
import { loadProject } from '../runtime/project/project.ts';
import { runEvent } from '../cli/testing/run-event.ts';
import { createScriptedWorld } from '../runtime/recording/world.ts';
import type { BenchRow } from './report.ts';

const root = join(import.meta.dirname, '..');

/**
 * Lint time for 1,000 generated playbooks (variants of the supervisor: renamed, thresholds
 * changed) and engine time per dry-run event, both in-process (no process start counted).
 *
 * Lint is measured three ways in the same run: the old parse path (the yaml library's lexer,
 * parser and composer for every file) as the baseline, the new one (the fast path, falling back
 * to the full parser), and the new one with the expression parse memo emptied before each file
 * (as if no two playbooks shared an expression). Each gives the same diagnostics; the ratio is
 * the old time over the new.
 */
export async function benchEngine(): Promise<BenchRow[]> {
  const project = loadProject([join(root, 'playbooks')], { root });
  if (hasErrors(project.diagnostics)) throw new Error('the shipped playbooks do not lint clean');
  const source = readFileSync(join(root, 'playbooks/supervisor.yaml'), 'utf8');
  const generated = Array.from({ length: 1000 }, (_, i) =>
    source.replace('name: supervisor', `name: supervisor-${i}`).replace('>= 0.8 and validation', `>= 0.8${i % 10} and validation`),
  );
  const caps = project.caps;
  const lintAll = (parser: YamlParser, cold: boolean): number => {
    for (const text of generated.slice(0, 20)) compilePlaybook(loadYaml('warmup.yaml', text, {}, parser), text, caps);
    const t0 = performance.now();
    let errors = 0;
    for (const [i, text] of generated.entries()) {
      if (cold) clearParseCache();
      if (hasErrors(compilePlaybook(loadYaml(`gen-${i}.yaml`, text, {}, parser), text, caps).diagnostics)) errors += 1;
    }
    const ms = performance.now() - t0;
    if (errors) throw new Error(`${errors} generated playbooks did not lint clean (${parser})`);
    return ms;
  };
  const oldMs = lintAll('full', false);
  const newMs = lintAll('auto', false);
  const coldMs = lintAll('auto', true);

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
    { name: 'lint: 1,000 playbooks, old parse path (baseline)', opsPerSec: 1000 / (oldMs / 1000), note: `${oldMs.toFixed(0)} ms in all` },
    { name: 'lint: 1,000 playbooks, fast YAML path', opsPerSec: 1000 / (newMs / 1000), note: `${newMs.toFixed(0)} ms in all (aim < 2000 ms); ${(oldMs / newMs).toFixed(2)}x the baseline` },
    { name: 'lint: 1,000 playbooks, fast path, no shared expressions', opsPerSec: 1000 / (coldMs / 1000), note: `${coldMs.toFixed(0)} ms in all; ${(oldMs / coldMs).toFixed(2)}x the baseline` },
    { name: 'dry-run: supervisor, one Uptime Kuma event', opsPerSec: 1000 / perRunMs, note: `${perRunMs.toFixed(3)} ms per event (aim < 5 ms)` },
  ];
}
